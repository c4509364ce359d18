"""The inventory pages as the crisis team uses them: who may do what, flags, forms, queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import ContactFactory, OrganisationFactory
from tests.resources.factories import (
    CapacityFactory,
    EquipmentFactory,
    HumanResourceFactory,
    PremisesFactory,
    StockFactory,
)
from tocsin.core.models import AuditEntry
from tocsin.directory.models import Contact, Organisation
from tocsin.resources.models import Capacity, HumanResource, Premises, Stock
from tocsin.territory.models import TerritoryCommune

FACTORIES = {
    "premises": PremisesFactory,
    "equipment": EquipmentFactory,
    "stock": StockFactory,
    "human": HumanResourceFactory,
    "capacity": CapacityFactory,
}


def url(name, resource=None):
    kwargs = {"pk": resource.pk} if resource is not None else None
    return reverse(f"resources:{name}", kwargs=kwargs)


def html(response):
    return response.content.decode()


@pytest.fixture
def territory(personas):
    """The organisation, contact and commune personas gives each CPTS, by tenant."""

    def of(cpts):
        return {
            "owner": Organisation.objects.get(cpts=cpts),
            "contact": Contact.objects.get(cpts=cpts),
            "commune": TerritoryCommune.objects.get(cpts=cpts).commune,
        }

    return {"ours": of(personas.cpts), "theirs": of(personas.other_cpts)}


@pytest.fixture
def premises(personas, territory):
    return PremisesFactory(cpts=personas.cpts, commune=territory["ours"]["commune"])


# --- Who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member", "authority"])
def test_members_and_authorities_do_not_see_the_inventory(personas, client_for, premises, persona):
    client = client_for(getattr(personas, persona))
    for name, resource in [
        ("overview", None),
        ("premises_list", None),
        ("premises_detail", premises),
    ]:
        assert client.get(url(name, resource)).status_code == 403


def test_cell_members_read_but_cannot_write(personas, client_for, premises):
    client = client_for(personas.cell_member)
    page = client.get(url("premises_detail", premises))
    assert page.status_code == 200 and premises.name in html(page)
    assert "Modifier" not in html(page) and "Marquer comme vérifiée" not in html(page)
    assert client.get(url("premises_list")).status_code == 200
    assert client.get(url("premises_create")).status_code == 403
    assert client.post(url("premises_create"), {"name": "Intrusion"}).status_code == 403
    for name in ("premises_edit", "premises_delete", "premises_check"):
        assert client.post(url(name, premises), {"name": "Intrusion"}).status_code == 403
    premises.refresh_from_db()
    assert premises.name != "Intrusion"
    assert not AuditEntry.objects.filter(code__startswith="resources.").exists()


@pytest.mark.parametrize("kind", list(FACTORIES))
def test_objects_of_another_cpts_are_not_found(personas, client_for, kind):
    theirs = FACTORIES[kind](cpts=personas.other_cpts)
    client = client_for(personas.coordinator)
    assert client.get(url(f"{kind}_detail", theirs)).status_code == 404
    assert client.get(url(f"{kind}_edit", theirs)).status_code == 404
    for action in ("delete", "check"):
        assert client.post(url(f"{kind}_{action}", theirs)).status_code == 404
    assert type(theirs).objects.filter(pk=theirs.pk).exists()


# --- Forms -----------------------------------------------------------------------------------


def test_a_referent_records_premises_and_lands_on_them(personas, client_for, territory):
    ours = territory["ours"]
    response = client_for(personas.referent).post(
        url("premises_create"),
        {"name": "Gymnase des Sables", "kind": "gymnasium", "commune": ours["commune"].pk,
         "latitude": "47.1", "longitude": "-2.1", "capacity": "150", "has_power_supply": "on",
         "keys_holder": ours["contact"].pk, "owner": ours["owner"].pk, "status": "available"},
    )  # fmt: skip
    premises = Premises.objects.get(name="Gymnase des Sables")
    assert response["Location"] == url("premises_detail", premises)
    assert premises.cpts == personas.cpts and premises.keys_holder == ours["contact"]
    assert AuditEntry.objects.filter(code="resources.premises.created").exists()


@pytest.mark.parametrize(
    ("kind", "field", "data"),
    [
        ("stock", "owner", {"name": "Masques", "quantity": "10"}),
        ("stock", "contact", {"name": "Masques", "quantity": "10"}),
        ("stock", "commune", {"name": "Masques", "quantity": "10"}),
        ("capacity", "owner", {"label": "Lits", "quantity": "4"}),
        ("human", "contact", {}),
        ("premises", "keys_holder", {"name": "Salle", "kind": "other"}),
    ],
)
def test_forms_refuse_what_belongs_to_another_cpts(
    personas, client_for, territory, kind, field, data
):
    ours, theirs = territory["ours"], territory["theirs"]
    foreign = theirs["contact"] if field == "keys_holder" else theirs[field]
    post = {"status": "available", "commune": ours["commune"].pk, **data, field: foreign.pk}
    model = FACTORIES[kind]._meta.model
    before = model.objects.count()
    response = client_for(personas.coordinator).post(url(f"{kind}_create"), post)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in html(response)
    assert model.objects.count() == before


def test_a_commune_outside_the_territory_is_not_offered(personas, client_for, territory):
    page = html(client_for(personas.coordinator).get(url("premises_create")))
    assert territory["ours"]["commune"].name in page
    assert territory["theirs"]["commune"].name not in page


def test_an_availability_ending_before_it_starts_is_explained(personas, client_for):
    contact = ContactFactory(cpts=personas.cpts)
    response = client_for(personas.coordinator).post(
        url("human_create"),
        {"contact": contact.pk, "status": "available",
         "available_from": "2026-07-10", "available_until": "2026-07-01"},
    )  # fmt: skip
    assert "La fin de la disponibilité ne peut pas précéder son début." in html(response)
    assert not HumanResource.objects.filter(contact=contact).exists()


def test_a_professional_is_recorded_once_as_volunteer(personas, client_for):
    contact = ContactFactory(cpts=personas.cpts)
    HumanResourceFactory(cpts=personas.cpts, contact=contact)
    response = client_for(personas.coordinator).post(
        url("human_create"), {"contact": contact.pk, "status": "available"}
    )
    assert "Ce professionnel est déjà recensé comme bénévole." in html(response)
    assert HumanResource.objects.filter(contact=contact).count() == 1


def test_half_a_position_is_explained(personas, client_for):
    response = client_for(personas.coordinator).post(
        url("stock_create"),
        {"name": "Gel", "quantity": "3", "status": "available", "latitude": "47"},
    )
    assert "Indiquez la latitude et la longitude, ou aucune des deux." in html(response)
    assert not Stock.objects.filter(name="Gel").exists()


def test_volunteer_missions_are_saved_and_shown_in_french(personas, client_for):
    contact = ContactFactory(cpts=personas.cpts)
    client = client_for(personas.referent)
    response = client.post(
        url("human_create"),
        {"contact": contact.pk, "status": "engaged",
         "missions": ["vaccination", "fragile_patient_calls"], "availability": "week-ends"},
    )  # fmt: skip
    volunteer = HumanResource.objects.get(contact=contact)
    assert volunteer.missions == ["vaccination", "fragile_patient_calls"]
    page = html(client.get(response["Location"]))
    assert "Vaccination, Appel des patients fragiles" in page
    assert "week-ends" in page and "Engagée" in page


# --- Actions ---------------------------------------------------------------------------------


def test_delete_is_a_post_and_is_audited(personas, client_for):
    capacity = CapacityFactory(cpts=personas.cpts)
    client = client_for(personas.coordinator)
    assert client.get(url("capacity_delete", capacity)).status_code == 405
    response = client.post(url("capacity_delete", capacity))
    assert response["Location"] == url("capacity_list")
    assert not Capacity.objects.filter(pk=capacity.pk).exists()
    assert AuditEntry.objects.filter(code="resources.capacity.deleted").exists()


def test_mark_checked_from_a_filtered_list_returns_to_it(personas, client_for):
    stale = EquipmentFactory(cpts=personas.cpts, checked_on=None)
    client = client_for(personas.referent)
    back = url("equipment_list") + "?flag=stale"
    assert "Marquer comme vérifiée aujourd'hui" in html(client.get(back))
    response = client.post(url("equipment_check", stale), {"next": back})
    assert response["Location"] == back
    stale.refresh_from_db()
    assert stale.checked_on == timezone.localdate()
    page = html(client.get(back))
    assert "vérification enregistrée aujourd" in page and "0 résultat" in page
    assert AuditEntry.objects.filter(code="resources.equipment.checked").count() == 1


def test_mark_checked_never_redirects_elsewhere(personas, client_for):
    stock = StockFactory(cpts=personas.cpts, checked_on=None)
    response = client_for(personas.referent).post(
        url("stock_check", stock), {"next": "https://ailleurs.example/"}
    )
    assert response["Location"] == url("stock_detail", stock)


# --- Flags on the pages ----------------------------------------------------------------------


def test_overview_counts_flags_and_links_to_the_filtered_lists(personas, client_for):
    today = timezone.localdate()
    expired = StockFactory(cpts=personas.cpts, name="Blouses", expiry_date=today - timedelta(1))
    soon = StockFactory(cpts=personas.cpts, name="Gants", expiry_date=today + timedelta(30))
    later = StockFactory(cpts=personas.cpts, name="Masques", expiry_date=today + timedelta(200))
    PremisesFactory(cpts=personas.cpts, checked_on=None)
    PremisesFactory(cpts=personas.cpts, checked_on=today - timedelta(days=400))
    HumanResourceFactory(cpts=personas.cpts, checked_on=None)
    client = client_for(personas.cell_member)
    page = html(client.get(url("overview")))
    assert "2 stocks périmés ou proches de l'expiration" in page
    assert "3 ressources non vérifiées depuis 12 mois" in page
    expiring_url = url("stock_list") + "?flag=expiring"
    assert f'href="{expiring_url}"' in page
    assert f'href="{url("premises_list")}?flag=stale"' in page
    listed = html(client.get(expiring_url))
    assert expired.name in listed and soon.name in listed and later.name not in listed
    assert "périmé</span>" in listed and "expire bientôt</span>" in listed


def test_overview_says_when_nothing_needs_attention(personas, client_for):
    StockFactory(cpts=personas.cpts, expiry_date=timezone.localdate() + timedelta(days=200))
    page = html(client_for(personas.coordinator).get(url("overview")))
    assert "Rien à signaler" in page
    assert "non vérifiée" not in page


def test_lists_filter_by_status_and_commune(personas, client_for, territory):
    commune = territory["ours"]["commune"]
    owner = OrganisationFactory(cpts=personas.cpts, commune=commune)
    here = EquipmentFactory(cpts=personas.cpts, name="Tente A", owner=owner, status="engaged")
    EquipmentFactory(cpts=personas.cpts, name="Tente B", status="engaged")
    EquipmentFactory(cpts=personas.cpts, name="Tente C", owner=owner, status="unavailable")
    query = f"?status=engaged&commune={commune.insee_code}"
    page = html(client_for(personas.coordinator).get(url("equipment_list") + query))
    assert here.name in page and "Tente B" not in page and "Tente C" not in page
    assert "1 résultat" in page


# --- Fixed number of queries -----------------------------------------------------------------


def make_rows(cpts, commune, count):
    """Rows whose owner, contact and commune all differ, so that a missing join shows."""
    for _ in range(count):
        owner = OrganisationFactory(cpts=cpts, commune=commune, latitude=47.0, longitude=-2.0)
        contact = ContactFactory(cpts=cpts, commune=commune)
        common = {"cpts": cpts, "owner": owner, "checked_on": None}
        PremisesFactory(**common, contact=contact, keys_holder=contact, commune=commune)
        EquipmentFactory(**common, contact=contact)
        StockFactory(**common, contact=contact, expiry_date=timezone.localdate())
        HumanResourceFactory(**common, contact=contact)
        CapacityFactory(**common, contact=contact)


PAGES = ["overview", *(f"{kind}_list" for kind in FACTORIES)]


def test_pages_have_a_fixed_number_of_queries(
    personas, client_for, territory, django_assert_max_num_queries
):
    client = client_for(personas.coordinator)
    commune = territory["ours"]["commune"]
    make_rows(personas.cpts, commune, 3)
    few = {name: count_queries(client, url(name)) for name in PAGES}
    make_rows(personas.cpts, commune, 27)
    for name in PAGES:
        with django_assert_max_num_queries(10):
            assert client.get(url(name)).status_code == 200
    assert {name: count_queries(client, url(name)) for name in PAGES} == few


@pytest.mark.parametrize("kind", list(FACTORIES))
def test_detail_pages_have_a_fixed_number_of_queries(
    personas, client_for, territory, kind, django_assert_max_num_queries
):
    make_rows(personas.cpts, territory["ours"]["commune"], 1)
    resource = FACTORIES[kind]._meta.model.objects.order_by("pk").last()
    client = client_for(personas.coordinator)
    with django_assert_max_num_queries(5):
        page = client.get(url(f"{kind}_detail", resource))
    assert page.status_code == 200


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)
