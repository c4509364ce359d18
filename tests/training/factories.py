"""Trainings in tests, built through the services the pages use."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tests.factories import ContactFactory
from tocsin.training import services
from tocsin.training.enums import RegistrationStatus, TrainingKind
from tocsin.training.models import Registration


def training(actor, cpts, **fields):
    fields.setdefault("title", "AFGSU SSE — module 1")
    fields.setdefault("provider", "CESU 44")
    fields.setdefault("kind", TrainingKind.AFGSU_SSE)
    fields.setdefault("duration_hours", Decimal("7"))
    fields.setdefault("validity_months", 48)
    return services.create_training(actor, cpts, **fields)


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def session(actor, training, **fields):
    fields.setdefault("date", in_days(10))
    fields.setdefault("start_time", datetime.time(9, 0))
    fields.setdefault("end_time", datetime.time(17, 0))
    fields.setdefault("place", "Maison de santé, 2 rue du Port, Pornic")
    fields.setdefault("capacity", 2)
    fields.setdefault("trainer", "Dr Anne Formatrice")
    return services.create_session(actor, training, **fields)


def invited(session, contact=None, **contact_fields):
    """One invitation row, as invite_contacts writes it (without the e-mail)."""
    contact = contact or ContactFactory(cpts=session.cpts, **contact_fields)
    return Registration.objects.create(
        session=session, contact=contact, name=contact.full_name, email=contact.email,
        profession=contact.profession_label, invited_at=timezone.now(),
    )  # fmt: skip


def attended(actor, session, contact):
    """The contact registered and marked present at the session (held today or before)."""
    registration = invited(session, contact)
    registration.status = RegistrationStatus.REGISTERED
    registration.save(update_fields=["status"])
    present = set(session.registrations.filter(attended=True).values_list("pk", flat=True))
    services.record_attendance(actor, session, present | {registration.pk})
    registration.refresh_from_db()
    return registration
