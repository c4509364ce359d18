"""Read-only queries of trainings: who attended what and until when it is valid, where the
référent and the suppléant stand for the required trainings, the sessions to come.

Each runs a fixed number of queries whatever the number of people or sessions.
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.utils import timezone

from tocsin.plans.models import PlanVersion
from tocsin.training.enums import EXPIRING_WITHIN_DAYS, RequiredState, Validity
from tocsin.training.models import Registration, Session, Training


def validity(expires_on: datetime.date | None, today: datetime.date) -> Validity:
    if expires_on is None:
        return Validity.PERMANENT
    if expires_on < today:
        return Validity.EXPIRED
    if expires_on <= today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS):
        return Validity.EXPIRING
    return Validity.VALID


@dataclass(frozen=True)
class Attended:
    """The last time one person attended one training, and how long it holds."""

    training: Training
    attended_on: datetime.date
    expires_on: datetime.date | None
    state: Validity


@dataclass
class PersonRecord:
    contact: object
    trainings: list = field(default_factory=list)  # [Attended], by training title


def _attendances(cpts, **filters):
    return (
        Registration.objects.filter(session__cpts=cpts, attended=True, **filters)
        .select_related("session__training")
        .order_by("contact_id", "session__training_id", "-session__date")
    )


def _latest(registrations, today) -> dict:
    """{(contact id, training id): Attended}, from rows ordered most recent first."""
    latest = {}
    for registration in registrations:
        key = (registration.contact_id, registration.session.training_id)
        if key not in latest:
            training, on = registration.session.training, registration.session.date
            expires_on = training.expires_on(on)
            latest[key] = Attended(training, on, expires_on, validity(expires_on, today))
    return latest


def attended_trainings(cpts, *, training=None, today=None) -> list[PersonRecord]:
    """Each person who attended a training (that one, if given), with their trainings."""
    today = today or timezone.localdate()
    filters = {"session__training": training} if training else {}
    rows = _attendances(cpts, **filters).select_related("contact")
    contacts = {}
    for registration in rows:
        contacts.setdefault(registration.contact_id, registration.contact)
    latest = _latest(rows, today)
    records = []
    for contact_id, items in groupby(sorted(latest.items()), key=lambda item: item[0][0]):
        attended = sorted((a for _, a in items), key=lambda a: a.training.title)
        records.append(PersonRecord(contacts[contact_id], attended))
    return sorted(records, key=lambda r: (r.contact.last_name, r.contact.first_name, r.contact.pk))


def required_training_statuses(cpts, contact_ids, *, today=None) -> dict:
    """{contact id: [(training, RequiredState, expires_on)]} for every required training."""
    required = list(Training.objects.for_cpts(cpts).required())
    return _statuses(cpts, required, contact_ids, today or timezone.localdate())


def _statuses(cpts, required, contact_ids, today) -> dict:
    ids = [pk for pk in contact_ids if pk is not None]
    latest = {}
    if required and ids:
        rows = _attendances(cpts, contact_id__in=ids, session__training__in=required)
        latest = _latest(rows, today)
    return {pk: [_required_state(training, latest.get((pk, training.pk))) for training in required]
            for pk in contact_ids}  # fmt: skip


def _required_state(training, attended):
    if attended is None or attended.state == Validity.EXPIRED:
        return training, RequiredState.MISSING, attended.expires_on if attended else None
    if attended.state == Validity.EXPIRING:
        return training, RequiredState.EXPIRING, attended.expires_on
    return training, RequiredState.MET, attended.expires_on


def required_training_status(cpts, contact, *, today=None) -> list:
    """[(training, state, expires_on)]: met, expiring or missing, per required training."""
    pk = contact.pk if contact else None
    return required_training_statuses(cpts, [pk], today=today)[pk]


def is_up_to_date(statuses) -> bool:
    """Every required training met or expiring (an expiring one is still valid today)."""
    return all(state != RequiredState.MISSING for _, state, _ in statuses)


@dataclass
class Followup:
    """The dashboard card: what the référent and the suppléant lack, and the next sessions."""

    people: list  # [(label, contact or None, [(training, state, expires_on)] not met)]
    upcoming: list
    has_required: bool

    def __bool__(self):
        return self.has_required or bool(self.upcoming)

    @property
    def needs_attention(self) -> bool:
        """A required training missing or expiring, or nobody designated."""
        return self.has_required and any(c is None or gaps for _, c, gaps in self.people)


def training_followup(cpts, *, today=None, sessions=3) -> Followup:
    """The référent and suppléant of the latest plan version, and the next sessions.

    Two queries when no training is required (the plan is then not read), four otherwise.
    """
    today = today or timezone.localdate()
    upcoming = list(upcoming_sessions(cpts, today=today)[:sessions])
    required = list(Training.objects.for_cpts(cpts).required())
    if not required:
        return Followup([], upcoming, has_required=False)
    plan = (PlanVersion.objects.for_cpts(cpts).select_related("referent", "deputy")
            .order_by("-number").first())  # fmt: skip
    named = [("Référent", plan.referent if plan else None),
             ("Suppléant", plan.deputy if plan else None)]  # fmt: skip
    statuses = _statuses(cpts, required, [c.pk if c else None for _, c in named], today)
    people = []
    for label, contact in named:
        gaps = [s for s in statuses[contact.pk if contact else None] if s[1] != RequiredState.MET]
        people.append((label, contact, gaps))
    return Followup(people, upcoming, has_required=True)


def upcoming_sessions(cpts, *, today=None):
    return Session.objects.for_cpts(cpts).upcoming(today).select_related("training").with_counts()


def past_sessions(cpts, *, today=None):
    return Session.objects.for_cpts(cpts).past(today).select_related("training").with_counts()
