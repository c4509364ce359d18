"""Guardrails and standing personas shared by every test.

Warnings are errors and unknown template variables fail (pyproject.toml). The personas are the
people of one CPTS — coordinator, référent, cell member, member, authority — and an outsider
who coordinates another CPTS.
"""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from tests import smtp
from tests.factories import (
    ContactFactory,
    CptsFactory,
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    TerritoryCommuneFactory,
    confirmed_totp,
)
from tests.resources.factories import (
    CapacityFactory,
    EquipmentFactory,
    HumanResourceFactory,
    PremisesFactory,
    StockFactory,
)
from tocsin.core.enums import AuthorityBody, Role
from tocsin.core.models import TWO_FACTOR_ROLES
from tocsin.directory.enums import ImportKind, ImportStatus
from tocsin.directory.models import DetailsRequest, ImportRun
from tocsin.territory.enums import CrisisType, RiskSource
from tocsin.territory.models import Risk
from tocsin.watch.enums import FeedKind, Level, SignalSource
from tocsin.watch.models import Attachment, Feed, Signal


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path
    # Argon2 stays the production hasher (tested in test_settings); MD5 keeps the suite fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test starts with an empty cache: row ids restart, cached pages and checks must not.
    cache.clear()


@dataclass
class Personas:
    cpts: object
    other_cpts: object
    coordinator: object
    referent: object
    cell_member: object
    member: object
    authority: object
    outsider: object

    def all(self) -> dict:
        return {
            name: getattr(self, name)
            for name in (
                "coordinator",
                "referent",
                "cell_member",
                "member",
                "authority",
                "outsider",
            )
        }


@pytest.fixture
def personas(db) -> Personas:
    cpts = CptsFactory(name="CPTS Côte de Test", slug="cote-de-test")
    other = CptsFactory(name="CPTS Voisine", slug="voisine")
    for tenant in (cpts, other):
        commune = TerritoryCommuneFactory(cpts=tenant).commune
        organisation = OrganisationFactory(cpts=tenant)
        contact = ContactFactory(cpts=tenant)
        contact.organisations.add(organisation)
        GroupFactory(cpts=tenant).members.add(contact)
        DetailsRequest.objects.create(cpts=tenant, contact=contact)
        resources = {"cpts": tenant, "owner": organisation, "contact": contact}
        PremisesFactory(**resources, commune=commune, keys_holder=contact)
        EquipmentFactory(**resources)
        StockFactory(**resources)
        HumanResourceFactory(**resources)
        CapacityFactory(**resources)
        ImportRun.objects.create(cpts=tenant, kind=ImportKind.MAIRIES, status=ImportStatus.PREVIEW)
        Risk.objects.create(
            cpts=tenant,
            code="autre.essai",
            name="Risque d'essai",
            source=RiskSource.OTHER,
            crisis_type=CrisisType.CARE_DISRUPTION,
            is_major=False,  # tests that count the major risks create their own
        ).communes.add(commune)
        # --- watch ---
        signal = Signal.objects.create(
            cpts=tenant, source=SignalSource.MANUAL, sender="ARS", sent_at=timezone.now(),
            level=Level.YELLOW, event="Signal d'essai", headline="Signal d'essai",
        )  # fmt: skip
        Attachment.objects.create(
            signal=signal, name="note.txt", file=ContentFile(b"Note d'essai", name="note.txt")
        )
        Feed.objects.create(
            cpts=tenant, kind=FeedKind.CAP, name="Flux d'essai", url="http://127.0.0.1:9/flux.xml"
        )

    def person(role, cpts=cpts, **extra):
        return MembershipFactory(cpts=cpts, role=role, **extra).user

    found = Personas(
        cpts=cpts,
        other_cpts=other,
        coordinator=person(Role.COORDINATOR),
        referent=person(Role.REFERENT),
        cell_member=person(Role.CELL_MEMBER),
        member=person(Role.MEMBER),
        authority=person(Role.AUTHORITY, authority_body=AuthorityBody.ARS),
        outsider=person(Role.COORDINATOR, cpts=other),
    )
    # A second coordinator in the other CPTS owns data the outsider must never see.
    MembershipFactory(cpts=other, role=Role.MEMBER)
    return found


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, which the site's e-mail backend sends to."""
    inbox = smtp.Inbox()
    controller, port = smtp.start(inbox)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    yield inbox
    controller.stop()


def login(client: Client, user) -> Client:
    """Log in as `user`, with the second factor already passed when their role needs one."""
    client.force_login(user)
    if user.memberships.filter(role__in=TWO_FACTOR_ROLES).exists():
        device = confirmed_totp(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(db):
    def make(user) -> Client:
        return login(Client(), user)

    return make
