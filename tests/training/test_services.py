"""Training operations, without HTTP: invitations, registration and its waiting list, the seat
freed and given to the next one, attendance, expiry and the référent's required trainings."""

import datetime
import re
import threading

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from tests.factories import ContactFactory, GroupFactory
from tests.plans.factories import validated_version
from tests.training.factories import attended, in_days, invited, session, training
from tocsin.core.errors import DomainError
from tocsin.core.models import AuditEntry
from tocsin.training import links, services
from tocsin.training.enums import RegistrationStatus, RequiredState, Validity
from tocsin.training.models import Registration
from tocsin.training.selectors import (
    attended_trainings,
    required_training_status,
    training_followup,
    validity,
)

REGISTERED, WAITING = RegistrationStatus.REGISTERED, RegistrationStatus.WAITING
# A Monday morning in Paris: a session « today » is still ahead, whatever the hour tests run.
MONDAY_MORNING = datetime.datetime(2026, 3, 2, 8, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _morning():
    with time_machine.travel(MONDAY_MORNING, tick=True):
        yield


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run what a service leaves for after its commit (the e-mails)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def afgsu(personas):
    return training(personas.coordinator, personas.cpts)


@pytest.fixture
def full_day(personas, afgsu):
    """Two seats, ten days from now."""
    return session(personas.coordinator, afgsu)


def linked(body: str) -> Registration:
    """The registration whose signed link the e-mail carries."""
    token = re.search(r"/formations/inscription/([^/\s]+)/", body).group(1)
    return links.registration_from_token(token)


def codes(cpts) -> list[str]:
    return list(AuditEntry.objects.filter(cpts=cpts).order_by("pk").values_list("code", flat=True))


# --- Invitations ---


def test_inviting_a_group_e_mails_each_contact_their_link_and_lists_who_is_left_out(
    personas, full_day, mailoutbox, sent
):
    nurse = ContactFactory(cpts=personas.cpts, last_name="Infirmière")
    silent = ContactFactory(cpts=personas.cpts, last_name="Sansmail", email="")
    group = GroupFactory(cpts=personas.cpts)
    group.members.add(nurse, silent)

    with sent():
        totals = services.invite_contacts(personas.coordinator, full_day, {"groups": [group.pk]})

    assert totals == {"invited": 1, "excluded": 1}
    registration = Registration.objects.get(session=full_day)
    assert (registration.contact, registration.status) == (nurse, RegistrationStatus.INVITED)
    [message] = mailoutbox
    assert message.to == [nurse.email]
    assert linked(message.body) == registration
    assert message.attachments[0][0].endswith(".ics")
    # Inviting again adds nobody twice: the nurse is now « déjà invitée ».
    with pytest.raises(DomainError, match="Personne n'est à inviter"):
        services.invite_contacts(personas.coordinator, full_day, {"contacts": [nurse.pk]})
    assert codes(personas.cpts)[-1] == "training.session.invited"


def test_a_contact_of_another_cpts_is_never_invited(personas, full_day):
    stranger = ContactFactory(cpts=personas.other_cpts)
    with pytest.raises(DomainError):
        services.invite_contacts(personas.coordinator, full_day, {"contacts": [stranger.pk]})
    assert not Registration.objects.exists()


# --- Registering, the waiting list, cancelling ---


def test_registrations_fill_the_seats_then_the_waiting_list_in_order(personas, full_day):
    first, second, third, fourth = (invited(full_day) for _ in range(4))
    for registration in (first, second, third, fourth):
        services.register(registration)
    assert [first.status, second.status, third.status, fourth.status] == [
        REGISTERED, REGISTERED, WAITING, WAITING,
    ]  # fmt: skip
    assert (third.waiting_position(), fourth.waiting_position()) == (1, 2)
    assert full_day.registrations.filter(status=REGISTERED).count() == full_day.capacity
    entry = AuditEntry.objects.filter(code="training.registration.waitlisted").order_by("pk").last()
    assert (entry.actor, entry.actor_label, entry.data) == (None, fourth.name, {"position": 2})


def test_registering_twice_changes_nothing(personas, full_day):
    registration = services.register(invited(full_day))
    before = AuditEntry.objects.count()
    services.register(registration)
    assert registration.status == REGISTERED
    assert AuditEntry.objects.count() == before


def test_cancelling_gives_the_seat_to_the_first_waiting_who_is_e_mailed(
    personas, full_day, mailoutbox, sent
):
    first, second, third, fourth = (invited(full_day) for _ in range(4))
    for registration in (first, second, third, fourth):
        services.register(registration)

    with sent():
        services.cancel_registration(first)

    for registration in (first, third, fourth):
        registration.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED and first.cancelled_at
    assert third.status == REGISTERED  # the first to wait
    assert (fourth.status, fourth.waiting_position()) == (WAITING, 1)
    [message] = mailoutbox
    assert message.to == [third.email]
    assert "Place libérée" in message.subject
    assert linked(message.body) == third
    assert message.attachments[0][2] == "text/calendar"
    assert codes(personas.cpts)[-2:] == [
        "training.registration.cancelled", "training.registration.promoted",
    ]  # fmt: skip


def test_leaving_the_waiting_list_frees_no_seat(personas, full_day, mailoutbox, sent):
    first, second, third = (invited(full_day) for _ in range(3))
    for registration in (first, second, third):
        services.register(registration)
    with sent():
        services.cancel_registration(third)
    assert full_day.registrations.filter(status=REGISTERED).count() == 2
    assert mailoutbox == []


def test_more_seats_go_to_the_waiting_list(personas, full_day, mailoutbox, sent):
    registrations = [services.register(invited(full_day)) for _ in range(4)]
    with sent():
        services.update_session(personas.coordinator, full_day, capacity=3)
    states = [Registration.objects.get(pk=r.pk).status for r in registrations]
    assert states == [REGISTERED, REGISTERED, REGISTERED, WAITING]
    assert [m.to for m in mailoutbox] == [[registrations[2].email]]


def test_a_session_that_is_over_takes_no_registration(personas, afgsu):
    yesterday = session(personas.coordinator, afgsu, date=in_days(-1))
    with pytest.raises(DomainError, match="a eu lieu"):
        services.register(invited(yesterday))


def test_the_last_seat_goes_to_one_of_two_simultaneous_registrations(personas, afgsu):
    """Serialised by the lock on the session row: the second one waits."""
    one_seat = session(personas.coordinator, afgsu, capacity=1)
    a, b = invited(one_seat), invited(one_seat)
    services.register(a)
    services.register(b)
    assert sorted([a.status, b.status]) == sorted([REGISTERED, WAITING])


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite runs one write transaction at a time (BEGIN IMMEDIATE); the row lock that "
    "serialises concurrent registrations is PostgreSQL's, checked by the PostgreSQL run",
)
@pytest.mark.django_db(transaction=True)
def test_racing_registrations_never_exceed_the_capacity(personas, afgsu):
    one_seat = session(personas.coordinator, afgsu, capacity=1)
    racing = [invited(one_seat) for _ in range(6)]
    start = threading.Barrier(len(racing))

    def work(registration):
        try:
            start.wait()
            services.register(Registration.objects.get(pk=registration.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(r,)) for r in racing]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = list(one_seat.registrations.values_list("status", flat=True))
    assert statuses.count(REGISTERED) == 1
    assert statuses.count(WAITING) == 5


