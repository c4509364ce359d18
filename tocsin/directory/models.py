"""The directory (annuaire): organisations and people to mobilise in a crisis, and their groups."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from tocsin.core.models import Cpts
from tocsin.directory.enums import (
    DetailsRequestStatus,
    ImportKind,
    ImportStatus,
    OrganisationKind,
    Source,
)
from tocsin.directory.text import normalize
from tocsin.territory.models import Commune

STALE_AFTER_DAYS = 365


class DirectoryQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)

    def stale(self, today=None):
        """Not verified for 12 months (or never)."""
        limit = (today or timezone.localdate()) - timezone.timedelta(days=STALE_AFTER_DAYS)
        return self.filter(Q(verified_on__isnull=True) | Q(verified_on__lt=limit))


class Organisation(models.Model):
    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="organisations")
    kind = models.CharField("type", max_length=20, choices=OrganisationKind)
    name = models.CharField("nom", max_length=300)
    finess_et = models.CharField("FINESS établissement", max_length=9, blank=True)
    finess_ej = models.CharField("FINESS entité juridique", max_length=9, blank=True)
    address = models.TextField("adresse", blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        Commune, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="commune"
    )
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    switchboard_phone = PhoneNumberField("standard", blank=True)
    crisis_phone = PhoneNumberField("téléphone de crise 24 h/24", blank=True)
    crisis_email = models.EmailField("e-mail de crise", blank=True)
    website = models.URLField("site web", max_length=300, blank=True)
    notes = models.TextField("remarques", blank=True)
    source = models.CharField("origine", max_length=20, choices=Source, default=Source.MANUAL)
    verified_on = models.DateField("vérifiée le", null=True, blank=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    search_text = models.TextField(editable=False, default="")

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cpts", "finess_et"],
                condition=~Q(finess_et=""),
                name="organisation_unique_finess",
                violation_error_message="Une organisation de l'annuaire a déjà ce numéro FINESS.",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        commune = self.commune.name if self.commune_id else ""
        return normalize(" ".join([self.name, self.get_kind_display(), commune, self.finess_et]))


class Contact(models.Model):
    """A person to reach: a member professional, a partner's manager, a mayor's office…"""

    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="contacts")
    last_name = models.CharField("nom", max_length=150)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    job_title = models.CharField("fonction", max_length=200, blank=True)
    profession_code = models.CharField("code profession (RPPS)", max_length=4, blank=True)
    profession_label = models.CharField("profession", max_length=150, blank=True)
    rpps_id = models.CharField("identifiant RPPS", max_length=11, blank=True)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="contacts", verbose_name="organisations"
    )
    commune = models.ForeignKey(
        Commune,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune d'exercice",
    )
    mobile_phone = PhoneNumberField("portable", blank=True)
    work_phone = PhoneNumberField("téléphone professionnel", blank=True)
    email = models.EmailField("e-mail", blank=True)
    mssante_email = models.EmailField("adresse MSSanté", blank=True)
    skills = models.TextField("compétences", blank=True, help_text="Une compétence par ligne.")
    is_volunteer = models.BooleanField("volontaire pour les missions de crise", default=False)
    consents_to_alerts = models.BooleanField("accepte d'être alerté", default=False)
    preferred_channels = models.JSONField("canaux d'alerte préférés", default=list, blank=True)
    backup = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="backed_up",
        verbose_name="suppléant",
        help_text="Alerté à sa place s'il ne répond pas à une alerte.",
    )  # fmt: skip
    source = models.CharField("origine", max_length=20, choices=Source, default=Source.MANUAL)
    verified_on = models.DateField("vérifié le", null=True, blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    search_text = models.TextField(editable=False, default="")

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        verbose_name = "contact"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cpts", "rpps_id"],
                condition=~Q(rpps_id=""),
                name="contact_unique_rpps",
                violation_error_message="Un contact de l'annuaire a déjà cet identifiant RPPS.",
            )
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def skill_list(self) -> list[str]:
        return [s.strip() for s in self.skills.splitlines() if s.strip()]

    def build_search_text(self, organisation_names=()) -> str:
        """Names, profession, commune and organisations, accent- and case-free."""
        if not organisation_names and self.pk:
            organisation_names = [o.name for o in self.organisations.all()]
        commune = self.commune.name if self.commune_id else ""
        parts = [self.last_name, self.first_name, self.profession_label, self.job_title, commune]
        return normalize(" ".join([*parts, *organisation_names]))


class Group(models.Model):
    """A list of contacts to alert together: static, or defined by a rule."""

    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="contact_groups")
    name = models.CharField("nom", max_length=200)
    description = models.TextField("description", blank=True)
    is_crisis_function = models.BooleanField("fonction de crise", default=False)
    members = models.ManyToManyField(Contact, blank=True, related_name="groups")
    deputy = models.ForeignKey(
        Contact, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="suppléant du groupe",
        help_text="Alerté quand un membre sans suppléant ne répond pas à une alerte.",
    )  # fmt: skip
    # A rule selects contacts by profession codes, communes (INSEE codes), volunteers only.
    rule = models.JSONField("règle", default=dict, blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        verbose_name = "groupe"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cpts", "name"],
                name="group_unique_name",
                violation_error_message="Un groupe porte déjà ce nom.",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_rule_based(self) -> bool:
        return bool(self.rule)


class ImportRun(models.Model):
    """One import: the uploaded file, its preview, then its report. Kept as evidence."""

    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="import_runs")
    kind = models.CharField("type", max_length=20, choices=ImportKind)
    file = models.FileField("fichier", upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField("nom du fichier", max_length=255, blank=True)
    status = models.CharField(
        "état", max_length=20, choices=ImportStatus, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    lines_read = models.PositiveIntegerField("lignes lues", default=0)
    mapping = models.JSONField("correspondance des colonnes", default=dict, blank=True)
    counts = models.JSONField("bilan", default=dict, blank=True)
    rejected = models.JSONField("lignes rejetées", default=list, blank=True)
    error = models.TextField("erreur", blank=True)
    created_by = models.ForeignKey(
        "core.User", models.PROTECT, null=True, related_name="+", verbose_name="par"
    )
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    applied_at = models.DateTimeField("appliqué le", null=True, blank=True)

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        verbose_name = "import"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.original_name or 'sans fichier'}"

    @property
    def is_running(self) -> bool:
        running = {
            ImportStatus.QUEUED,
            ImportStatus.ANALYSING,
            ImportStatus.CONFIRMED,
            ImportStatus.APPLYING,
        }
        return self.status in running


class DetailsRequest(models.Model):
    """« Merci de vérifier vos coordonnées »: one signed link sent to one contact.

    The contact answers without an account; a confirmation applies at once, corrections wait
    for the coordinator's review.
    """

    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="details_requests")
    contact = models.ForeignKey(Contact, models.CASCADE, related_name="details_requests")
    status = models.CharField(
        "état", max_length=20, choices=DetailsRequestStatus, default=DetailsRequestStatus.SENT
    )
    proposed = models.JSONField("corrections proposées", default=dict, blank=True)
    sent_at = models.DateTimeField("envoyée le", auto_now_add=True)
    answered_at = models.DateTimeField("répondue le", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "core.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField("relue le", null=True, blank=True)

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de vérification"
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return f"Vérification des coordonnées de {self.contact}"

    @property
    def is_open(self) -> bool:
        return self.status == DetailsRequestStatus.SENT
