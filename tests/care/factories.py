"""The register in tests: professionals linked to their directory entry, and their patients."""

import factory
from django.utils import timezone

from tests.factories import CommuneFactory, ContactFactory, TerritoryCommuneFactory
from tocsin.care.models import Patient
from tocsin.core.models import Membership


def treating(user, cpts):
    """Link the user's membership to a directory entry of their own; returns the entry."""
    membership = Membership.objects.get(user=user, cpts=cpts)
    if membership.contact is None:
        membership.contact = ContactFactory(cpts=cpts, last_name=f"Pro{user.pk}")
        membership.save(update_fields=["contact"])
    return membership.contact


def commune_of(cpts, **extra):
    return TerritoryCommuneFactory(cpts=cpts, commune=CommuneFactory(**extra)).commune


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient
        skip_postgeneration_save = True

    last_name = factory.Sequence(lambda n: f"Lefrançois{n}")
    first_name = "Yvonne"
    birth_date = factory.LazyFunction(lambda: timezone.localdate().replace(year=1940))
    address = "3 rue des Salines"
    phone = "+33639980011"
    needs = factory.LazyFunction(lambda: ["oxygen"])
    emergency_contact = "Sa fille Annick, 06 39 98 00 12"
    notes = "Prestataire : Air Santé Ouest"
    legal_basis = "care"
    basis_recorded_on = factory.LazyFunction(timezone.localdate)
    verified_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def followed_by(obj, create, extracted, **kwargs):  # noqa: N805 — factory_boy hook
        for contact in extracted or []:
            obj.professionals.add(contact)