# --- Attendance ---


def test_attendance_is_taken_from_the_day_on_and_each_change_is_audited(personas, afgsu):
    today = session(personas.coordinator, afgsu, date=in_days(0), capacity=5)
    present, absent = (services.register(invited(today)) for _ in range(2))

    changed = services.record_attendance(personas.coordinator, today, [present.pk])

    assert changed == 2
    present.refresh_from_db(), absent.refresh_from_db()
    assert (present.attended, absent.attended) == (True, False)
    entries = AuditEntry.objects.filter(code="training.attendance.marked").order_by("pk")
    assert sorted(e.data["state"] for e in entries) == ["absent(e)", "présent(e)"]
    # Saving the same ticks again changes and audits nothing.
    assert services.record_attendance(personas.coordinator, today, [present.pk]) == 0
    assert entries.count() == 2
    later = session(personas.coordinator, afgsu, date=in_days(3))
    with pytest.raises(DomainError, match="jour de la session"):
        services.record_attendance(personas.coordinator, later, [])


def test_someone_who_came_without_registering_is_added_present(personas, afgsu):
    today = session(personas.coordinator, afgsu, date=in_days(0), capacity=1)
    services.register(invited(today))
    waiting = services.register(invited(today))
    stranger = ContactFactory(cpts=personas.cpts, last_name="Passant")

    walk_in = services.add_walk_in(personas.coordinator, today, stranger)
    promoted = services.add_walk_in(personas.coordinator, today, waiting.contact)

    assert (walk_in.status, walk_in.attended, walk_in.walked_in) == (REGISTERED, True, True)
    assert (promoted.pk, promoted.status, promoted.attended) == (waiting.pk, REGISTERED, True)
    assert AuditEntry.objects.filter(code="training.attendance.walk_in").count() == 2
    with pytest.raises(DomainError, match="déjà noté"):
        services.add_walk_in(personas.coordinator, today, stranger)
    with pytest.raises(DomainError):
        services.add_walk_in(personas.coordinator, today, ContactFactory(cpts=personas.other_cpts))


