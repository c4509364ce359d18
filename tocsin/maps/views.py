"""The ecosystem map page and its GeoJSON layers (risks and resources of the territory)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from tocsin.core.access import CRISIS_ROLES, cpts_view
from tocsin.directory.enums import OrganisationKind
from tocsin.maps import layers
from tocsin.resources.models import RESOURCE_MODELS
from tocsin.resources.selectors import map_features

# Drawn in this order: the risk shading under the points.
LAYERS = [
    ("communes", "Communes"),
    ("risks", "Risques majeurs"),
    ("organisations", "Organisations"),
    ("resources", "Ressources"),
]


@cpts_view(*CRISIS_ROLES)
def map_page(request):
    context = {
        "layers": [
            {"name": name, "label": label, "url": reverse(f"maps:{name}")} for name, label in LAYERS
        ],
        "tiles_url": settings.MAP_TILES_URL,
        "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        "kinds": [
            ("Organisations", OrganisationKind.choices),
            (
                "Ressources",
                [
                    (m.resource_kind, m._meta.verbose_name_plural.capitalize())
                    for m in RESOURCE_MODELS
                ],
            ),
        ],  # fmt: skip
    }
    return render(request, "maps/map.html", context)


@cpts_view(*CRISIS_ROLES)
def communes_layer(request):
    return _geojson(layers.commune_features(request.cpts))


@cpts_view(*CRISIS_ROLES)
def risks_layer(request):
    return _geojson(layers.risk_features(request.cpts))


@cpts_view(*CRISIS_ROLES)
def organisations_layer(request):
    return _geojson(layers.organisation_features(request.cpts))


@cpts_view(*CRISIS_ROLES)
def resources_layer(request):
    return _geojson(map_features(request.cpts))


def _geojson(features):
    response = JsonResponse(layers.feature_collection(features))
    response["Content-Type"] = "application/geo+json"
    return response
