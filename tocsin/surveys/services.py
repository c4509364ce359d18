"""Questionnaire operations: build a draft, choose who is asked, open, remind, close, answer.

Only a draft changes structure. Opening freezes the audience into respondents and e-mails each
their personal link; answers are saved as the respondent goes and count once sent. Every
change is audited; e-mails leave through the task queue once the transaction is committed.
"""

import secrets

from django.db import transaction
from django.db.models import Max, ProtectedError
from django.template.loader import render_to_string
from django.utils import timezone

from tocsin.core.audit import log_action
from tocsin.core.errors import DomainError
from tocsin.core.tasks import send_email
from tocsin.surveys import audience, links
from tocsin.surveys.enums import CHOICE_KINDS, OPEN_LINK_KINDS, QuestionKind, SurveyStatus, Via
from tocsin.surveys.models import Answer, Question, Respondent, Section, Survey

SURVEY_FIELDS = ("title", "intro", "closes_at", "allows_open_link", "is_exercise")
NOT_A_DRAFT = "Ce questionnaire est ouvert : ses questions et ses destinataires ne changent plus."
TOO_FEW_OPTIONS = "Une question à choix propose au moins deux options, une par ligne."
CLOSED = "Ce questionnaire est clos : vos réponses ne peuvent plus être enregistrées. Merci."


def _locked(survey) -> Survey:
    return Survey.objects.select_for_update().select_related("cpts").get(pk=survey.pk)


def _locked_draft(survey, message=NOT_A_DRAFT) -> Survey:
    locked = _locked(survey)
    if not locked.is_draft:
        raise DomainError(message)
    return locked


def _next_position(queryset) -> int:
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


# --- Building a draft ---


def create_survey(actor, cpts, *, title, intro="", closes_at=None, allows_open_link=False,
                  is_exercise=False, sections=()) -> Survey:  # fmt: skip
    """A new draft, with its first sections (titles) if given."""
    with transaction.atomic():
        survey = Survey.objects.create(
            cpts=cpts, title=title, intro=intro, closes_at=closes_at,
            allows_open_link=allows_open_link, is_exercise=is_exercise, created_by=actor,
        )  # fmt: skip
        Section.objects.bulk_create(
            Section(survey=survey, title=name, position=n) for n, name in enumerate(sections, 1)
        )
        log_action(actor, cpts, "surveys.survey.created", survey)
    return survey


def update_survey(actor, survey: Survey, **fields) -> Survey:
    with transaction.atomic():
        locked = _locked_draft(survey)
        changed = [name for name in SURVEY_FIELDS if name in fields]
        for name in changed:
            setattr(locked, name, fields[name])
        locked.save(update_fields=changed)
        log_action(actor, locked.cpts, "surveys.survey.saved", locked)
    return locked


def delete_survey(actor, survey: Survey) -> str:
    """Remove a draft; an opened survey stays, with its answers and its audit trail."""
    with transaction.atomic():
        locked = _locked_draft(
            survey, "Seul un brouillon se supprime : un questionnaire ouvert reste tracé."
        )
        log_action(actor, locked.cpts, "surveys.survey.deleted", locked)
        try:
            locked.delete()
        except ProtectedError as exc:
            raise DomainError(
                "Ce questionnaire est celui d'un RETEX : il ne se supprime pas."
            ) from exc
    return survey.title


def _section_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise DomainError("Donnez un titre à la partie.")
    return title[:200]


def add_section(actor, survey: Survey, title: str) -> Section:
    title = _section_title(title)
    with transaction.atomic():
        locked = _locked_draft(survey)
        section = Section.objects.create(
            survey=locked, title=title, position=_next_position(locked.sections)
        )
        log_action(actor, locked.cpts, "surveys.section.added", locked, {"section": title})
    return section


def rename_section(actor, section: Section, title: str) -> Section:
    title = _section_title(title)
    with transaction.atomic():
        locked = _locked_draft(section.survey)
        section.title = title
        section.save(update_fields=["title"])
        log_action(actor, locked.cpts, "surveys.section.renamed", locked, {"section": title})
    return section


def delete_section(actor, section: Section) -> str:
    """Remove a part of a draft and its questions."""
    with transaction.atomic():
        locked = _locked_draft(section.survey)
        data = {"section": section.title, "questions": section.questions.count()}
        log_action(actor, locked.cpts, "surveys.section.deleted", locked, data)
        section.delete()
    return data["section"]


def clean_choices(kind: str, choices) -> list[str]:
    """The options of a choice question, trimmed and each once; none for other kinds."""
    if kind not in CHOICE_KINDS:
        return []
    options = list(dict.fromkeys(option.strip() for option in choices if option.strip()))
    if len(options) < 2:
        raise DomainError(TOO_FEW_OPTIONS)
    return options