# --- Expiry and the référent's required trainings ---


def test_validity_states_on_a_frozen_clock():
    today = datetime.date(2026, 3, 1)
    assert validity(None, today) == Validity.PERMANENT
    assert validity(datetime.date(2026, 2, 28), today) == Validity.EXPIRED
    assert validity(datetime.date(2026, 3, 1), today) == Validity.EXPIRING
    assert validity(datetime.date(2026, 5, 30), today) == Validity.EXPIRING  # 90 days
    assert validity(datetime.date(2026, 5, 31), today) == Validity.VALID


@time_machine.travel(datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC), tick=False)
def test_attended_trainings_keep_the_last_session_and_its_expiry(personas, afgsu):
    nurse = ContactFactory(cpts=personas.cpts, last_name="Infirmière")
    old = session(personas.coordinator, afgsu, date=datetime.date(2021, 6, 1))
    recent = session(personas.coordinator, afgsu, date=datetime.date(2022, 5, 1))
    attended(personas.coordinator, old, nurse)
    attended(personas.coordinator, recent, nurse)
    plan = training(personas.coordinator, personas.cpts, title="Le plan", validity_months=None,
                    kind="cpts_plan")  # fmt: skip
    attended(personas.coordinator, session(personas.coordinator, plan, date=in_days(-2)), nurse)

    [record] = attended_trainings(personas.cpts)

    assert record.contact == nurse
    afgsu_row, plan_row = record.trainings
    assert (afgsu_row.attended_on, afgsu_row.expires_on) == (
        datetime.date(2022, 5, 1), datetime.date(2026, 5, 1),
    )  # fmt: skip
    assert afgsu_row.state == Validity.EXPIRING  # within 90 days of 2 March 2026
    assert (plan_row.expires_on, plan_row.state) == (None, Validity.PERMANENT)
    assert attended_trainings(personas.cpts, training=plan)[0].trainings == [plan_row]
    assert attended_trainings(personas.other_cpts) == []


@time_machine.travel(datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC), tick=False)
def test_required_training_status_is_met_expiring_or_missing(personas):
    coordinator, cpts = personas.coordinator, personas.cpts
    referent = ContactFactory(cpts=cpts, last_name="Référente")
    valid = training(coordinator, cpts, title="Gestion de crise", kind="crisis_management",
                     validity_months=36, required_for_referent=True)  # fmt: skip
    expiring = training(coordinator, cpts, title="AFGSU SSE", required_for_referent=True)
    expired = training(coordinator, cpts, title="NRBC", kind="nrbc", validity_months=12,
                       required_for_referent=True)  # fmt: skip
    never = training(coordinator, cpts, title="Premiers secours", kind="first_aid",
                     required_for_referent=True)  # fmt: skip
    training(coordinator, cpts, title="Optionnelle", kind="other")  # not required: not listed
    attended(coordinator, session(coordinator, valid, date=datetime.date(2025, 1, 10)), referent)
    attended(coordinator, session(coordinator, expiring, date=datetime.date(2022, 4, 1)), referent)
    attended(coordinator, session(coordinator, expired, date=datetime.date(2024, 1, 5)), referent)

    status = required_training_status(cpts, referent)

    assert [(t.title, state, on) for t, state, on in status] == [
        ("AFGSU SSE", RequiredState.EXPIRING, datetime.date(2026, 4, 1)),
        ("Gestion de crise", RequiredState.MET, datetime.date(2028, 1, 10)),
        ("NRBC", RequiredState.MISSING, datetime.date(2025, 1, 5)),
        ("Premiers secours", RequiredState.MISSING, None),
    ]
    assert [state for _, state, _ in required_training_status(cpts, None)] == [
        RequiredState.MISSING
    ] * 4
    assert never in [t for t, _, _ in status]


def test_the_dashboard_followup_names_the_plan_referent_and_what_is_missing(personas):
    version = validated_version(personas.cpts, personas.coordinator)
    assert not training_followup(personas.cpts)  # nothing required, no session
    required = training(personas.coordinator, personas.cpts, required_for_referent=True)
    upcoming = session(personas.coordinator, required)
    followup = training_followup(personas.cpts)
    (_, referent, gaps), (_, deputy, _) = followup.people
    assert referent == version.referent and deputy is None  # no suppléant named yet
    assert [(t, state) for t, state, _ in gaps] == [(required, RequiredState.MISSING)]
    assert followup.needs_attention and followup.upcoming == [upcoming]
    assert timezone.localdate() < upcoming.date
