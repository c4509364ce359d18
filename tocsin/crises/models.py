"""A crisis (or an EXERCICE) from activation to levée: the cell, the main courante (a
hash-chained, append-only logbook), the tasks and the points de situation.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tocsin.core.models import Cpts, User
from tocsin.crises.enums import (
    ACTIVE_PHASES,
    OPEN_TASK_STATUSES,
    EntryKind,
    Phase,
    ReportStatus,
    TaskStatus,
)
from tocsin.directory.models import Contact
from tocsin.plans.enums import CellFunction
from tocsin.plans.models import Fiche, PlanVersion
from tocsin.territory.enums import CrisisType
from tocsin.territory.models import Risk


class CrisisQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)

    def active(self):
        return self.filter(phase__in=ACTIVE_PHASES)

    def real(self):
        return self.filter(is_exercise=False)


class Crisis(models.Model):
    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="crises")
    title = models.CharField("intitulé", max_length=200)
    crisis_type = models.PositiveSmallIntegerField("type de crise (ACI)", choices=CrisisType)
    risk = models.ForeignKey(
        Risk, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="risque"
    )
    phase = models.CharField("phase", max_length=10, choices=Phase, default=Phase.ALERT)
    is_exercise = models.BooleanField("exercice", default=False)
    started_at = models.DateTimeField("début")
    closed_at = models.DateTimeField("levée le", null=True, blank=True)
    closing_summary = models.TextField("synthèse de clôture", blank=True)
    signal = models.ForeignKey(
        "watch.Signal", models.SET_NULL, null=True, blank=True, related_name="crises",
        verbose_name="signal d'origine",
    )  # fmt: skip
    plan_version = models.ForeignKey(
        PlanVersion, models.PROTECT, null=True, blank=True, related_name="crises",
        verbose_name="version du plan appliquée",
    )  # fmt: skip
    created_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    # Head of the logbook's hash chain, so appending never reads the whole log.
    log_length = models.PositiveIntegerField(default=0, editable=False)
    log_head = models.CharField(max_length=64, default="", editable=False)
    # Bumped by every change to the crisis or its rows: the key of what pages cache.
    revision = models.PositiveIntegerField(default=0, editable=False)

    objects = CrisisQuerySet.as_manager()

    class Meta:
        verbose_name = "crise"
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        prefix = "EXERCICE — " if self.is_exercise else ""
        return f"{prefix}{self.title}"

    @property
    def is_active(self) -> bool:
        return self.phase in ACTIVE_PHASES

    def touch(self):
        """Mark the crisis as changed, so that no page serves what it cached before."""
        Crisis.objects.filter(pk=self.pk).update(revision=models.F("revision") + 1)


class CellSeat(models.Model):
    """A place in the crisis cell: who holds a function, and when they joined and left."""

    crisis = models.ForeignKey(Crisis, models.CASCADE, related_name="seats")
    function = models.CharField("fonction", max_length=20, choices=CellFunction)
    contact = models.ForeignKey(Contact, models.PROTECT, related_name="+", verbose_name="personne")
    is_backup = models.BooleanField("en second", default=False)
    joined_at = models.DateTimeField("arrivée", null=True, blank=True)
    left_at = models.DateTimeField("départ", null=True, blank=True)

    class Meta:
        verbose_name = "place dans la cellule"
        ordering = ["function", "is_backup", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["crisis", "function", "contact"],
                name="cell_seat_unique",
                violation_error_message="Cette personne tient déjà cette fonction.",
            )
        ]

    def __str__(self):
        return f"{self.get_function_display()} : {self.contact}"

    @property
    def is_present(self) -> bool:
        return self.joined_at is not None and self.left_at is None


class LogEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LogbookImmutableError("La main courante ne se modifie pas.")

    def delete(self):
        raise LogbookImmutableError("La main courante ne se supprime pas.")


class LogbookImmutableError(Exception):
    pass


class LogEntry(models.Model):
    """One line of the main courante. Never changed: a correction is a new entry.

    `hash` covers the entry's content and the previous entry's hash, so editing or removing
    any row in the database breaks the chain from that row on (see `logbook.verify`).
    """

    crisis = models.ForeignKey(Crisis, models.PROTECT, related_name="entries")
    seq = models.PositiveIntegerField("n°")
    at = models.DateTimeField("heure")
    author = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    author_name = models.CharField("auteur", max_length=200)
    kind = models.CharField("nature", max_length=20, choices=EntryKind)
    text = models.TextField("texte")
    corrects = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="corrections",
        verbose_name="corrige l'entrée",
    )  # fmt: skip
    automatic = models.BooleanField("automatique", default=False)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée de main courante"
        verbose_name_plural = "main courante"
        ordering = ["-seq"]
        constraints = [
            models.UniqueConstraint(fields=["crisis", "seq"], name="log_entry_unique_seq")
        ]

    def __str__(self):
        return f"n° {self.seq} — {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise LogbookImmutableError("La main courante ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LogbookImmutableError("La main courante ne se supprime pas.")


class Task(models.Model):
    crisis = models.ForeignKey(Crisis, models.CASCADE, related_name="tasks")
    title = models.CharField("tâche", max_length=500)
    function = models.CharField(
        "fonction de la cellule", max_length=20, choices=CellFunction, blank=True
    )
    assignee = models.ForeignKey(
        Contact, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="confiée à",
    )  # fmt: skip
    fiche = models.ForeignKey(
        Fiche, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="fiche action",
    )  # fmt: skip
    status = models.CharField("état", max_length=10, choices=TaskStatus, default=TaskStatus.TODO)
    due_at = models.DateTimeField("échéance", null=True, blank=True)
    done_at = models.DateTimeField("terminée le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    created_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "tâche"
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["crisis", "status"])]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()


class SituationReport(models.Model):
    """A point de situation: figures and narrative over a period, sent to the authorities."""

    crisis = models.ForeignKey(Crisis, models.PROTECT, related_name="reports")
    number = models.PositiveIntegerField("n°")
    status = models.CharField(
        "état", max_length=10, choices=ReportStatus, default=ReportStatus.DRAFT
    )
    period_start = models.DateTimeField("depuis le")
    period_end = models.DateTimeField("jusqu'au")
    professionals_mobilised = models.PositiveIntegerField("professionnels mobilisés", default=0)
    patients_contacted = models.PositiveIntegerField("patients contactés", default=0)
    # From the call campaigns (tocsin.care), in counts only.
    patients_needing_help = models.PositiveIntegerField("patients ayant besoin d'aide", default=0)
    patients_not_reached = models.PositiveIntegerField("patients injoignables", default=0)
    patients_escalated = models.PositiveIntegerField(
        "patients signalés au SAMU ou à la mairie", default=0
    )
    resources_engaged = models.PositiveIntegerField("ressources engagées", default=0)
    tasks_open = models.PositiveIntegerField("tâches en cours", default=0)
    tasks_done = models.PositiveIntegerField("tâches faites sur la période", default=0)
    alerts_sent = models.PositiveIntegerField("alertes envoyées", default=0)
    people_alerted = models.PositiveIntegerField("personnes alertées", default=0)
    alert_answers = models.PositiveIntegerField("réponses aux alertes", default=0)
    people_available = models.PositiveIntegerField("personnes disponibles", default=0)
    situation = models.TextField("situation", blank=True)
    actions = models.TextField("décisions et actions", blank=True)
    needs = models.TextField("difficultés et besoins", blank=True)
    outlook = models.TextField("perspectives", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    created_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    validated_at = models.DateTimeField("validé le", null=True, blank=True)
    validated_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    document = models.FileField("PDF", upload_to="crises/%Y/", blank=True)
    document_sha256 = models.CharField("empreinte SHA-256 du PDF", max_length=64, blank=True)

    class Meta:
        verbose_name = "point de situation"
        verbose_name_plural = "points de situation"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["crisis", "number"], name="report_unique_number"),
            models.UniqueConstraint(
                fields=["crisis"],
                condition=Q(status=ReportStatus.DRAFT),
                name="report_one_draft",
                violation_error_message="Un point de situation est déjà en préparation.",
            ),
        ]

    def __str__(self):
        return f"Point de situation n° {self.number}"


class ReportSend(models.Model):
    """One sending of a validated point de situation to one address."""

    report = models.ForeignKey(SituationReport, models.PROTECT, related_name="sends")
    recipient = models.EmailField("destinataire")
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)
    sent_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = "envoi du point de situation"
        ordering = ["-sent_at", "recipient"]

    def __str__(self):
        return f"{self.report} → {self.recipient}"
