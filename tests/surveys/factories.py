"""Questionnaires in tests, built through the services the pages use."""

from datetime import timedelta

from django.utils import timezone

from tocsin.surveys import services
from tocsin.surveys.enums import QuestionKind

CHANNELS = ["E-mail", "SMS", "Téléphone"]
# (kind, text, required, options): one question of each kind.
QUESTIONS = [
    (QuestionKind.YES_NO, "Avez-vous été alerté à temps ?", True, []),
    (QuestionKind.SINGLE, "Quel jour êtes-vous intervenu ?", False, ["Lundi", "Mardi"]),
    (QuestionKind.MULTIPLE, "Par quels moyens avez-vous été informé ?", False, CHANNELS),
    (QuestionKind.SCALE, "Les rôles étaient-ils clairs ?", False, []),
    (QuestionKind.NUMBER, "Combien de patients avez-vous reportés ?", False, []),
    (QuestionKind.TEXT, "Que faudrait-il changer ?", False, []),
]


def in_days(days: float):
    return timezone.now() + timedelta(days=days)


def draft(actor, cpts, *, groups=(), organisations=(), questions=QUESTIONS, **fields):
    fields.setdefault("title", "RETEX canicule")
    fields.setdefault("closes_at", in_days(7))
    survey = services.create_survey(actor, cpts, sections=["Votre expérience"], **fields)
    section = survey.sections.get()
    for kind, text, required, options in questions:
        services.save_question(actor, survey, None, section=section, kind=kind, text=text,
                               required=required, choices=options)  # fmt: skip
    services.set_audience(actor, survey, groups=[g.pk for g in groups],
                          organisations=[o.pk for o in organisations])  # fmt: skip
    return survey


def opened(actor, cpts, **kwargs):
    survey = draft(actor, cpts, **kwargs)
    services.open_survey(actor, survey)
    return survey


def question(survey, kind):
    return survey.questions.get(kind=kind)


def answers(survey, **by_kind) -> dict:
    """{question pk: value} from values given by kind name (yes_no="oui", scale=4…)."""
    return {question(survey, kind).pk: value for kind, value in by_kind.items()}
