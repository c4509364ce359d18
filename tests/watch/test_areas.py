"""Which alert areas concern the territory: geocodes, names, polygons and circles."""

import pytest

from tests.factories import CommuneFactory
from tocsin.watch.areas import Territory
from tocsin.watch.cap import Area


@pytest.fixture
def territory(db):
    """Two communes: one in Loire-Atlantique (near Pornic), one in Vendée (Noirmoutier)."""
    return Territory.from_communes([
        CommuneFactory.build(insee_code="44131", name="Pornic", department_code="44",
                             latitude=47.115, longitude=-2.102),
        CommuneFactory.build(insee_code="85163", name="Noirmoutier-en-l'Île",
                             department_code="85", latitude=47.0, longitude=-2.25),
    ])  # fmt: skip


@pytest.mark.parametrize(
    ("geocode", "expected"),
    [(("dept", "44"), {"44"}), (("ISO3166-2", "FR-85"), {"85"}), (("INSEE", "44131"), {"44"}),
     (("dept", "29"), set()), (("EMMA_ID", "FR085"), set()), (("INSEE", "44999"), set()),
     (("code_postal", "44131"), set())],
)  # fmt: skip
def test_geocodes(territory, geocode, expected):
    assert territory.departments_of([Area("", geocodes=(geocode,))]) == expected


@pytest.mark.parametrize(
    ("description", "expected"),
    [("Loire-Atlantique", {"44"}), ("VENDEE", {"85"}), ("Vendée (85), Maine-et-Loire", {"85"}),
     ("Littoral de Noirmoutier-en-l’Île", {"85"}), ("Pornic et Pays de Retz", {"44"}),
     ("Finistère", set()), ("Loire", set()), ("Atlantique", set()), ("Pornichet", set())],
)  # fmt: skip
def test_area_descriptions_name_whole_departements_or_communes(territory, description, expected):
    assert territory.departments_of([Area(description)]) == expected


def test_a_polygon_containing_a_commune_point(territory):
    around_pornic = ((47.0, -2.2), (47.2, -2.2), (47.2, -2.0), (47.0, -2.0), (47.0, -2.2))
    far_away = ((48.0, -4.5), (48.5, -4.5), (48.5, -4.0), (48.0, -4.0), (48.0, -4.5))
    assert territory.departments_of([Area("Zone", polygons=(around_pornic,))]) == {"44"}
    assert territory.departments_of([Area("Zone", polygons=(far_away,))]) == set()


def test_a_circle_reaching_a_commune_point(territory):
    # Saint-Nazaire is about 30 km from Pornic and 45 km from Noirmoutier.
    assert territory.departments_of([Area("", circles=((47.27, -2.21, 25.0),))]) == {"44"}
    assert territory.departments_of([Area("", circles=((47.27, -2.21, 50.0),))]) == {"44", "85"}
    assert territory.departments_of([Area("", circles=((47.27, -2.21, 5.0),))]) == set()
