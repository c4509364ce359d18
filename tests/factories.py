"""factory_boy factories shared by every app's tests."""

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from tocsin.core.enums import Role
from tocsin.core.models import Cpts, Membership, User
from tocsin.directory.models import Contact, Group, Organisation
from tocsin.territory.models import Commune, TerritoryCommune

TEST_PASSWORD = "mot-de-passe-de-test-42"


class CptsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cpts

    name = factory.Sequence(lambda n: f"CPTS de test {n}")
    slug = factory.Sequence(lambda n: f"cpts-test-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.test")
    full_name = factory.Sequence(lambda n: f"Personne Test {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805 — factory_boy hook
        if create:
            obj.save(update_fields=["password"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    cpts = factory.SubFactory(CptsFactory)
    role = Role.MEMBER


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    insee_code = factory.Sequence(lambda n: f"{44000 + n:05d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    department_code = "44"
    population = 1000
    boundary = {"type": "Polygon", "coordinates": [[[-2.1, 47.1], [-2.0, 47.1], [-2.0, 47.2]]]}
    latitude = 47.15
    longitude = -2.05
    mairie_phone = "02 40 00 00 00"
    mairie_email = factory.Sequence(lambda n: f"mairie{n}@exemple.test")


class TerritoryCommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TerritoryCommune

    cpts = factory.SubFactory(CptsFactory)
    commune = factory.SubFactory(CommuneFactory)


def confirmed_totp(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Test", confirmed=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    cpts = factory.SubFactory(CptsFactory)
    kind = "ch"
    name = factory.Sequence(lambda n: f"Centre hospitalier {n}")
    switchboard_phone = "+33240000000"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    cpts = factory.SubFactory(CptsFactory)
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    first_name = "Camille"
    profession_code = "60"
    profession_label = "Infirmier"
    mobile_phone = "+33612345678"
    email = factory.Sequence(lambda n: f"contact{n}@exemple.test")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    cpts = factory.SubFactory(CptsFactory)
    name = factory.Sequence(lambda n: f"Groupe {n}")
