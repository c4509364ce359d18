"""Helpers to build plans in tests through the same services the pages use."""

import datetime

from tests.factories import ContactFactory
from tocsin.plans import services
from tocsin.territory.models import Risk


def canicule(cpts) -> Risk:
    risk = Risk.objects.create(
        cpts=cpts, code="sante.canicule", name="Canicule", source="health", crisis_type=2
    )
    risk.communes.set(cpts.territory.values_list("commune", flat=True))
    return risk


def validated_version(cpts, actor, summary="Première version du plan."):
    version = services.start_plan(actor, cpts)
    version.change_summary = summary
    version.referent = ContactFactory(cpts=cpts, last_name="Trémeur")
    version.save()
    services.submit_version(actor, version)
    services.validate_version(actor, version, datetime.date(2026, 11, 20), "COPIL plénier")
    version.refresh_from_db()
    return version
