"""The continuity-of-care register (health data, RGPD art. 9): the patients who need checking
on in a crisis, who looked at them and why, the call campaigns of a crisis, and the proofs of
deletion. Identifying and health fields are encrypted at rest (`crypto`); the commune, the
treating professionals and the dates stay in clear, for access rules and retention.
"""

import datetime
import secrets

import phonenumbers
from django.conf import settings
from django.db import models
from django.utils import timezone

from tocsin.care.crypto import EncryptedDateField, EncryptedListField, EncryptedTextField
from tocsin.care.enums import (
    NEED_PRIORITY,
    AccessKind,
    CampaignStatus,
    DeletionCause,
    LegalBasis,
    Need,
    Outcome,
)
from tocsin.core.models import Cpts, User
from tocsin.crises.models import Crisis
from tocsin.directory.models import Contact
from tocsin.territory.models import Commune


class PatientQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)

    def followed_by(self, contact):
        return self.filter(professionals=contact) if contact is not None else self.none()

    def in_communes(self, commune_ids):
        return self.filter(commune_id__in=commune_ids)

    def unverified_since(self, day: datetime.date):
        return self.filter(verified_on__lt=day)


class Patient(models.Model):
    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="care_patients")
    last_name = EncryptedTextField("nom")
    first_name = EncryptedTextField("prénom", blank=True)
    birth_date = EncryptedDateField("date de naissance", blank=True)
    address = EncryptedTextField("adresse", blank=True)
    commune = models.ForeignKey(Commune, models.PROTECT, related_name="+", verbose_name="commune")
    phone = EncryptedTextField("téléphone")
    needs = EncryptedListField("besoins")
    emergency_contact = EncryptedTextField(
        "personne à prévenir", blank=True, help_text="Nom, lien et téléphone."
    )
    notes = EncryptedTextField(
        "consignes pour l'appelant", blank=True,
        help_text="Ce qui aide à l'appeler ou à l'aider : prestataire d'oxygène, code d'entrée…",
    )  # fmt: skip
    professionals = models.ManyToManyField(
        Contact, related_name="care_patients", verbose_name="professionnels traitants"
    )
    legal_basis = models.CharField("base légale", max_length=20, choices=LegalBasis)
    basis_recorded_on = models.DateField("consentement ou base légale recueilli le")
    verified_on = models.DateField("vérifié le")
    created_at = models.DateTimeField("inscrit le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    created_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")

    objects = PatientQuerySet.as_manager()

    class Meta:
        verbose_name = "patient du registre"
        verbose_name_plural = "patients du registre"
        ordering = ["pk"]  # names are encrypted: pages sort after reading

    def __str__(self):
        # What the audit trail keeps: never a name.
        return f"Patient n° {self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}".strip()

    @property
    def sort_key(self) -> tuple:
        return (self.last_name.casefold(), self.first_name.casefold(), self.pk)

    @property
    def need_labels(self) -> list[str]:
        return [Need(code).label for code in self.needs if code in Need.values]

    @property
    def priority(self) -> int:
        return min((NEED_PRIORITY.get(code, len(Need)) for code in self.needs), default=len(Need))

    @property
    def phone_display(self) -> str:
        try:
            number = phonenumbers.parse(self.phone, "FR")
        except phonenumbers.NumberParseException:
            return self.phone
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)

    @property
    def age(self) -> int | None:
        if not self.birth_date:
            return None
        today = timezone.localdate()
        before_birthday = (today.month, today.day) < (self.birth_date.month, self.birth_date.day)
        return today.year - self.birth_date.year - before_birthday

    @property
    def verify_by(self) -> datetime.date:
        return self.verified_on + datetime.timedelta(days=settings.CARE_VERIFY_DAYS)

    @property
    def purge_on(self) -> datetime.date:
        return self.verify_by + datetime.timedelta(days=settings.CARE_PURGE_GRACE_DAYS)

    @property
    def is_stale(self) -> bool:
        return self.verify_by < timezone.localdate()


