"""Choices of the alerting engine: kinds of campaign, severities, channels, delivery states and
answers."""

from django.db import models


class CampaignKind(models.TextChoices):
    """An alert mobilises; the other kinds keep the professionals aware (e-mail, no escalation)."""

    ALERT = "alert", "Alerte"
    NEWSLETTER = "newsletter", "Lettre d'information"
    INFORMATION = "information", "Message d'information"
    MEETING = "meeting", "Invitation à une réunion"


AWARENESS_KINDS = (CampaignKind.NEWSLETTER, CampaignKind.INFORMATION, CampaignKind.MEETING)


class Severity(models.TextChoices):
    INFO = "info", "Information"
    IMPORTANT = "important", "Important"
    URGENT = "urgent", "Urgent"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SENT = "sent", "Envoyée"
    CLOSED = "closed", "Clôturée"


class Channel(models.TextChoices):
    """The channels the engine sends on (the directory's « appel téléphonique » is not one)."""

    EMAIL = "email", "E-mail"
    SMS = "sms", "SMS"
    MSSANTE = "mssante", "MSSanté"


class DeliveryState(models.TextChoices):
    QUEUED = "queued", "En file"
    SENDING = "sending", "En cours d'envoi"
    SENT = "sent", "Envoyé"
    DELIVERED = "delivered", "Remis"
    FAILED = "failed", "Échec"
    BOUNCED = "bounced", "Rejeté par le destinataire"
    CANCELLED = "cancelled", "Annulé (réponse reçue)"


FINAL_STATES = (DeliveryState.SENT, DeliveryState.DELIVERED, DeliveryState.FAILED,
                DeliveryState.BOUNCED, DeliveryState.CANCELLED)  # fmt: skip
SUCCESS_STATES = (DeliveryState.SENT, DeliveryState.DELIVERED)


class DeliveryReason(models.TextChoices):
    """Why a delivery row exists: the first send, an escalation or a reminder."""

    INITIAL = "initial", "Envoi"
    NEXT_CHANNEL = "next_channel", "Relance sur le canal suivant"
    BACKUP = "backup", "Alerte du suppléant"
    REMINDER = "reminder", "Rappel"


class Answer(models.TextChoices):
    NONE = "", "Pas de réponse"
    ACKNOWLEDGED = "ack", "A pris connaissance"
    AVAILABLE = "available", "Disponible"
    AVAILABLE_FROM = "available_from", "Disponible plus tard"
    UNAVAILABLE = "unavailable", "Indisponible"


AVAILABLE_ANSWERS = (Answer.AVAILABLE, Answer.AVAILABLE_FROM)


class Exclusion(models.TextChoices):
    """Why a contact of the audience gets no message: listed, never silently dropped."""

    NO_CONSENT = "no_consent", "N'a pas consenti à être alerté"
    NO_CHANNEL = "no_channel", "Aucun canal joignable"
    NO_MSSANTE = "no_mssante", "Pas d'adresse MSSanté (message avec données de santé)"
    NO_EMAIL = "no_email", "Pas d'adresse e-mail (information envoyée par e-mail seulement)"
