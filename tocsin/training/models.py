"""Trainings of the CPTS: the catalogue, the sessions held, who registered and who attended.

A session's invitations become registrations (one per contact, reached by a signed link);
each registers, waits for a seat or cancels, and attendance is recorded on the day. A
registration keeps a snapshot of the person, as the attendance certificate prints it.
"""

import datetime
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone

from tocsin.core.models import Cpts, User
from tocsin.directory.models import Contact
from tocsin.training.enums import RegistrationStatus, TrainingKind


class TrainingQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)

    def required(self):
        return self.filter(required_for_referent=True)


class Training(models.Model):
    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="trainings")
    title = models.CharField("intitulé", max_length=200)
    provider = models.CharField("organisme de formation", max_length=200, blank=True)
    kind = models.CharField("type", max_length=20, choices=TrainingKind)
    duration_hours = models.DecimalField("durée (heures)", max_digits=5, decimal_places=1)
    validity_months = models.PositiveSmallIntegerField(
        "validité (mois)", null=True, blank=True,
        help_text="Laissez vide si la formation n'expire pas (l'AFGSU se renouvelle tous les "
        "4 ans, soit 48 mois).",
    )  # fmt: skip
    description = models.TextField("description", blank=True)
    required_for_referent = models.BooleanField(
        "exigée pour le référent et le suppléant", default=False,
        help_text="Suivie par le plan (complétude) et le tableau de bord.",
    )  # fmt: skip
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = "formation"
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cpts", "title"],
                name="training_unique_title",
                violation_error_message="Le catalogue a déjà une formation de cet intitulé.",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(duration_hours__gt=0),
                name="training_duration_positive",
                violation_error_message="La durée d'une formation est d'au moins une heure.",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(validity_months__isnull=True) | Q(validity_months__gt=0),
                name="training_validity_positive",
                violation_error_message="La validité est d'au moins un mois, ou laissée vide.",
            ),
        ]

    def __str__(self):
        return self.title

    def expires_on(self, attended_on: datetime.date) -> datetime.date | None:
        """The last day it is valid for someone who attended on that day (None: never expires)."""
        if self.validity_months is None:
            return None
        return attended_on + relativedelta(months=self.validity_months)


class SessionQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)

    def upcoming(self, today=None):
        return self.filter(date__gte=today or timezone.localdate()).order_by(
            "date", "start_time", "pk"
        )

    def past(self, today=None):
        return self.filter(date__lt=today or timezone.localdate()).order_by(
            "-date", "-start_time", "-pk"
        )

    def with_counts(self):
        """Each session with its registered and waiting counts, in the query that lists it."""
        return self.annotate(
            n_registered=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
            ),
            n_waiting=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
            ),
        )


class Session(models.Model):
    """One date a training is given, at a place or online, for a number of seats."""

    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="training_sessions")
    training = models.ForeignKey(Training, models.PROTECT, related_name="sessions")
    date = models.DateField("date")
    start_time = models.TimeField("heure de début")
    end_time = models.TimeField("heure de fin")
    place = models.CharField("lieu", max_length=300, blank=True)
    online_url = models.URLField("lien de la visioconférence", blank=True)
    capacity = models.PositiveSmallIntegerField("nombre de places")
    trainer = models.CharField("formateur", max_length=200, blank=True)
    created_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = "session de formation"
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="training_session_ends_after_start",
                violation_error_message="La session se termine après son heure de début.",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="training_session_has_seats",
                violation_error_message="Une session a au moins une place.",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""),
                name="training_session_has_a_place",
                violation_error_message="Indiquez le lieu de la session ou son lien en ligne.",
            ),  # fmt: skip
        ]

    def __str__(self):
        return f"{self.training.title} du {self.date:%d/%m/%Y}"

    def _at(self, time) -> datetime.datetime:
        return datetime.datetime.combine(self.date, time, tzinfo=ZoneInfo(settings.TIME_ZONE))

    @property
    def starts(self) -> datetime.datetime:
        return self._at(self.start_time)

    @property
    def ends(self) -> datetime.datetime:
        return self._at(self.end_time)

    @property
    def is_over(self) -> bool:
        """Registration stays open until the session ends."""
        return timezone.now() >= self.ends

    @property
    def takes_attendance(self) -> bool:
        """Attendance is recorded from the session's day on, never before."""
        return self.date <= timezone.localdate()

    @property
    def where(self) -> str:
        return self.place or self.online_url


class Registration(models.Model):
    """One person invited to, registered for, waiting for or attending a session."""

    session = models.ForeignKey(Session, models.PROTECT, related_name="registrations")
    contact = models.ForeignKey(Contact, models.PROTECT, related_name="training_registrations")
    # A snapshot, as the attendance certificate prints it even if the directory changes.
    name = models.CharField("nom", max_length=310)
    email = models.EmailField("e-mail", blank=True)
    profession = models.CharField("profession", max_length=200, blank=True)
    status = models.CharField(
        "état", max_length=12, choices=RegistrationStatus, default=RegistrationStatus.INVITED
    )
    walked_in = models.BooleanField("venu sans inscription", default=False)
    invited_at = models.DateTimeField("invité le", null=True, blank=True)
    registered_at = models.DateTimeField("inscrit le", null=True, blank=True)
    # Orders the waiting list: the first to wait gets the first seat freed.
    waitlisted_at = models.DateTimeField("en liste d'attente depuis", null=True, blank=True)
    cancelled_at = models.DateTimeField("désinscrit le", null=True, blank=True)
    attended = models.BooleanField("présent", null=True, blank=True)
    attendance_noted_at = models.DateTimeField("présence notée le", null=True, blank=True)

    class Meta:
        verbose_name = "inscription"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "contact"],
                name="training_one_registration_per_contact",
                violation_error_message="Cette personne est déjà invitée à cette session.",
            ),  # fmt: skip
        ]
        indexes = [models.Index(fields=["session", "status", "waitlisted_at"])]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)

    def waiting_position(self) -> int | None:
        """1 for the next to get a seat; None when not waiting."""
        if self.status != RegistrationStatus.WAITING:
            return None
        ahead = Q(waitlisted_at__lt=self.waitlisted_at) | Q(
            waitlisted_at=self.waitlisted_at, pk__lt=self.pk
        )
        waiting = self.session.registrations.filter(status=RegistrationStatus.WAITING)
        return waiting.filter(ahead).count() + 1
