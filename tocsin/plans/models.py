"""The crisis plan: versions along the national template, sections, cell, fiches, sending.

A version is written as a draft, submitted to the COPIL, validated, then transmitted to the
authorities. From validation on it never changes: the next version starts as a copy.
"""

from django.db import models
from django.db.models import Q

from tocsin.core.enums import AuthorityBody
from tocsin.core.models import Cpts, User
from tocsin.directory.models import Contact
from tocsin.plans.enums import AlertLevel, CellFunction, FicheKind, FicheRole, PlanStatus, Section
from tocsin.territory.models import Risk

OPEN_STATUSES = (PlanStatus.DRAFT, PlanStatus.SUBMITTED)


class VersionQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)

    def published(self):
        """Validated versions, transmitted or not: what the COPIL has approved."""
        return self.filter(status__in=[PlanStatus.VALIDATED, PlanStatus.TRANSMITTED])


class PlanVersion(models.Model):
    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField("version")
    status = models.CharField("état", max_length=20, choices=PlanStatus, default=PlanStatus.DRAFT)
    based_on = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="issue de"
    )
    change_summary = models.TextField("résumé des changements", blank=True)
    # Organisation (section 1), kept structured so the completeness check can read it.
    referent = models.ForeignKey(
        Contact,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="référent SSE",
    )
    referent_role = models.TextField("rôle du référent", blank=True)
    referent_training = models.TextField("formations du référent", blank=True)
    deputy = models.ForeignKey(
        Contact, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="suppléant"
    )
    deputy_role = models.TextField("rôle du suppléant", blank=True)
    deputy_training = models.TextField("formations du suppléant", blank=True)
    cell_place = models.TextField("lieu de réunion de la cellule", blank=True)
    cell_fallback_place = models.TextField("lieu de repli", blank=True)
    activation_procedure = models.TextField("procédure d'activation de la cellule", blank=True)
    alert_chain = models.TextField(
        "chaîne d'alerte ARS / Préfecture → CPTS → professionnels", blank=True
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    created_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    submitted_at = models.DateTimeField("soumise le", null=True, blank=True)
    validated_on = models.DateField("date du COPIL", null=True, blank=True)
    validation_note = models.CharField("validation", max_length=300, blank=True)
    validated_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    document = models.FileField("PDF", upload_to="plans/%Y/", blank=True)
    document_sha256 = models.CharField("empreinte SHA-256 du PDF", max_length=64, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = "version du plan"
        verbose_name_plural = "versions du plan"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["cpts", "number"],
                name="plan_version_unique_number",
                violation_error_message="Ce numéro de version existe déjà.",
            ),
            models.UniqueConstraint(
                fields=["cpts"],
                condition=Q(status__in=OPEN_STATUSES),
                name="plan_one_open_version",
                violation_error_message="Une version du plan est déjà en cours de rédaction.",
            ),
        ]

    def __str__(self):
        return f"Plan de gestion de crise — version {self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status in (PlanStatus.VALIDATED, PlanStatus.TRANSMITTED)


class PlanSection(models.Model):
    version = models.ForeignKey(PlanVersion, models.CASCADE, related_name="sections")
    key = models.CharField("section", max_length=20, choices=Section)
    body = models.TextField("contenu", blank=True, help_text="Mise en forme Markdown.")

    class Meta:
        verbose_name = "section du plan"
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="plan_section_unique_key")
        ]

    def __str__(self):
        return self.get_key_display()

    @property
    def position(self) -> int:
        return Section.values.index(self.key)


class CellMember(models.Model):
    """Who holds which function of the crisis cell."""

    version = models.ForeignKey(PlanVersion, models.CASCADE, related_name="cell_members")
    function = models.CharField("fonction", max_length=20, choices=CellFunction)
    contact = models.ForeignKey(Contact, models.PROTECT, related_name="+", verbose_name="personne")
    is_backup = models.BooleanField("en second", default=False)

    class Meta:
        verbose_name = "membre de la cellule"
        ordering = ["function", "is_backup", "pk"]

    def __str__(self):
        return f"{self.get_function_display()} : {self.contact}"


class Fiche(models.Model):
    """A fiche réflexe (steps per role) or a fiche action (missions per risk and alert level)."""

    version = models.ForeignKey(PlanVersion, models.CASCADE, related_name="fiches")
    kind = models.CharField("type", max_length=10, choices=FicheKind)
    title = models.CharField("titre", max_length=200)
    role = models.CharField("pour", max_length=20, choices=FicheRole, blank=True)
    risk = models.ForeignKey(
        Risk, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="risque"
    )
    alert_level = models.CharField("niveau", max_length=10, choices=AlertLevel, blank=True)
    trigger = models.TextField("déclenchement", blank=True)
    checklist = models.TextField("actions", blank=True, help_text="Une action par ligne.")
    who = models.TextField("qui", blank=True)
    resources = models.TextField("moyens", blank=True)
    contacts = models.TextField("contacts à joindre", blank=True)
    messages = models.TextField("messages à envoyer", blank=True)
    # RPPS profession codes a fiche réflexe for professionals concerns; empty: every profession.
    professions = models.JSONField("professions concernées", default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "fiche"
        ordering = ["kind", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=FicheKind.REFLEXE, risk__isnull=True) | Q(kind=FicheKind.ACTION),
                name="fiche_reflexe_has_no_risk",
                violation_error_message="Une fiche réflexe ne porte pas sur un risque.",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def steps(self) -> list[str]:
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]

    def concerns(self, profession: str) -> bool:
        """Whether a professional of this RPPS profession code should read this fiche."""
        return not self.professions or profession in self.professions


class Transmission(models.Model):
    """One validated version made available to one authority, and their acknowledgement."""

    version = models.ForeignKey(PlanVersion, models.PROTECT, related_name="transmissions")
    recipient = models.CharField("destinataire", max_length=20, choices=AuthorityBody)
    sent_at = models.DateTimeField("transmise le", auto_now_add=True)
    sent_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    method = models.CharField("moyen", max_length=200, default="Tocsin (lien par e-mail)")
    acknowledged_at = models.DateTimeField("accusé de réception le", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "transmission"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "recipient"],
                name="transmission_unique_recipient",
                violation_error_message="Cette version a déjà été transmise à cette autorité.",
            )
        ]

    def __str__(self):
        return f"{self.version} → {self.get_recipient_display()}"
