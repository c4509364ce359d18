"""Questionnaire pages: the list, a draft's builder (settings, parts, questions, who is asked),
opening, reminders and closing, the results and their exports. Views stay thin: services
change things, and only the coordinator or the référent builds and sends."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tocsin.core.access import CRISIS_ROLES, PILOT_ROLES, cpts_view, get_for_cpts, has_role
from tocsin.core.audit import log_action
from tocsin.core.downloads import CSV, attachment
from tocsin.core.feedback import run_service
from tocsin.surveys import audience, exports, links, services, starter
from tocsin.surveys.enums import SurveyStatus, Via
from tocsin.surveys.forms import AudienceForm, QuestionForm, SectionForm, SurveyForm
from tocsin.surveys.models import Survey
from tocsin.surveys.results import survey_results

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_SECTION = "Questions"


def _survey(request, pk) -> Survey:
    return get_for_cpts(request, Survey.objects.select_related("cpts", "created_by"), pk=pk)


def _draft(request, pk) -> Survey | None:
    """The draft to change, or None (with a message) once it is open."""
    survey = _survey(request, pk)
    if not survey.is_draft:
        messages.info(request, "Ce questionnaire est ouvert : ses questions ne changent plus.")
        return None
    return survey


def _detail(survey, anchor=""):
    response = redirect("surveys:detail", survey.pk)
    response["Location"] += f"#{anchor}" if anchor else ""
    return response


@cpts_view(*CRISIS_ROLES)
def survey_list(request):
    by_state = {state: [] for state in SurveyStatus.values}
    for survey in Survey.objects.for_cpts(request.cpts).with_counts():
        by_state[survey.state].append(survey)
    context = {"drafts": by_state[SurveyStatus.DRAFT], "running": by_state[SurveyStatus.OPEN],
               "closed": by_state[SurveyStatus.CLOSED],
               "can_pilot": has_role(request, *PILOT_ROLES)}  # fmt: skip
    return render(request, "surveys/list.html", context)


# --- A draft: settings, parts, questions ---


@cpts_view(*PILOT_ROLES)
def survey_new(request):
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = form.fields_for_service()
        if request.POST.get("action") == "retex":
            fields["intro"] = fields["intro"] or None  # the model's introduction
            survey = run_service(request, starter.create_retex_survey, request.cpts, **fields)
        else:
            survey = run_service(request, services.create_survey, request.cpts,
                                 sections=[FIRST_SECTION], **fields)  # fmt: skip
        if survey is not None:
            messages.success(request, "Questionnaire créé. Ajoutez ou adaptez ses questions.")
            return _detail(survey)
    return render(request, "surveys/form.html", {"form": form, "survey": None})


@cpts_view(*PILOT_ROLES)
def survey_edit(request, pk):
    survey = _draft(request, pk)
    if survey is None:
        return redirect("surveys:detail", pk)
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        saved = run_service(request, services.update_survey, survey, **form.fields_for_service(),
                            success="Réglages enregistrés.")  # fmt: skip
        if saved is not None:
            return _detail(survey)
    return render(request, "surveys/form.html", {"form": form, "survey": survey})


@cpts_view(*PILOT_ROLES)
@require_POST
def survey_delete(request, pk):
    survey = _survey(request, pk)
    title = run_service(request, services.delete_survey, survey)
    if title is None:
        return _detail(survey)
    messages.success(request, f"Brouillon « {title} » supprimé.")
    return redirect("surveys:list")


@cpts_view(*CRISIS_ROLES)
def survey_detail(request, pk):
    survey = _survey(request, pk)
    can_pilot = has_role(request, *PILOT_ROLES)
    respondents = survey.respondents.filter(via=Via.INVITATION)
    counts = survey.respondents.aggregate(
        invited=Count("pk", filter=Q(via=Via.INVITATION)),
        answered=Count("pk", filter=Q(via=Via.INVITATION, submitted_at__isnull=False)),
        open_answers=Count("pk", filter=Q(via=Via.OPEN_LINK, submitted_at__isnull=False)),
    )
    context = {
        "survey": survey,
        "sections": survey.sections.prefetch_related("questions"),
        "editable": survey.is_draft and can_pilot,
        "can_pilot": can_pilot,
        "counts": counts,
        "silent": counts["invited"] - counts["answered"],
        "respondents": respondents if not survey.is_draft else None,
        "open_url": links.open_url(survey) if survey.public_token else "",
        "section_form": SectionForm(),
    }
    return render(request, "surveys/detail.html", context)


def _section(survey, pk):
    section = survey.sections.filter(pk=pk).first()
    if section is None:
        raise Http404("Cette partie n'est pas dans ce questionnaire.")
    return section


def _question(survey, pk):
    question = survey.questions.select_related("survey").filter(pk=pk).first()
    if question is None:
        raise Http404("Cette question n'est pas dans ce questionnaire.")
    return question


@cpts_view(*PILOT_ROLES)
@require_POST
def section_add(request, pk):
    survey = _survey(request, pk)
    form = SectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Donnez un titre à la partie.")
        return _detail(survey)
    section = run_service(request, services.add_section, survey, form.cleaned_data["title"],
                          success="Partie ajoutée.")  # fmt: skip
    return _detail(survey, f"partie-{section.pk}" if section else "")


@cpts_view(*PILOT_ROLES)
@require_POST
def section_rename(request, pk, section):
    survey = _survey(request, pk)
    found = _section(survey, section)
    form = SectionForm(request.POST)
    if form.is_valid():
        run_service(request, services.rename_section, found, form.cleaned_data["title"],
                    success="Partie renommée.")  # fmt: skip
    else:
        messages.error(request, "Donnez un titre à la partie.")
    return _detail(survey, f"partie-{found.pk}")


@cpts_view(*PILOT_ROLES)
@require_POST
def section_delete(request, pk, section):
    survey = _survey(request, pk)
    title = run_service(request, services.delete_section, _section(survey, section))
    if title is not None:
        messages.success(request, f"Partie « {title} » supprimée, avec ses questions.")
    return _detail(survey)


def _question_page(request, survey, question=None):
    section = request.GET.get("partie", "")
    initial = {"section": int(section)} if section.isdigit() else {}
    form = QuestionForm(request.POST or None, instance=question, survey=survey, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(request, services.save_question, survey, question,
                            **form.fields_for_service())  # fmt: skip
        if saved is not None:
            messages.success(request, "Question enregistrée.")
            return _detail(survey, f"question-{saved.pk}")
    return render(request, "surveys/question_form.html",
                  {"survey": survey, "question": question, "form": form})  # fmt: skip


@cpts_view(*PILOT_ROLES)
def question_add(request, pk):
    survey = _draft(request, pk)
    if survey is None:
        return redirect("surveys:detail", pk)
    if not survey.sections.exists():
        messages.info(request, "Ajoutez d'abord une partie au questionnaire.")
        return _detail(survey)
    return _question_page(request, survey)


@cpts_view(*PILOT_ROLES)
def question_edit(request, pk, question):
    survey = _draft(request, pk)
    if survey is None:
        return redirect("surveys:detail", pk)
    return _question_page(request, survey, _question(survey, question))


@cpts_view(*PILOT_ROLES)
@require_POST
def question_delete(request, pk, question):
    survey = _survey(request, pk)
    text = run_service(request, services.delete_question, _question(survey, question))
    if text is not None:
        messages.success(request, f"Question « {text} » supprimée.")
    return _detail(survey)


@cpts_view(*PILOT_ROLES)
@require_POST
def question_move(request, pk, question):
    survey = _survey(request, pk)
    found = _question(survey, question)
    run_service(request, services.move_question, found, up=request.POST.get("sens") == "haut")
    return _detail(survey, f"question-{found.pk}")


# --- Who is asked, opening, reminders, closing ---


@cpts_view(*PILOT_ROLES)
def survey_audience(request, pk):
    survey = _draft(request, pk)
    if survey is None:
        return redirect("surveys:detail", pk)
    form = AudienceForm(request.POST or None, initial=AudienceForm.initial_from(survey.audience),
                        cpts=request.cpts)  # fmt: skip
    criteria = survey.audience
    if request.method == "POST" and form.is_valid():
        criteria = form.criteria()
        if request.POST.get("action") != "preview":
            saved = run_service(request, services.set_audience, survey, **criteria,
                                success="Personnes interrogées enregistrées.")  # fmt: skip
            if saved is not None:
                return redirect("surveys:audience", survey.pk)
    found = None if audience.is_empty(criteria) else audience.invitation(request.cpts, criteria)
    context = {"survey": survey, "form": form, "preview": found}
    return render(request, "surveys/audience.html", context)


@cpts_view(*PILOT_ROLES)
def survey_open(request, pk):
    survey = _survey(request, pk)
    if not survey.is_draft:
        return _detail(survey)
    if request.method == "POST":
        totals = run_service(request, services.open_survey, survey)
        if totals is None:
            return redirect("surveys:open", survey.pk)
        text = f"Questionnaire ouvert : {totals['invited']} invitation(s) envoyée(s)"
        if totals["excluded"]:
            text += f", {totals['excluded']} personne(s) sans adresse e-mail"
        messages.success(request, text + ".")
        return _detail(survey)
    found = audience.invitation(request.cpts, survey.audience)
    context = {"survey": survey, "preview": found, "questions": survey.questions.count()}
    return render(request, "surveys/open.html", context)


@cpts_view(*PILOT_ROLES)
@require_POST
def survey_remind(request, pk):
    survey = _survey(request, pk)
    count = run_service(request, services.remind_non_respondents, survey)
    if count is not None:
        messages.success(request, f"Rappel envoyé à {count} personne(s) sans réponse.")
    return _detail(survey)


@cpts_view(*PILOT_ROLES)
@require_POST
def survey_close(request, pk):
    survey = _survey(request, pk)
    answered = run_service(request, services.close_survey, survey)
    if answered is not None:
        messages.success(request, f"Questionnaire clos : {answered} réponse(s) reçue(s).")
    return _detail(survey)


# --- Results ---


@cpts_view(*CRISIS_ROLES)
@require_GET
def results(request, pk):
    survey = _survey(request, pk)
    found = survey_results(survey, request.GET.get("categorie", "").strip())
    return render(request, "surveys/results.html", {"survey": survey, "results": found})


def _export(request, pk, extension, build, content_type):
    survey = _survey(request, pk)
    if survey.is_draft:
        raise Http404("Un brouillon n'a pas encore de réponses.")
    kind = request.GET.get("categorie", "").strip()
    content = build(survey, kind)
    log_action(request.user, request.cpts, "surveys.results.exported", survey,
               {"format": extension.upper(), "kind": kind})  # fmt: skip
    mode = "exercice-" if survey.is_exercise else ""
    name = f"reponses-{mode}{survey.cpts.slug}-{survey.pk}-{timezone.localdate():%Y%m%d}"
    return attachment(content, f"{name}.{extension}", content_type)


@cpts_view(*CRISIS_ROLES)
@require_GET
def results_csv(request, pk):
    return _export(request, pk, "csv", lambda s, k: exports.answers_csv(s, k).encode(), CSV)


@cpts_view(*CRISIS_ROLES)
@require_GET
def results_xlsx(request, pk):
    return _export(request, pk, "xlsx", exports.answers_xlsx, XLSX)
