"""Read-only queries of the resource inventory: overview figures and map features.

Both run one query per kind of resource, whatever the number of rows.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from tocsin.resources.enums import ResourceStatus
from tocsin.resources.models import (
    RESOURCE_MODELS,
    Capacity,
    Equipment,
    HumanResource,
    Premises,
    Stock,
    stale_condition,
)

# What each kind needs joined to show its place and its contact without further queries.
MAP_RELATED = {
    Premises: ("commune", "contact"),
    Equipment: ("commune", "owner__commune", "contact"),
    Stock: ("commune", "owner__commune", "contact"),
    Capacity: ("owner__commune", "contact"),
    HumanResource: ("owner", "contact__commune"),
}
OWN_POINT = Q(latitude__isnull=False, longitude__isnull=False)
OWNER_POINT = Q(owner__latitude__isnull=False, owner__longitude__isnull=False)
MAP_CONDITION = {
    Premises: OWN_POINT,
    Equipment: OWN_POINT | OWNER_POINT,
    Stock: OWN_POINT | OWNER_POINT,
    Capacity: OWNER_POINT,
    HumanResource: OWNER_POINT,
}


def overview(cpts, today=None) -> dict:
    """Per kind: total, available and stale counts; plus the stocks to renew."""
    today = today or timezone.localdate()
    kinds = [_kind_counts(model, cpts, today) for model in RESOURCE_MODELS]
    expiring = Stock.objects.for_cpts(cpts).expiring(today).count()
    stale = sum(kind["stale"] for kind in kinds)
    return {"kinds": kinds, "expiring": expiring, "stale": stale}


def _kind_counts(model, cpts, today) -> dict:
    counts = model.objects.for_cpts(cpts).aggregate(
        total=Count("pk"),
        available=Count("pk", filter=Q(status=ResourceStatus.AVAILABLE)),
        stale=Count("pk", filter=stale_condition(today)),
    )
    kind = model.resource_kind
    return {
        "kind": kind,
        "label": model._meta.verbose_name_plural.capitalize(),
        "list_url": reverse(f"resources:{kind}_list"),
        **counts,
    }


def map_features(cpts) -> list[dict]:
    """One GeoJSON Point Feature per resource of `cpts` that can be placed."""
    features = []
    for model in RESOURCE_MODELS:
        rows = (
            model.objects.for_cpts(cpts)
            .filter(MAP_CONDITION[model])
            .select_related(*MAP_RELATED[model])
        )
        features.extend(_feature(resource) for resource in rows)
    return features


def _feature(resource) -> dict:
    longitude, latitude = resource.point
    commune = resource.place_commune
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
        "properties": {
            "kind": resource.resource_kind,
            "kind_label": resource._meta.verbose_name.capitalize(),
            "name": str(resource),
            "status": resource.status,
            "status_label": resource.get_status_display(),
            "commune": commune.name if commune else "",
            "url": resource.get_absolute_url(),
            "contact": contact_line(resource.contact) if resource.contact_id else "",
        },
    }


def contact_line(contact) -> str:
    """« Camille Martin 06 12 34 56 78 »: who to call, as it reads in a map popup."""
    phone = contact.mobile_phone or contact.work_phone
    return f"{contact.full_name} {phone or ''}".strip()
