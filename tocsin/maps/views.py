"""The ecosystem map page and its GeoJSON layers (risks and resources of the territory)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from tocsin.core.access import CRISIS_ROLES, cpts_view
from tocsin.directory.enums import OrganisationKind
from tocsin.maps import layers

LAYERS = [("communes", "Communes"), ("organisations", "Organisations")]


@cpts_view(*CRISIS_ROLES)
def map_page(request):
    context = {
        "layers": [
            {"name": name, "label": label, "url": reverse(f"maps:{name}")} for name, label in LAYERS
        ],
        "tiles_url": settings.MAP_TILES_URL,
        "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        "organisation_kinds": OrganisationKind.choices,
    }
    return render(request, "maps/map.html", context)


@cpts_view(*CRISIS_ROLES)
def communes_layer(request):
    return _geojson(layers.commune_features(request.cpts))


@cpts_view(*CRISIS_ROLES)
def organisations_layer(request):
    return _geojson(layers.organisation_features(request.cpts))


def _geojson(features):
    response = JsonResponse(layers.feature_collection(features))
    response["Content-Type"] = "application/geo+json"
    return response