class AccessImmutableError(Exception):
    pass


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AccessImmutableError("Le journal des accès ne se modifie pas.")


class AccessLog(models.Model):
    """One page that showed patients of the register: who, when, under which right, why."""

    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="+")
    at = models.DateTimeField("le", default=timezone.now, db_index=True)
    user = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    user_label = models.CharField("par", max_length=200)
    kind = models.CharField("au titre de", max_length=10, choices=AccessKind)
    reason = models.CharField("motif", max_length=300)
    crisis = models.ForeignKey(
        Crisis, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="crise"
    )
    page = models.CharField("page", max_length=200)
    # Numbers, not links: the log outlives the patients it names, and names nobody in clear.
    patient_ids = models.JSONField("patients affichés", default=list)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = "accès au registre"
        verbose_name_plural = "journal des accès au registre"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user_label} — {self.page}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AccessImmutableError("Le journal des accès ne se modifie pas.")
        super().save(*args, **kwargs)

    @property
    def patient_count(self) -> int:
        return len(self.patient_ids)


class CallCampaignQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(crisis__cpts=cpts)


class CallCampaign(models.Model):
    """The cell's calls to the registered patients of the exposed communes, shared out among
    volunteers; its counts (never its names) feed the points de situation."""

    crisis = models.ForeignKey(Crisis, models.PROTECT, related_name="call_campaigns")
    title = models.CharField("intitulé", max_length=200)
    needs = models.JSONField("besoins ciblés", default=list, blank=True)
    status = models.CharField(
        "état", max_length=10, choices=CampaignStatus, default=CampaignStatus.OPEN
    )
    created_at = models.DateTimeField("lancée le", auto_now_add=True)
    created_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    closed_at = models.DateTimeField("close le", null=True, blank=True)

    objects = CallCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "campagne d'appels"
        verbose_name_plural = "campagnes d'appels"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN

    @property
    def need_labels(self) -> list[str]:
        return [Need(code).label for code in self.needs if code in Need.values]


class Call(models.Model):
    """One patient of a campaign, in one caller's share, and the outcome of the calls."""

    campaign = models.ForeignKey(CallCampaign, models.CASCADE, related_name="calls")
    # Kept (empty) when the patient leaves the register: the counts stay true.
    patient = models.ForeignKey(Patient, models.SET_NULL, null=True, related_name="calls")
    commune = models.ForeignKey(Commune, models.PROTECT, related_name="+")
    caller = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name="appelant")
    position = models.PositiveIntegerField(default=0)
    outcome = models.CharField("résultat", max_length=20, choices=Outcome, default=Outcome.PENDING)
    attempts = models.PositiveSmallIntegerField("appels passés", default=0)
    note = EncryptedTextField("note", blank=True)
    called_at = models.DateTimeField("dernier appel", null=True, blank=True)
    updated_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "appel"
        ordering = ["campaign", "caller", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "patient"],
                name="care_call_unique_patient",
                violation_error_message="Ce patient est déjà dans cette campagne d'appels.",
            )
        ]
        indexes = [models.Index(fields=["campaign", "outcome"])]

    def __str__(self):
        return f"Appel n° {self.pk}"


def new_reference() -> str:
    return "EFF-" + secrets.token_hex(4).upper()


class Deletion(models.Model):
    """The proof that a patient left the register: kept without any of their data."""

    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="+")
    reference = models.CharField("référence", max_length=20, unique=True, default=new_reference)
    patient_number = models.PositiveIntegerField("n° du patient")
    cause = models.CharField("motif", max_length=20, choices=DeletionCause)
    deleted_at = models.DateTimeField("supprimé le", default=timezone.now)
    deleted_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    deleted_by_label = models.CharField("par", max_length=200)
    # SHA-256 of the attestation handed over, which this row lets anyone check later.
    document_sha256 = models.CharField("empreinte de l'attestation", max_length=64, blank=True)

    class Meta:
        verbose_name = "suppression du registre"
        ordering = ["-deleted_at", "-pk"]

    def __str__(self):
        return self.reference
