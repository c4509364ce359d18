"""map_features: what the ecosystem map shows of the inventory, and of which CPTS."""

import json

import pytest
from django.urls import reverse

from tests.factories import CommuneFactory, ContactFactory, CptsFactory, OrganisationFactory
from tests.resources.factories import (
    CapacityFactory,
    EquipmentFactory,
    HumanResourceFactory,
    PremisesFactory,
    StockFactory,
)
from tocsin.resources.selectors import map_features


def by_name(features):
    return {feature["properties"]["name"]: feature for feature in features}


@pytest.fixture
def cpts(db):
    """A CPTS of its own: the personas' standing rows would add points."""
    return CptsFactory()


def test_features_are_geojson_points_in_lon_lat_order(cpts, django_assert_num_queries):
    commune = CommuneFactory(name="Pornic")
    keeper = ContactFactory(
        cpts=cpts, first_name="Lou", last_name="Martin", mobile_phone="+33612345678"
    )
    premises = PremisesFactory(
        cpts=cpts, name="Gymnase", commune=commune, latitude=47.11, longitude=-2.1,
        contact=keeper, status="engaged",
    )  # fmt: skip
    with django_assert_num_queries(5):
        features = map_features(cpts)
    json.dumps({"type": "FeatureCollection", "features": features})  # serialisable as is
    feature = by_name(features)["Gymnase"]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [-2.1, 47.11]}
    assert feature["properties"] == {
        "kind": "premises",
        "kind_label": "Local",
        "name": "Gymnase",
        "status": "engaged",
        "status_label": "Engagée",
        "commune": "Pornic",
        "url": reverse("resources:premises_detail", kwargs={"pk": premises.pk}),
        "contact": "Lou Martin 06 12 34 56 78",
    }


def test_resources_without_a_place_sit_at_their_owner(cpts):
    commune = CommuneFactory(name="Machecoul")
    owner = OrganisationFactory(cpts=cpts, commune=commune, latitude=47.0, longitude=-1.8)
    nowhere = OrganisationFactory(cpts=cpts)
    EquipmentFactory(cpts=cpts, name="Groupe", owner=owner)
    EquipmentFactory(cpts=cpts, name="Tente", owner=owner, latitude=46.9, longitude=-2.2)
    StockFactory(cpts=cpts, name="Masques", owner=owner)
    StockFactory(cpts=cpts, name="Gants", owner=nowhere)
    CapacityFactory(cpts=cpts, label="Lits", owner=owner)
    HumanResourceFactory(cpts=cpts, contact__last_name="Durand", owner=owner)
    HumanResourceFactory(cpts=cpts, contact__last_name="Sans-lieu")
    features = by_name(map_features(cpts))
    assert set(features) == {"Groupe", "Tente", "Masques", f"Lits — {owner.name}", "Camille Durand"}
    assert features["Groupe"]["geometry"]["coordinates"] == [-1.8, 47.0]
    assert features["Tente"]["geometry"]["coordinates"] == [-2.2, 46.9]
    assert features["Masques"]["properties"]["commune"] == "Machecoul"
    assert features["Camille Durand"]["properties"]["kind"] == "human"
    assert features[f"Lits — {owner.name}"]["properties"]["kind"] == "capacity"


def test_only_the_resources_of_the_cpts_are_placed(cpts):
    other = CptsFactory()
    PremisesFactory(cpts=cpts, name="Salle ici")
    PremisesFactory(cpts=other, name="Salle voisine")
    assert set(by_name(map_features(cpts))) == {"Salle ici"}
    assert set(by_name(map_features(other))) == {"Salle voisine"}