def save_question(actor, survey: Survey, question: Question | None, *, section, kind, text,
                  help_text="", required=False, choices=()) -> Question:  # fmt: skip
    """Add a question to a draft (question None) or change one."""
    if kind not in QuestionKind.values:
        raise DomainError("Choisissez un type de question.")
    if not text.strip():
        raise DomainError("Écrivez la question.")
    if section.survey_id != survey.pk:
        raise DomainError("Choisissez une partie de ce questionnaire.")
    choices = clean_choices(kind, choices)
    with transaction.atomic():
        locked = _locked_draft(survey)
        created = question is None
        if created:
            question = Question(survey=locked, position=_next_position(locked.questions))
        question.section, question.kind, question.text = section, kind, text.strip()
        question.help_text, question.required = help_text.strip(), required
        question.choices = choices
        question.save()
        code = "surveys.question.added" if created else "surveys.question.changed"
        log_action(actor, locked.cpts, code, locked, {"question": question.text})
    return question


def delete_question(actor, question: Question) -> str:
    with transaction.atomic():
        locked = _locked_draft(question.survey)
        log_action(actor, locked.cpts, "surveys.question.deleted", locked,
                   {"question": question.text})  # fmt: skip
        question.delete()
    return question.text


def move_question(actor, question: Question, *, up: bool) -> bool:
    """Swap the question with its neighbour in its part; False when it is already at the end."""
    with transaction.atomic():
        locked = _locked_draft(question.survey)
        siblings = list(locked.questions.filter(section=question.section_id))
        index = [q.pk for q in siblings].index(question.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(siblings):
            return False
        siblings[index], siblings[other] = siblings[other], siblings[index]
        # Positions only order a part's questions: number them afresh, 1 to n.
        for position, sibling in enumerate(siblings, 1):
            sibling.position = position
        Question.objects.bulk_update(siblings, ["position"])
        log_action(actor, locked.cpts, "surveys.question.moved", locked,
                   {"question": question.text})  # fmt: skip
    return True


def set_audience(actor, survey: Survey, *, groups=(), organisations=()) -> Survey:
    """Who the survey asks, as Survey.audience stores it (directory ids)."""
    with transaction.atomic():
        locked = _locked_draft(survey)
        locked.audience = {"groups": sorted(groups), "organisations": sorted(organisations)}
        locked.save(update_fields=["audience"])
        log_action(actor, locked.cpts, "surveys.audience.saved", locked,
                   {"groups": len(groups), "organisations": len(organisations)})  # fmt: skip
    survey.audience = locked.audience
    return locked


# --- Opening, reminding, closing ---


def open_survey(actor, survey: Survey) -> dict:
    """Open to answers: one respondent per invited contact, each e-mailed their own link."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_draft(survey, "Ce questionnaire est déjà ouvert.")
        if not locked.questions.exists():
            raise DomainError("Ajoutez au moins une question avant d'ouvrir le questionnaire.")
        if locked.closes_at is None or locked.closes_at <= now:
            raise DomainError("Choisissez une date de clôture à venir avant d'ouvrir.")
        found = audience.invitation(locked.cpts, locked.audience)
        if not found.invited and not locked.allows_open_link:
            raise DomainError(
                "Personne n'est à inviter : choisissez des groupes ou des organisations dont les "
                "contacts ont une adresse e-mail, ou proposez un lien ouvert."
            )
        respondents = Respondent.objects.bulk_create(
            [new_respondent(locked, contact, now) for contact in found.invited], batch_size=500
        )
        locked.status, locked.opened_at = SurveyStatus.OPEN, now
        if locked.allows_open_link:
            locked.public_token = secrets.token_urlsafe(32)
        locked.save(update_fields=["status", "opened_at", "public_token"])
        totals = {"invited": len(respondents), "excluded": len(found.excluded)}
        log_action(actor, locked.cpts, "surveys.survey.opened", locked, totals)
        _queue_invitations(locked, respondents)
    survey.refresh_from_db()
    return totals


def new_respondent(survey, contact, now) -> Respondent:
    return Respondent(
        survey=survey, contact=contact, name=contact.full_name, email=contact.email,
        kind=audience.kind_of(contact), via=Via.INVITATION, invited_at=now,
    )  # fmt: skip


def _queue_invitations(survey, respondents, *, reminder=False):
    prefix = "[EXERCICE] " if survey.is_exercise else ""
    subject = f"{prefix}{'Rappel — ' if reminder else ''}Questionnaire : {survey.title}"
    for respondent in respondents:
        context = {"survey": survey, "respondent": respondent, "reminder": reminder,
                   "url": links.answer_url(respondent.pk)}  # fmt: skip
        body = render_to_string("surveys/emails/invitation.txt", context)
        transaction.on_commit(
            lambda to=[respondent.email], body=body: send_email.enqueue(to, subject, body)
        )


def remind_non_respondents(actor, survey: Survey) -> int:
    """E-mail their link again to the invited people who have not sent their answers."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(survey)
        if not locked.accepts_answers:
            raise DomainError("Seul un questionnaire ouvert aux réponses peut être relancé.")
        silent = list(locked.respondents.filter(via=Via.INVITATION, submitted_at__isnull=True)
                      .exclude(email=""))  # fmt: skip
        if not silent:
            raise DomainError("Tout le monde a répondu : personne à relancer.")
        Respondent.objects.filter(pk__in=[r.pk for r in silent]).update(reminded_at=now)
        locked.reminders += 1
        locked.save(update_fields=["reminders"])
        log_action(actor, locked.cpts, "surveys.survey.reminded", locked, {"count": len(silent)})
        _queue_invitations(locked, silent, reminder=True)
    survey.reminders = locked.reminders
    return len(silent)


def close_survey(actor, survey: Survey) -> int:
    """No more answers. Returns how many respondents sent theirs."""
    with transaction.atomic():
        locked = _locked(survey)
        if locked.status != SurveyStatus.OPEN:
            raise DomainError("Seul un questionnaire ouvert peut être clos.")
        locked.status, locked.closed_at = SurveyStatus.CLOSED, timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        answered = locked.respondents.filter(submitted_at__isnull=False).count()
        log_action(actor, locked.cpts, "surveys.survey.closed", locked, {"answered": answered})
    survey.status, survey.closed_at = locked.status, locked.closed_at
    return answered


# --- Answering ---


def is_blank(value) -> bool:
    return value is None or value == "" or value == []


def save_answers(respondent: Respondent, values: dict, *, submit: bool) -> Respondent:
    """Store a respondent's answers ({question pk: value}; a blank value clears one).

    Saving keeps what is filled, required or not; submitting checks the required questions and
    counts the answers. Sending again before the closing updates the same answers.
    """
    with transaction.atomic():
        survey = _locked(respondent.survey)
        if not survey.accepts_answers:
            raise DomainError(CLOSED)
        _store(survey, respondent, values, submit)
    return respondent


def answer_open_link(survey: Survey, respondent: Respondent | None, kind: str, values: dict, *,
                     submit: bool) -> Respondent:  # fmt: skip
    """The answers of an open link's visitor, created as an anonymous respondent on first save."""
    if kind and kind not in OPEN_LINK_KINDS:
        raise DomainError("Choisissez votre catégorie dans la liste.")
    if submit and not kind and not (respondent and respondent.kind):
        raise DomainError("Indiquez en tant que quoi vous répondez.")
    with transaction.atomic():
        locked = _locked(survey)
        if not locked.accepts_answers or not locked.public_token:
            raise DomainError(CLOSED)
        respondent = respondent or Respondent(survey=locked, via=Via.OPEN_LINK)
        respondent.kind = kind or respondent.kind
        respondent.save()
        _store(locked, respondent, values, submit)
    return respondent


def _store(survey, respondent, values, submit):
    questions = {q.pk: q for q in survey.questions.all()}
    values = {pk: value for pk, value in values.items() if pk in questions}
    if submit:
        missing = [q.text for q in questions.values() if q.required and is_blank(values.get(q.pk))]
        if missing:
            listed = "», «".join(f" {text} " for text in missing)
            raise DomainError(f"Répondez aux questions obligatoires : «{listed}».")
    existing = {answer.question_id: answer for answer in respondent.answers.all()}
    created, changed, cleared = [], [], []
    for pk, value in values.items():
        answer = existing.get(pk)
        if is_blank(value):
            if answer is not None:
                cleared.append(answer.pk)
        elif answer is None:
            created.append(Answer(respondent=respondent, question_id=pk, value=value))
        elif answer.value != value:
            answer.value = value
            changed.append(answer)
    Answer.objects.bulk_create(created)
    Answer.objects.bulk_update(changed, ["value"])
    Answer.objects.filter(pk__in=cleared).delete()
    respondent.saved_at = timezone.now()
    if submit:
        respondent.submitted_at = respondent.saved_at
    respondent.save(update_fields=["saved_at", "submitted_at"])
    if submit:
        log_action(None, survey.cpts, "surveys.answers.submitted", survey,
                   {"via": respondent.get_via_display()}, actor_label=str(respondent))  # fmt: skip
