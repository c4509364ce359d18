"""Choices of trainings: their kinds, a registration's states, and how valid a training is."""

from django.db import models


class TrainingKind(models.TextChoices):
    AFGSU_SSE = "afgsu_sse", "AFGSU SSE"
    CRISIS_MANAGEMENT = "crisis_management", "Gestion de crise"
    NRBC = "nrbc", "NRBC"
    FIRST_AID = "first_aid", "Premiers secours"
    CPTS_PLAN = "cpts_plan", "Le plan de la CPTS"
    OTHER = "other", "Autre"


class RegistrationStatus(models.TextChoices):
    INVITED = "invited", "Invité, sans réponse"
    REGISTERED = "registered", "Inscrit"
    WAITING = "waiting", "Liste d'attente"
    CANCELLED = "cancelled", "Désinscrit"


# The transitions a registration may take; a walk-in goes straight to « inscrit ».
TRANSITIONS = {
    RegistrationStatus.INVITED: {RegistrationStatus.REGISTERED, RegistrationStatus.WAITING},
    RegistrationStatus.REGISTERED: {RegistrationStatus.CANCELLED},
    RegistrationStatus.WAITING: {RegistrationStatus.REGISTERED, RegistrationStatus.CANCELLED},
    RegistrationStatus.CANCELLED: {RegistrationStatus.REGISTERED, RegistrationStatus.WAITING},
}


class Validity(models.TextChoices):
    """Where one attended training stands today."""

    VALID = "valid", "Valide"
    EXPIRING = "expiring", "Expire bientôt"
    EXPIRED = "expired", "Expirée"
    PERMANENT = "permanent", "Sans limite de validité"


class RequiredState(models.TextChoices):
    """Where the référent or the suppléant stands for one required training."""

    MET = "met", "À jour"
    EXPIRING = "expiring", "Expire bientôt"
    MISSING = "missing", "Manquante ou expirée"


# « Expire bientôt »: within this many days.
EXPIRING_WITHIN_DAYS = 90
