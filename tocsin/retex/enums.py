"""Choices of a RETEX: its states, the findings' polarity and themes, the actions' states."""

from django.db import models


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "En cours de rédaction"
    VALIDATED = "validated", "Validé"
    TRANSMITTED = "transmitted", "Transmis aux autorités"


class Polarity(models.TextChoices):
    POSITIVE = "positive", "Point positif"
    NEGATIVE = "negative", "Point à améliorer"


class Theme(models.TextChoices):
    ALERT = "alert", "Alerte et déclenchement"
    ROLES = "roles", "Rôles et organisation de la cellule"
    COMMUNICATION = "communication", "Communication"
    RESOURCES = "resources", "Ressources et logistique"
    CONTINUITY = "continuity", "Continuité des soins"
    PARTNERS = "partners", "Coordination avec les partenaires"
    TOOLS = "tools", "Outils et documents du plan"
    OTHER = "other", "Autre"


class ActionStatus(models.TextChoices):
    TODO = "todo", "À faire"
    DOING = "doing", "En cours"
    DONE = "done", "Faite"
    DROPPED = "dropped", "Abandonnée"


OPEN_ACTION_STATUSES = (ActionStatus.TODO, ActionStatus.DOING)
