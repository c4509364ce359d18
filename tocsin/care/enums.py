"""Choices of the continuity-of-care register: needs, legal bases, call outcomes, access."""

from django.db import models


class Need(models.TextChoices):
    """Why a person needs to be checked on in a crisis; the order is the calling priority."""

    OXYGEN = "oxygen", "Oxygène à domicile"
    DIALYSIS = "dialysis", "Dialyse"
    LIFE_DEVICE = "life_device", "Appareil électrique vital (respirateur, pompe…)"
    COLD_CHAIN = "cold_chain", "Traitement à conserver au froid (insuline…)"
    PALLIATIVE = "palliative", "Soins palliatifs"
    HOME_CARE = "home_care", "Soins à domicile (SSIAD, HAD, infirmier)"
    ISOLATED_ELDERLY = "isolated_elderly", "Personne âgée isolée"
    REDUCED_MOBILITY = "reduced_mobility", "Mobilité réduite"


NEED_PRIORITY = {need: rank for rank, need in enumerate(Need)}


class LegalBasis(models.TextChoices):
    CONSENT = "consent", "Consentement de la personne (RGPD art. 9.2.a)"
    CARE = "care", "Prise en charge sanitaire par ses soignants (RGPD art. 9.2.h)"
    VITAL_INTEREST = "vital_interest", "Sauvegarde des intérêts vitaux (RGPD art. 9.2.c)"


class Outcome(models.TextChoices):
    PENDING = "pending", "À appeler"
    FINE = "fine", "Joint, tout va bien"
    NEEDS_HELP = "needs_help", "Joint, a besoin d'aide"
    NOT_REACHED = "not_reached", "Injoignable, à rappeler"
    ESCALATED_SAMU = "escalated_samu", "Signalé au SAMU (15)"
    ESCALATED_MAIRIE = "escalated_mairie", "Signalé à la mairie"


REACHED_OUTCOMES = (Outcome.FINE, Outcome.NEEDS_HELP, Outcome.ESCALATED_SAMU,
                    Outcome.ESCALATED_MAIRIE)  # fmt: skip
ESCALATED_OUTCOMES = (Outcome.ESCALATED_SAMU, Outcome.ESCALATED_MAIRIE)
# Still to be dealt with by the caller: never called, or to call again.
TO_CALL_OUTCOMES = (Outcome.PENDING, Outcome.NOT_REACHED)


class CampaignStatus(models.TextChoices):
    OPEN = "open", "En cours"
    CLOSED = "closed", "Close"


class AccessKind(models.TextChoices):
    """Under which right a page showed patients: what the access log's reader needs to know."""

    OWN = "own", "Professionnel traitant"
    CRISIS = "crisis", "Cellule de crise"
    CALLS = "calls", "Appels de vérification"
    ERASURE = "erasure", "Demande d'effacement"


class DeletionCause(models.TextChoices):
    REQUEST = "request", "À la demande de la personne"
    PROFESSIONAL = "professional", "Retrait par le professionnel traitant"
    RETENTION = "retention", "Purge automatique (non vérifié)"


# What a crisis reason may say; "other" asks for a few words.
CRISIS_REASONS = [
    ("calls", "Organiser les appels de vérification"),
    ("visits", "Organiser des visites ou une évacuation"),
    ("samu", "Répondre à une demande du SAMU ou de la mairie"),
    ("other", "Autre motif (précisez)"),
]
