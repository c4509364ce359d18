"""The starter RETEX questionnaire: what the CPTS asks everyone after a crisis or an exercise.

Who answers is not asked: an invited person's kind comes from the directory. The coordinator
adapts the draft (it is an ordinary draft) before opening it.
"""

from django.db import transaction

from tocsin.core.audit import log_action
from tocsin.surveys import services
from tocsin.surveys.enums import QuestionKind
from tocsin.surveys.models import Question, Section

SCALE_HELP = "1 : pas du tout · 5 : tout à fait"
CHANNELS = [
    "E-mail", "SMS", "Appel téléphonique", "Messagerie sécurisée (MSSanté)",
    "Réunion ou audioconférence", "Site ou réseaux sociaux", "Collègues, bouche-à-oreille",
    "Je n'ai reçu aucune information",
]  # fmt: skip
# (section, [(kind, question, précision, required, options)])
RETEX_QUESTIONS = [
    ("L'alerte", [
        (QuestionKind.YES_NO, "Avez-vous été alerté à temps ?", "", True, []),
        (QuestionKind.SCALE, "L'alerte vous a-t-elle donné les informations utiles pour agir ?",
         SCALE_HELP, False, []),
    ]),
    ("Les rôles", [
        (QuestionKind.SCALE, "Votre rôle et ce que l'on attendait de vous étaient-ils clairs ?",
         SCALE_HELP, True, []),
        (QuestionKind.YES_NO, "Saviez-vous qui contacter à la cellule de crise ?", "", False, []),
    ]),
    ("La communication", [
        (QuestionKind.SCALE, "Avez-vous été bien informé pendant toute la durée de la crise ?",
         SCALE_HELP, True, []),
        (QuestionKind.MULTIPLE, "Par quels moyens avez-vous reçu les informations ?",
         "Cochez tout ce qui s'applique.", False, CHANNELS),
    ]),
    ("Les moyens", [
        (QuestionKind.SCALE, "Les moyens (personnes, matériel, locaux) étaient-ils suffisants ?",
         SCALE_HELP, False, []),
        (QuestionKind.TEXT, "Qu'est-ce qui vous a manqué ?", "", False, []),
    ]),
    ("La continuité des soins", [
        (QuestionKind.SCALE, "Les patients ou les personnes fragiles que vous suivez ont-ils "
         "continué à recevoir les soins nécessaires ?", SCALE_HELP, False, []),
        (QuestionKind.NUMBER, "Combien de rendez-vous ou de visites avez-vous dû reporter ?",
         "Laissez vide si vous ne savez pas.", False, []),
    ]),
    ("Ce qu'il faut changer", [
        (QuestionKind.TEXT, "Qu'est-ce qui a bien fonctionné et qu'il faut garder ?", "", False,
         []),
        (QuestionKind.TEXT, "Que faudrait-il changer pour la prochaine fois ?", "", False, []),
    ]),
]  # fmt: skip
INTRO = (
    "Merci de prendre cinq minutes pour nous dire comment vous avez vécu {event}. Vos réponses "
    "nourrissent le retour d'expérience (RETEX) de la CPTS et servent à améliorer le plan de "
    "crise. Vous pouvez enregistrer vos réponses et revenir plus tard avec le même lien."
)


def create_retex_survey(actor, cpts, *, title, is_exercise=False, closes_at=None, intro=None,
                        allows_open_link=False):  # fmt: skip
    """A draft RETEX questionnaire with its parts and questions, ready to adapt and open."""
    event = "cet exercice" if is_exercise else "cette crise"
    with transaction.atomic():
        survey = services.create_survey(
            actor, cpts, title=title, intro=INTRO.format(event=event) if intro is None else intro,
            closes_at=closes_at, is_exercise=is_exercise, allows_open_link=allows_open_link,
            sections=[name for name, _ in RETEX_QUESTIONS],
        )  # fmt: skip
        sections = list(Section.objects.filter(survey=survey))
        questions, position = [], 0
        for section, (_, rows) in zip(sections, RETEX_QUESTIONS, strict=True):
            for kind, text, help_text, required, choices in rows:
                position += 1
                questions.append(Question(
                    survey=survey, section=section, kind=kind, text=text, help_text=help_text,
                    required=required, choices=choices, position=position,
                ))  # fmt: skip
        Question.objects.bulk_create(questions)
        log_action(actor, cpts, "surveys.survey.started_from_model", survey,
                   {"model": "RETEX", "questions": len(questions)})  # fmt: skip
    return survey
