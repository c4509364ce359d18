"""Flags and invariants of the inventory: stale checks, expiring stocks, database constraints."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError

from tests.factories import CommuneFactory, CptsFactory, OrganisationFactory
from tests.resources.factories import (
    CapacityFactory,
    EquipmentFactory,
    HumanResourceFactory,
    PremisesFactory,
    StockFactory,
)
from tocsin.resources.models import Equipment, Stock
from tocsin.resources.selectors import overview

TODAY = date(2026, 3, 15)
FACTORIES = [PremisesFactory, EquipmentFactory, StockFactory, HumanResourceFactory, CapacityFactory]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f._meta.model.__name__)
@pytest.mark.parametrize(
    ("checked_on", "stale"),
    [
        (None, True),
        (TODAY - timedelta(days=366), True),
        (TODAY - timedelta(days=365), False),
        (TODAY, False),
    ],
)
def test_a_resource_is_stale_when_not_checked_for_twelve_months(
    personas, factory, checked_on, stale
):
    resource = factory(cpts=personas.cpts, checked_on=checked_on)
    model = type(resource)
    assert (resource in model.objects.stale(TODAY)) is stale
    assert model.objects.with_flags(TODAY).get(pk=resource.pk).is_stale is stale


@pytest.mark.parametrize(
    ("expiry_date", "expiring", "expired"),
    [
        (None, False, False),
        (TODAY + timedelta(days=61), False, False),
        (TODAY + timedelta(days=60), True, False),
        (TODAY, True, False),
        (TODAY - timedelta(days=1), True, True),
    ],
)
def test_a_stock_is_flagged_sixty_days_before_it_expires(personas, expiry_date, expiring, expired):
    stock = StockFactory(cpts=personas.cpts, expiry_date=expiry_date)
    assert (stock in Stock.objects.expiring(TODAY)) is expiring
    flags = Stock.objects.with_flags(TODAY).get(pk=stock.pk)
    assert (flags.is_expiring, flags.is_expired) == (expiring, expired)


def test_overview_counts_flags_of_the_cpts_only(personas):
    cpts = CptsFactory()
    StockFactory(cpts=cpts, expiry_date=TODAY - timedelta(days=3))
    StockFactory(cpts=cpts, expiry_date=TODAY + timedelta(days=60))
    StockFactory(cpts=cpts, expiry_date=TODAY + timedelta(days=61), checked_on=None)
    PremisesFactory(cpts=cpts, checked_on=TODAY - timedelta(days=400))
    PremisesFactory(cpts=cpts, checked_on=TODAY)
    StockFactory(cpts=personas.cpts, expiry_date=TODAY, checked_on=None)
    figures = overview(cpts, today=TODAY)
    assert figures["expiring"] == 2
    assert figures["stale"] == 2
    by_kind = {row["kind"]: (row["total"], row["stale"]) for row in figures["kinds"]}
    assert by_kind == {
        "premises": (2, 1),
        "equipment": (0, 0),
        "stock": (3, 1),
        "human": (0, 0),
        "capacity": (0, 0),
    }


def test_equipment_without_a_commune_is_found_in_its_owners_commune(personas):
    pornic, other = CommuneFactory(name="Pornic"), CommuneFactory()
    owner = OrganisationFactory(cpts=personas.cpts, commune=pornic)
    stored_at_owner = EquipmentFactory(cpts=personas.cpts, owner=owner)
    stored_elsewhere = EquipmentFactory(cpts=personas.cpts, owner=owner, commune=other)
    found = Equipment.objects.in_commune(pornic.insee_code)
    assert list(found) == [stored_at_owner]
    assert stored_at_owner.place_commune == pornic
    assert stored_elsewhere.place_commune == other


def test_the_database_refuses_a_negative_quantity(personas):
    with pytest.raises(IntegrityError):
        StockFactory(cpts=personas.cpts, quantity=-1)


def test_the_database_refuses_an_availability_ending_before_it_starts(personas):
    with pytest.raises(IntegrityError):
        HumanResourceFactory(
            cpts=personas.cpts, available_from=TODAY, available_until=TODAY - timedelta(days=1)
        )


def test_the_database_refuses_half_a_position(personas):
    with pytest.raises(IntegrityError):
        PremisesFactory(cpts=personas.cpts, latitude=47.1, longitude=None)
