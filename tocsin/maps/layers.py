"""GeoJSON layers of the ecosystem map, each scoped to one CPTS and built in fixed queries."""

from collections import defaultdict

from django.urls import reverse

from tocsin.directory.models import Organisation
from tocsin.territory.models import Risk, TerritoryCommune


def feature_collection(features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def commune_features(cpts):
    rows = TerritoryCommune.objects.for_cpts(cpts).select_related("commune")
    for row in rows.order_by("commune__name"):
        commune = row.commune
        if not commune.boundary:
            continue
        yield {
            "type": "Feature",
            "geometry": commune.boundary,
            "properties": {
                "layer": "communes",
                "name": commune.name,
                "insee_code": commune.insee_code,
                "population": commune.population,
                "mairie_phone": commune.mairie_phone,
            },
        }


def risk_features(cpts):
    """One Feature per territory commune exposed to a major risk, with the names of its risks."""
    links = (
        Risk.communes.through.objects.filter(risk__cpts=cpts, risk__is_major=True)
        .order_by("risk__crisis_type", "risk__name", "risk_id")
        .values_list("commune_id", "risk__code", "risk__name")
    )
    exposed = defaultdict(list)
    for commune_id, code, name in links:
        exposed[commune_id].append((code, name))
    rows = TerritoryCommune.objects.for_cpts(cpts).filter(commune_id__in=list(exposed))
    for row in rows.select_related("commune").order_by("commune__name"):
        commune = row.commune
        if not commune.boundary:
            continue
        risks = exposed[commune.pk]
        yield {
            "type": "Feature",
            "geometry": commune.boundary,
            "properties": {
                "layer": "risks",
                "name": commune.name,
                "insee_code": commune.insee_code,
                "population": commune.population,
                "risk_count": len(risks),
                "risks": [name for _, name in risks],
                "risk_codes": [code for code, _ in risks],
            },
        }


def organisation_features(cpts):
    organisations = (
        Organisation.objects.for_cpts(cpts)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .select_related("commune")
        .prefetch_related("contacts")
    )
    for organisation in organisations:
        yield point_feature(
            organisation.longitude,
            organisation.latitude,
            layer="organisations",
            kind=organisation.kind,
            kind_label=organisation.get_kind_display(),
            name=organisation.name,
            commune=organisation.commune.name if organisation.commune_id else "",
            phone=_phone(organisation.crisis_phone or organisation.switchboard_phone),
            contacts=[_contact_line(c) for c in organisation.contacts.all()[:3]],
            url=reverse("directory:organisation_detail", kwargs={"pk": organisation.pk}),
        )


def point_feature(longitude, latitude, **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
        "properties": properties,
    }


def _contact_line(contact) -> str:
    phone = _phone(contact.mobile_phone or contact.work_phone)
    return f"{contact.full_name} {phone}".strip()


def _phone(number) -> str:
    return str(number) if number else ""
