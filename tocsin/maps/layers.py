"""GeoJSON layers of the ecosystem map, each scoped to one CPTS and built in fixed queries."""

from django.urls import reverse

from tocsin.directory.models import Organisation
from tocsin.territory.models import TerritoryCommune


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
