"""The map's GeoJSON layers: valid, scoped to the CPTS, with the key contacts."""

import pytest
from django.urls import reverse

from tests.factories import ContactFactory, OrganisationFactory


@pytest.fixture
def placed(personas):
    hospital = OrganisationFactory(
        cpts=personas.cpts, name="Hôpital de Pornic", latitude=47.11, longitude=-2.1
    )
    ContactFactory(cpts=personas.cpts, first_name="Lou", last_name="Cadre").organisations.add(
        hospital
    )
    OrganisationFactory(
        cpts=personas.other_cpts, name="Hôpital voisin", latitude=47.2, longitude=-1.5
    )
    return hospital


def features(client, name):
    response = client.get(reverse(f"maps:{name}"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    return collection["features"]


def test_organisations_layer_has_points_and_key_contacts(placed, personas, client_for):
    (feature,) = features(client_for(personas.cell_member), "organisations")
    assert feature["geometry"] == {"type": "Point", "coordinates": [-2.1, 47.11]}
    assert feature["properties"]["name"] == "Hôpital de Pornic"
    assert feature["properties"]["contacts"] == ["Lou Cadre 06 12 34 56 78"]
    assert feature["properties"]["url"].endswith(f"/organisations/{placed.pk}/")


def test_communes_layer_draws_the_territory_boundaries(personas, client_for):
    (feature,) = features(client_for(personas.referent), "communes")
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["properties"]["population"] == 1000


def test_map_page_lists_its_layers_and_needs_no_inline_script(personas, client_for, settings):
    html = client_for(personas.coordinator).get(reverse("maps:map")).content.decode()
    assert 'id="map-layers" type="application/json"' in html
    assert "leaflet/leaflet.js" in html
    assert "<script>" not in html  # the CSP forbids inline scripts


def test_members_do_not_see_the_map(personas, client_for):
    assert client_for(personas.member).get(reverse("maps:organisations")).status_code == 403


@pytest.mark.parametrize("rows", [2, 30])
def test_layers_have_a_fixed_number_of_queries(
    personas, client_for, django_assert_max_num_queries, rows
):
    for index in range(rows):
        hospital = OrganisationFactory(
            cpts=personas.cpts, latitude=47.0, longitude=-2.0 + index / 100
        )
        ContactFactory(cpts=personas.cpts).organisations.add(hospital)
    client = client_for(personas.coordinator)
    for name in ("organisations", "communes"):
        with django_assert_max_num_queries(9):
            client.get(reverse(f"maps:{name}"))
