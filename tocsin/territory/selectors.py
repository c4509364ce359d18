"""Read-only queries about a CPTS territory."""

from django.db.models import Count, Sum

from tocsin.territory.models import Commune, TerritoryCommune


def territory_summary(cpts) -> dict:
    totals = TerritoryCommune.objects.for_cpts(cpts).aggregate(
        communes=Count("id"), population=Sum("commune__population")
    )
    return {"communes": totals["communes"], "population": totals["population"] or 0}


def territory_communes(cpts):
    """The Commune rows of the CPTS territory, by name."""
    ids = TerritoryCommune.objects.for_cpts(cpts).values("commune_id")
    return Commune.objects.filter(pk__in=ids).order_by("name")
