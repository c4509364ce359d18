"""The risk layer of the map: one commune boundary per exposed commune, with its major risks."""

import io

import pytest
from django.urls import reverse

from tocsin.territory import risks
from tocsin.territory.models import Risk, TerritoryCommune
from tocsin.territory.services import add_communes

GASPAR = b"""cod_commune;lib_commune;num_risque;lib_risque
44131;Pornic;11;Inondation
44131;Pornic;172;Tempete et grains (vent)
44154;Saint-Brevin-les-Pins;117;Par submersion marine
44154;Saint-Brevin-les-Pins;18;Radon
"""


@pytest.fixture
def exposed(personas):
    """Pornic and Saint-Brevin exposed in the CPTS; the other CPTS shares Pornic."""
    (pornic, _) = add_communes(None, personas.cpts, ["44131", "44154"])
    risks.import_gaspar(None, personas.cpts, io.BytesIO(GASPAR))
    neighbour = TerritoryCommune.objects.get(cpts=personas.other_cpts).commune
    add_communes(None, personas.other_cpts, ["44131"])
    Risk.objects.create(
        cpts=personas.other_cpts, code="autre.voisin", name="Risque voisin", source="other",
        crisis_type=1,
    ).communes.add(neighbour, pornic)  # fmt: skip
    return neighbour


def risk_features(client) -> dict:
    response = client.get(reverse("maps:risks"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    return {f["properties"]["insee_code"]: f for f in collection["features"]}


def test_each_exposed_commune_carries_its_major_risks(personas, client_for, exposed):
    features = risk_features(client_for(personas.cell_member))
    pornic, brevin = features["44131"], features["44154"]
    assert pornic["type"] == "Feature"
    assert pornic["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert pornic["geometry"]["coordinates"]
    assert pornic["properties"]["name"] == "Pornic"
    assert pornic["properties"]["risks"] == ["Inondation", "Phénomène atmosphérique"]
    assert pornic["properties"]["risk_codes"] == ["11", "17"]
    assert pornic["properties"]["risk_count"] == 2
    # Radon is not a major risk: Saint-Brevin shows its flood only.
    assert brevin["properties"]["risks"] == ["Inondation"]
    assert brevin["properties"]["risk_count"] == 1


def test_the_layer_never_shows_another_cpts(personas, client_for, exposed):
    features = risk_features(client_for(personas.coordinator))
    assert exposed.insee_code not in features
    assert all("Risque voisin" not in f["properties"]["risks"] for f in features.values())
    other = risk_features(client_for(personas.outsider))
    assert set(other) == {exposed.insee_code, "44131"}
    assert "Risque voisin" in other[exposed.insee_code]["properties"]["risks"]
    assert "Inondation" not in other["44131"]["properties"]["risks"]


def test_map_page_offers_the_risk_layer_and_filter(personas, client_for):
    html = client_for(personas.referent).get(reverse("maps:map")).content.decode()
    assert '<select id="map-risk" name="risk">' in html
    assert reverse("maps:risks") in html  # in the layers listed for the script
    assert "Risques majeurs" in html


def test_members_and_authorities_do_not_get_the_layer(personas, client_for):
    for persona in (personas.member, personas.authority):
        assert client_for(persona).get(reverse("maps:risks")).status_code == 403


@pytest.mark.parametrize("count", [2, 20])
def test_the_layer_has_a_fixed_number_of_queries(
    personas, client_for, django_assert_max_num_queries, count
):
    communes = [t.commune for t in TerritoryCommune.objects.filter(cpts=personas.cpts)]
    for index in range(count):
        Risk.objects.create(
            cpts=personas.cpts, code=f"autre.{index}", name=f"Risque {index}", source="other",
            crisis_type=5,
        ).communes.add(*communes)  # fmt: skip
    client = client_for(personas.coordinator)
    with django_assert_max_num_queries(6):
        features = risk_features(client)
    assert max(f["properties"]["risk_count"] for f in features.values()) >= count
