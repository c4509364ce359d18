"""The RETEX of a crisis or an exercise: debriefs, findings, improvement actions, the report.

A review is written while its findings come in, validated (its report is then rendered once
and stored, never changed) and transmitted to the authorities like a plan version. Its
improvement actions live on: their state is followed until they are done, and each one that
changes the plan is carried into the next plan version.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone

from tocsin.core.enums import AuthorityBody
from tocsin.core.models import Cpts, User
from tocsin.crises.models import Crisis
from tocsin.directory.models import Contact
from tocsin.plans.enums import Section
from tocsin.plans.models import PlanVersion
from tocsin.retex.enums import OPEN_ACTION_STATUSES, ActionStatus, Polarity, ReviewStatus, Theme


class ReviewQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)


class Review(models.Model):
    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="reviews")
    crisis = models.OneToOneField(Crisis, models.PROTECT, related_name="review")
    status = models.CharField(
        "état", max_length=20, choices=ReviewStatus, default=ReviewStatus.DRAFT
    )
    summary = models.TextField("synthèse", blank=True)
    timeline = models.TextField(
        "chronologie", blank=True, help_text="Un événement par ligne, préremplie depuis la main "
        "courante."
    )  # fmt: skip
    hot_on = models.DateField("RETEX à chaud le", null=True, blank=True)
    hot_participants = models.TextField("participants au RETEX à chaud", blank=True)
    hot_notes = models.TextField("notes du RETEX à chaud", blank=True)
    cold_on = models.DateField("RETEX à froid le", null=True, blank=True)
    cold_participants = models.TextField("participants au RETEX à froid (COPIL, acteurs)",
                                         blank=True)  # fmt: skip
    cold_notes = models.TextField("notes du RETEX à froid", blank=True)
    survey = models.ForeignKey(
        "surveys.Survey", models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="questionnaire",
    )  # fmt: skip
    # The crisis's key figures as they stood at validation; read live before.
    figures = models.JSONField("chiffres clés", default=dict, blank=True)
    created_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    validated_at = models.DateTimeField("validé le", null=True, blank=True)
    validated_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    document = models.FileField("PDF", upload_to="retex/%Y/", blank=True)
    document_sha256 = models.CharField("empreinte SHA-256 du PDF", max_length=64, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "RETEX"
        verbose_name_plural = "RETEX"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"RETEX — {self.crisis}"

    def get_absolute_url(self):
        return reverse("retex:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == ReviewStatus.DRAFT

    @property
    def timeline_lines(self) -> list[str]:
        return [line.strip() for line in self.timeline.splitlines() if line.strip()]


class Finding(models.Model):
    review = models.ForeignKey(Review, models.CASCADE, related_name="findings")
    polarity = models.CharField("nature", max_length=10, choices=Polarity)
    theme = models.CharField("thème", max_length=20, choices=Theme)
    text = models.TextField("constat")
    created_at = models.DateTimeField("noté le", auto_now_add=True)

    class Meta:
        verbose_name = "constat"
        ordering = ["polarity", "theme", "pk"]

    def __str__(self):
        return self.text[:80]


class ActionQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)

    def open(self):
        return self.filter(status__in=OPEN_ACTION_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class ImprovementAction(models.Model):
    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="improvement_actions")
    review = models.ForeignKey(Review, models.PROTECT, related_name="actions")
    finding = models.ForeignKey(
        Finding, models.SET_NULL, null=True, blank=True, related_name="actions",
        verbose_name="constat",
    )  # fmt: skip
    description = models.TextField("action d'amélioration")
    owner = models.ForeignKey(
        Contact, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="responsable",
    )  # fmt: skip
    due_on = models.DateField("échéance", null=True, blank=True)
    status = models.CharField(
        "état", max_length=10, choices=ActionStatus, default=ActionStatus.TODO
    )
    plan_section = models.CharField(
        "section du plan concernée", max_length=20, choices=Section, blank=True,
        help_text="La section du plan que cette action fait évoluer, s'il y en a une.",
    )  # fmt: skip
    plan_version = models.ForeignKey(
        PlanVersion, models.SET_NULL, null=True, blank=True, related_name="improvement_actions",
        verbose_name="reprise dans la version du plan",
    )  # fmt: skip
    done_on = models.DateField("faite le", null=True, blank=True)
    created_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action d'amélioration"
        verbose_name_plural = "actions d'amélioration"
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["cpts", "status", "due_on"])]

    def __str__(self):
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()


class ReviewTransmission(models.Model):
    """A validated RETEX report made available to one authority."""

    review = models.ForeignKey(Review, models.PROTECT, related_name="transmissions")
    recipient = models.CharField("destinataire", max_length=20, choices=AuthorityBody)
    sent_at = models.DateTimeField("transmis le", auto_now_add=True)
    sent_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    acknowledged_at = models.DateTimeField("accusé de réception le", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "transmission du RETEX"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "recipient"],
                name="review_transmission_unique_recipient",
                violation_error_message="Ce RETEX a déjà été transmis à cette autorité.",
            )
        ]

    def __str__(self):
        return f"{self.review} → {self.get_recipient_display()}"
