"""The watch log: every signal that may announce a crisis, whatever its source.

Manual entries (a DGS-Urgent, an ARS call), CAP 1.2 alerts and Météo-France vigilance all
land here as `Signal` rows; a crisis can then be activated from one of them.
"""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tocsin.core.models import Cpts, User
from tocsin.watch.enums import FeedKind, Level, SignalSource


class SignalQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)

    def in_force(self):
        return self.filter(cancelled_at__isnull=True, superseded_by__isnull=True)

    def current(self, now=None):
        """In force and not past its end."""
        now = now or timezone.now()
        return self.in_force().filter(Q(expires__isnull=True) | Q(expires__gt=now))


class Signal(models.Model):
    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="signals")
    source = models.CharField("origine", max_length=20, choices=SignalSource)
    # CAP identifier; for vigilance "<domain>:<phenomenon>:<day>@<bulletin time>" (a colour
    # change is a new signal, see services.import_vigilance); blank for manual ones.
    identifier = models.CharField("identifiant", max_length=300, blank=True)
    sender = models.CharField("émetteur", max_length=300, blank=True)
    sent_at = models.DateTimeField("émis le")
    received_at = models.DateTimeField("reçu le", auto_now_add=True)
    is_exercise = models.BooleanField("exercice", default=False)
    level = models.PositiveSmallIntegerField("niveau", choices=Level, default=Level.YELLOW)
    event = models.CharField("événement", max_length=300)
    headline = models.CharField("titre", max_length=500)
    description = models.TextField("description", blank=True)
    instruction = models.TextField("consignes", blank=True)
    areas = models.TextField("zones concernées", blank=True)
    departments = models.JSONField("départements", default=list, blank=True)
    onset = models.DateTimeField("début", null=True, blank=True)
    expires = models.DateTimeField("fin", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="remplacé par",
    )  # fmt: skip
    feed = models.ForeignKey("Feed", models.SET_NULL, null=True, blank=True, related_name="signals")
    created_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    # CAP alerts: msgType, where the document came from, and the document itself as evidence.
    message_type = models.CharField("type de message", max_length=10, blank=True)
    document_url = models.URLField("adresse du document", max_length=500, blank=True)
    document = models.TextField("document d'origine", blank=True)

    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = "signal"
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cpts", "source", "identifier"],
                condition=~Q(identifier=""),
                name="signal_unique_identifier",
            )
        ]
        indexes = [models.Index(fields=["cpts", "-sent_at"])]

    def __str__(self):
        return self.headline

    @property
    def is_in_force(self) -> bool:
        return self.cancelled_at is None and self.superseded_by_id is None

    @property
    def has_expired(self) -> bool:
        return self.expires is not None and self.expires <= timezone.now()

    @property
    def state_label(self) -> str:
        if self.cancelled_at:
            return "Terminé"
        if self.superseded_by_id:
            return "Remplacé"
        return "Échu" if self.has_expired else "En vigueur"


class Attachment(models.Model):
    signal = models.ForeignKey(Signal, models.CASCADE, related_name="attachments")
    file = models.FileField("pièce jointe", upload_to="watch/%Y/")
    name = models.CharField("nom", max_length=255)

    class Meta:
        verbose_name = "pièce jointe"

    def __str__(self):
        return self.name


class Feed(models.Model):
    """A source polled in the background: a CAP document or feed, or the vigilance JSON."""

    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="feeds")
    kind = models.CharField("type", max_length=20, choices=FeedKind)
    name = models.CharField("nom", max_length=200)
    url = models.URLField("adresse", max_length=500)
    enabled = models.BooleanField("actif", default=True)
    every_minutes = models.PositiveIntegerField("toutes les (minutes)", default=15)
    last_fetched_at = models.DateTimeField("dernière lecture", null=True, blank=True)
    last_ok = models.BooleanField("dernière lecture réussie", default=True)
    last_message = models.TextField("compte rendu", blank=True)

    class Meta:
        verbose_name = "flux surveillé"
        verbose_name_plural = "flux surveillés"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def is_due(self, now=None) -> bool:
        if not self.enabled:
            return False
        if self.last_fetched_at is None:
            return True
        now = now or timezone.now()
        return self.last_fetched_at <= now - timedelta(minutes=self.every_minutes)


class Fetch(models.Model):
    """One reading of a feed, kept so that failures are seen, not just logged."""

    feed = models.ForeignKey(Feed, models.CASCADE, related_name="fetches")
    at = models.DateTimeField("le", auto_now_add=True)
    ok = models.BooleanField("réussie")
    message = models.TextField("compte rendu")
    new_signals = models.PositiveIntegerField("nouveaux signaux", default=0)

    class Meta:
        verbose_name = "lecture de flux"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.feed} — {self.at:%d/%m/%Y %H:%M}"
