"""Alert campaigns, their recipients and one delivery row per recipient × channel × attempt.

A campaign freezes its audience when it is sent: each contact becomes a `Recipient` (with the
ordered channels and addresses it will be tried on, or the reason it cannot be reached), and each
message to send becomes a `Delivery` with a unique idempotency key. Workers claim deliveries
atomically, so a crash never loses a message and a restart never knowingly sends one twice.
"""

from django.db import models
from django.db.models import Q

from tocsin.alerts.enums import (
    AWARENESS_KINDS,
    Answer,
    CampaignKind,
    CampaignStatus,
    Channel,
    DeliveryReason,
    DeliveryState,
    Exclusion,
    Severity,
)
from tocsin.core.models import Cpts, User
from tocsin.directory.models import Contact

# What an awareness campaign always is: no crisis, no health data, a read receipt, no relaunch.
PLAIN_EMAIL = Q(crisis__isnull=True, has_health_data=False, ask_availability=False,
                next_channel_after__isnull=True, backup_after__isnull=True)  # fmt: skip


class CampaignQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)

    def alerts(self):
        return self.filter(kind=CampaignKind.ALERT)

    def awareness(self):
        return self.filter(kind__in=AWARENESS_KINDS)


class Campaign(models.Model):
    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="alert_campaigns")
    kind = models.CharField("type", max_length=12, choices=CampaignKind, default=CampaignKind.ALERT)
    crisis = models.ForeignKey(
        "crises.Crisis", models.PROTECT, null=True, blank=True, related_name="alert_campaigns",
        verbose_name="crise",
    )  # fmt: skip
    title = models.CharField("objet", max_length=160)
    body = models.TextField("message")
    severity = models.CharField(
        "gravité", max_length=10, choices=Severity, default=Severity.IMPORTANT
    )
    ask_availability = models.BooleanField(
        "demander la disponibilité",
        default=True,
        help_text="Sinon, le lien demande seulement un accusé de lecture.",
    )
    has_health_data = models.BooleanField(
        "contient des données de santé",
        default=False,
        help_text="Envoyé alors par MSSanté seulement, jamais par e-mail ni SMS.",
    )
    meeting_at = models.DateTimeField("date et heure de la réunion", null=True, blank=True)
    meeting_place = models.CharField("lieu de la réunion", max_length=200, blank=True)
    audience = models.JSONField("destinataires choisis", default=dict, blank=True)
    # Escalation: without an answer after N minutes, the next channel; after M, the backup.
    next_channel_after = models.PositiveSmallIntegerField(
        "relance sur le canal suivant après (minutes)", null=True, blank=True, default=15
    )
    backup_after = models.PositiveSmallIntegerField(
        "alerte du suppléant après (minutes)", null=True, blank=True, default=30
    )
    status = models.CharField(
        "état", max_length=10, choices=CampaignStatus, default=CampaignStatus.DRAFT
    )
    created_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)
    reminders = models.PositiveSmallIntegerField("rappels envoyés", default=0)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "campagne d'alerte"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "sent_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=CampaignKind.ALERT) | PLAIN_EMAIL,
                name="alerts_awareness_is_plain_email",
                violation_error_message="Une information ne se rattache pas à une crise, ne "
                "contient pas de données de santé, ne demande pas la disponibilité et n'a pas "
                "de relance.",
            ),
            models.CheckConstraint(
                condition=~Q(kind=CampaignKind.MEETING) | Q(meeting_at__isnull=False),
                name="alerts_meeting_has_a_date",
                violation_error_message="Une invitation à une réunion porte sa date et son heure.",
            ),
        ]

    def __str__(self):
        prefix = "[EXERCICE] " if self.is_exercise else ""
        return f"{prefix}{self.title}"

    @property
    def is_exercise(self) -> bool:
        return bool(self.crisis_id) and self.crisis.is_exercise

    @property
    def is_draft(self) -> bool:
        return self.status == CampaignStatus.DRAFT

    @property
    def is_awareness(self) -> bool:
        """A newsletter, an information or an invitation: e-mail only, read receipt only."""
        return self.kind in AWARENESS_KINDS

    @property
    def is_meeting(self) -> bool:
        return self.kind == CampaignKind.MEETING


class Recipient(models.Model):
    """One person of a sent campaign, with what we know of their answer."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="recipients")
    contact = models.ForeignKey(Contact, models.SET_NULL, null=True, related_name="+")
    # A snapshot, so the roll-call and its export still read right if the contact changes.
    name = models.CharField("nom", max_length=310)
    profession = models.CharField("profession", max_length=150, blank=True)
    commune = models.CharField("commune", max_length=150, blank=True)
    # Ordered [channel, address] pairs this person is tried on.
    routes = models.JSONField("canaux", default=list)
    route_index = models.PositiveSmallIntegerField(default=0)
    exclusion = models.CharField("non alerté car", max_length=20, choices=Exclusion, blank=True)
    backup_of = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="backups",
        verbose_name="suppléant de",
    )  # fmt: skip
    answer = models.CharField("réponse", max_length=20, choices=Answer, blank=True)
    available_from = models.TimeField("disponible à partir de", null=True, blank=True)
    comment = models.CharField("commentaire", max_length=500, blank=True)
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    answered_via = models.CharField("répondu par", max_length=20, blank=True)
    # When the current escalation stage started (first send, then each escalation).
    stage_started_at = models.DateTimeField(null=True, blank=True)
    backup_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "destinataire"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "contact"],
                condition=Q(contact__isnull=False),
                name="alerts_one_recipient_per_contact",
            )
        ]
        indexes = [models.Index(fields=["campaign", "answer"])]

    def __str__(self):
        return self.name

    @property
    def is_reachable(self) -> bool:
        return not self.exclusion

    @property
    def has_answered(self) -> bool:
        return bool(self.answer)


class Delivery(models.Model):
    """One message to one address on one channel. Every state change is timestamped."""

    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(Recipient, models.CASCADE, related_name="deliveries")
    channel = models.CharField("canal", max_length=10, choices=Channel)
    address = models.CharField("adresse", max_length=320)
    reason = models.CharField(
        "motif", max_length=20, choices=DeliveryReason, default=DeliveryReason.INITIAL
    )
    idempotency_key = models.CharField(max_length=120, unique=True)
    state = models.CharField(
        "état", max_length=10, choices=DeliveryState, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    due_at = models.DateTimeField("à envoyer à partir de")
    claimed_by = models.CharField(max_length=80, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    provider = models.CharField("prestataire", max_length=40, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True, db_index=True)
    error = models.CharField("erreur", max_length=500, blank=True)
    queued_at = models.DateTimeField("mis en file le")
    sending_at = models.DateTimeField("envoi commencé le", null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    delivered_at = models.DateTimeField("remis le", null=True, blank=True)
    failed_at = models.DateTimeField("échec le", null=True, blank=True)
    # The first « opened » event of an e-mail provider that tracks opens (through anymail).
    opened_at = models.DateTimeField("ouvert le", null=True, blank=True)

    class Meta:
        verbose_name = "envoi"
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["campaign", "state"]),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address}"


class ProviderEvent(models.Model):
    """A receipt or an inbound reply from a provider: kept once, however often it is replayed."""

    provider = models.CharField(max_length=40)
    message_id = models.CharField(max_length=200)
    event = models.CharField(max_length=40)
    delivery = models.ForeignKey(
        Delivery, models.SET_NULL, null=True, blank=True, related_name="events"
    )
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "message_id", "event"], name="alerts_event_once"
            )
        ]

    def __str__(self):
        return f"{self.provider} {self.message_id} {self.event}"
