"""Choices of a crisis: its phases, the kinds of logbook entries, tasks and reports."""

from django.db import models

from tocsin.plans.enums import AlertLevel


class Phase(models.TextChoices):
    WATCH = "veille", "Veille"
    ALERT = "alerte", "Alerte"
    CRISIS = "crise", "Crise"
    LIFTED = "levee", "Levée"


# The fiches action written for each alert level of the plan apply in the matching phase.
PHASE_LEVEL = {Phase.WATCH: AlertLevel.WATCH, Phase.ALERT: AlertLevel.ALERT,
               Phase.CRISIS: AlertLevel.CRISIS}  # fmt: skip
ACTIVE_PHASES = (Phase.WATCH, Phase.ALERT, Phase.CRISIS)


class EntryKind(models.TextChoices):
    INFORMATION = "information", "Information"
    DECISION = "decision", "Décision"
    ACTION = "action", "Action"
    RECEIVED = "received", "Message reçu"
    SENT = "sent", "Message envoyé"


class TaskStatus(models.TextChoices):
    TODO = "todo", "À faire"
    DOING = "doing", "En cours"
    DONE = "done", "Fait"
    DROPPED = "dropped", "Abandonnée"


OPEN_TASK_STATUSES = (TaskStatus.TODO, TaskStatus.DOING)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    VALIDATED = "validated", "Validé"
    SENT = "sent", "Envoyé"
