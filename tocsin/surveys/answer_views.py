"""The answer page, reached without an account: a personal link, or the survey's open link.

Opening the page changes nothing (mail scanners open links too); saving and sending are POSTs.
An open link's visitor becomes an anonymous respondent on their first save, remembered in
their session so they can come back and finish. The page shows only the visitor's own answers.
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from tocsin.core.access import public_view
from tocsin.core.errors import DomainError
from tocsin.surveys import links, services
from tocsin.surveys.enums import Via
from tocsin.surveys.forms import AnswersForm
from tocsin.surveys.models import Respondent, Survey

TEMPLATE = "surveys/answer.html"


def _session_key(survey) -> str:
    return f"surveys.open.{survey.pk}"


def _sections(survey) -> list:
    return [(section, list(section.questions.all()))
            for section in survey.sections.prefetch_related("questions")]  # fmt: skip


@public_view
@never_cache
def answer(request, token):
    try:
        respondent = links.respondent_from_token(token)
    except DomainError as error:
        return render(request, TEMPLATE, {"error": error.message, "survey": None}, status=400)
    return _answer_page(request, respondent.survey, respondent)


@public_view
@never_cache
def answer_open(request, token):
    survey = (
        Survey.objects.select_related("cpts").exclude(public_token="").filter(public_token=token)
    ).first()
    if survey is None:
        error = "Ce lien n'est pas valide. Vérifiez qu'il est complet (copiez-le en entier)."
        return render(request, TEMPLATE, {"error": error, "survey": None}, status=404)
    pk = request.session.get(_session_key(survey))
    respondent = None
    if pk is not None:
        respondent = Respondent.objects.filter(pk=pk, survey=survey, via=Via.OPEN_LINK).first()
    return _answer_page(request, survey, respondent, open_link=True)


def _answer_page(request, survey, respondent, *, open_link=False):
    context = {"survey": survey, "respondent": respondent, "open_link": open_link, "error": "",
               "error_on_save": "", "done": ""}  # fmt: skip
    if not survey.accepts_answers:
        context["error"] = services.CLOSED
        return render(request, TEMPLATE, context)
    sections = _sections(survey)
    action = request.POST.get("action", "")
    sending = action == "send" or bool(respondent and respondent.has_submitted)
    options = {"sections": sections, "open_link": open_link,
               "kind": respondent.kind if respondent else ""}  # fmt: skip
    answers = _answers_of(respondent)
    data = request.POST if request.method == "POST" else None
    form = AnswersForm(data, answers=answers, sending=sending, **options)
    if data is not None and form.is_valid():
        try:
            respondent = _save(request, survey, respondent, form, submit=sending,
                               open_link=open_link)  # fmt: skip
        except DomainError as error:
            context["error_on_save"] = error.message
        else:
            context.update(respondent=respondent, done="sent" if sending else "saved")
            options["kind"] = respondent.kind
            form = AnswersForm(answers=_answers_of(respondent), sending=sending, **options)
    context["form"] = form
    return render(request, TEMPLATE, context)


def _answers_of(respondent) -> dict:
    if respondent is None:
        return {}
    return dict(respondent.answers.values_list("question_id", "value"))


def _save(request, survey, respondent, form, *, submit, open_link):
    if not open_link:
        return services.save_answers(respondent, form.values(), submit=submit)
    kind = form.cleaned_data.get("category", "")
    saved = services.answer_open_link(survey, respondent, kind, form.values(), submit=submit)
    request.session[_session_key(survey)] = saved.pk
    return saved
