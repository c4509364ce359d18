"""Choices of a questionnaire: its states and the kinds of questions it asks."""

from django.db import models


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "En préparation"
    OPEN = "open", "Ouvert aux réponses"
    CLOSED = "closed", "Clos"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Choix unique"
    MULTIPLE = "multiple", "Choix multiple"
    SCALE = "scale", "Échelle de 1 à 5"
    YES_NO = "yes_no", "Oui / non"
    TEXT = "text", "Texte libre"
    NUMBER = "number", "Nombre"


# Kinds whose answer is one of a list of options the survey author writes.
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
YES, NO = "oui", "non"
SCALE_VALUES = (1, 2, 3, 4, 5)


class Via(models.TextChoices):
    INVITATION = "invitation", "Invitation personnelle"
    OPEN_LINK = "open_link", "Lien ouvert"


# What a visitor of the open link says they are (an invited person's kind comes from the
# directory). Results filter on these labels as on the invited people's kinds.
OPEN_LINK_KINDS = (
    "Mairie",
    "Professionnel de santé",
    "Établissement de santé ou médico-social",
    "Association",
    "Autre",
)
OTHER_KIND = "Autre"
ANONYMOUS = "Réponse anonyme"
