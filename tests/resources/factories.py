"""factory_boy factories of the resource inventory."""

import factory
from django.utils import timezone

from tests.factories import (
    CommuneFactory,
    ContactFactory,
    CptsFactory,
    OrganisationFactory,
)
from tocsin.resources.enums import EquipmentKind, MissionKind, PremisesKind
from tocsin.resources.models import Capacity, Equipment, HumanResource, Premises, Stock


class PremisesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Premises

    cpts = factory.SubFactory(CptsFactory)
    checked_on = factory.LazyFunction(timezone.localdate)
    name = factory.Sequence(lambda n: f"Gymnase {n}")
    kind = PremisesKind.GYMNASIUM
    commune = factory.SubFactory(CommuneFactory)
    latitude = 47.11
    longitude = -2.1
    capacity = 200
    has_power_supply = True


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipment

    cpts = factory.SubFactory(CptsFactory)
    checked_on = factory.LazyFunction(timezone.localdate)
    name = factory.Sequence(lambda n: f"Groupe électrogène {n}")
    kind = EquipmentKind.GENERATOR
    quantity = 1


class StockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stock

    cpts = factory.SubFactory(CptsFactory)
    checked_on = factory.LazyFunction(timezone.localdate)
    name = factory.Sequence(lambda n: f"Masques FFP2 (lot {n})")
    quantity = 500
    unit = "unités"


class HumanResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HumanResource

    cpts = factory.SubFactory(CptsFactory)
    checked_on = factory.LazyFunction(timezone.localdate)
    contact = factory.SubFactory(ContactFactory, cpts=factory.SelfAttribute("..cpts"))
    skills = "Vaccination\nPremiers secours"
    availability = "week-ends"
    missions = [MissionKind.VACCINATION.value, MissionKind.RECEPTION.value]


class CapacityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Capacity

    cpts = factory.SubFactory(CptsFactory)
    checked_on = factory.LazyFunction(timezone.localdate)
    owner = factory.SubFactory(OrganisationFactory, cpts=factory.SelfAttribute("..cpts"))
    label = "Lits de médecine"
    quantity = 12
    unit = "lits"
