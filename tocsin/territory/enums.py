"""Choices of the territory: the five ACI crisis types and where a risk comes from."""

from django.db import models


class CrisisType(models.IntegerChoices):
    """The five crisis types the ACI plan must cover (aligned with ORSAN)."""

    MASS_CASUALTIES = 1, "Afflux de victimes (attentat, explosion, incendie) — ORSAN AMAVI"
    MANY_SICK = 2, "Nombreux malades, âgés surtout (épidémie, canicule, froid) — ORSAN MEDIC/CLIM"
    NEW_AGENT = 3, "Nouvel agent infectieux, vaccination exceptionnelle — ORSAN REB"
    NRBC = 4, "Agents nucléaires, radiologiques ou chimiques — ORSAN NRC"
    CARE_DISRUPTION = 5, "Rupture de l'offre de soins (pénurie, intempéries, pannes, cyber)"


class RiskSource(models.TextChoices):
    GASPAR = "gaspar", "GéoRisques (GASPAR)"
    HEALTH = "health", "Risque sanitaire ajouté par la CPTS"
    OTHER = "other", "Autre"
