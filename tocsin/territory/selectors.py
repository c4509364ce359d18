"""Read-only queries about a CPTS territory."""

from django.db.models import Count, Sum

from tocsin.territory.models import TerritoryCommune


def territory_summary(cpts) -> dict:
    totals = TerritoryCommune.objects.for_cpts(cpts).aggregate(
        communes=Count("id"), population=Sum("commune__population")
    )
    return {"communes": totals["communes"], "population": totals["population"] or 0}
