"""Training operations: the catalogue, sessions, invitations, registration and its waiting
list, attendance.

Registering locks the session row, so two people clicking for the last seat at the same time
never both get it: the second waits. A freed seat goes to the first on the waiting list, who
is told by e-mail. Every change is audited; e-mails leave once the transaction is committed.
"""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from tocsin.core.audit import log_action
from tocsin.core.errors import DomainError
from tocsin.core.tasks import send_email
from tocsin.training import audience, ics, links
from tocsin.training.enums import TRANSITIONS, RegistrationStatus
from tocsin.training.models import Registration, Session, Training

TRAINING_FIELDS = ("title", "provider", "kind", "duration_hours", "validity_months",
                   "description", "required_for_referent")  # fmt: skip
SESSION_FIELDS = ("date", "start_time", "end_time", "place", "online_url", "capacity", "trainer")
SESSION_OVER = "Cette session a eu lieu : les inscriptions sont closes."
Status = RegistrationStatus


def _locked(session) -> Session:
    # Only the session row: the training and the CPTS are read, not locked.
    locked = Session.objects.select_for_update(of=("self",)).select_related("training", "cpts")
    return locked.get(pk=session.pk)


def _unique_title(cpts, title, training=None):
    same = Training.objects.for_cpts(cpts).filter(title__iexact=title.strip())
    if training is not None:
        same = same.exclude(pk=training.pk)
    if same.exists():
        raise DomainError("Le catalogue a déjà une formation de cet intitulé.")


# --- The catalogue ---


def create_training(actor, cpts, **fields) -> Training:
    _unique_title(cpts, fields["title"])
    with transaction.atomic():
        training = Training.objects.create(cpts=cpts, **fields)
        log_action(actor, cpts, "training.training.created", training)
    return training


def update_training(actor, training: Training, **fields) -> Training:
    _unique_title(training.cpts, fields.get("title", training.title), training)
    changed = [name for name in TRAINING_FIELDS
               if name in fields and getattr(training, name) != fields[name]]  # fmt: skip
    with transaction.atomic():
        for name in changed:
            setattr(training, name, fields[name])
        training.save(update_fields=changed)
        log_action(actor, training.cpts, "training.training.changed", training,
                   {"fields": changed})  # fmt: skip
    return training


# --- Sessions ---


def create_session(actor, training: Training, **fields) -> Session:
    with transaction.atomic():
        session = Session.objects.create(
            cpts=training.cpts, training=training, created_by=actor, **fields
        )
        log_action(actor, training.cpts, "training.session.created", session)
    return session


def update_session(actor, session: Session, **fields) -> Session:
    """Change a session; more seats go at once to the waiting list, first come first served."""
    with transaction.atomic():
        locked = _locked(session)
        changed = [name for name in SESSION_FIELDS
                   if name in fields and getattr(locked, name) != fields[name]]  # fmt: skip
        for name in changed:
            setattr(locked, name, fields[name])
        locked.save(update_fields=changed)
        log_action(actor, locked.cpts, "training.session.changed", locked, {"fields": changed})
        _fill_free_seats(locked)
    return locked


def invite_contacts(actor, session: Session, criteria: dict) -> dict:
    """One registration per new contact with an e-mail, each sent their link and the .ics."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(session)
        if locked.is_over:
            raise DomainError("Cette session a eu lieu : on n'y invite plus personne.")
        found = audience.invitation(locked, criteria)
        if not found.invited:
            raise DomainError(
                "Personne n'est à inviter : choisissez des groupes, des organisations ou des "
                "personnes de l'annuaire qui ont une adresse e-mail et ne sont pas déjà invitées."
            )
        invited = Registration.objects.bulk_create(
            [_new_registration(locked, contact, invited_at=now) for contact in found.invited]
        )
        totals = {"invited": len(invited), "excluded": len(found.excluded)}
        log_action(actor, locked.cpts, "training.session.invited", locked, totals)
        for registration in invited:
            _queue_email(locked, registration, "invitation")
    return totals


def _new_registration(session, contact, **fields) -> Registration:
    return Registration(
        session=session, contact=contact, name=contact.full_name, email=contact.email,
        profession=contact.profession_label or contact.job_title, **fields,
    )  # fmt: skip


def _queue_email(session, registration, template):
    """The person's e-mail (invitation, or seat freed), with their link and the .ics."""
    url = links.registration_url(registration.pk)
    context = {"session": session, "training": session.training, "cpts": session.cpts,
               "registration": registration, "url": url}  # fmt: skip
    subject = render_to_string(f"training/emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"training/emails/{template}.txt", context)
    texts = [[ics.file_name(session), ics.session_calendar(session, url=url), ics.ICS]]
    to = [registration.email]
    transaction.on_commit(lambda: send_email.enqueue(to, subject, body, texts=texts))


# --- Registering, waiting, cancelling (the person, through their link) ---


def _move(registration, status, now):
    if status not in TRANSITIONS[registration.status]:
        raise DomainError(f"Cette inscription est déjà : {registration.get_status_display()}.")
    registration.status = status
    stamp = {Status.REGISTERED: "registered_at", Status.WAITING: "waitlisted_at",
             Status.CANCELLED: "cancelled_at"}[status]  # fmt: skip
    setattr(registration, stamp, now)
    registration.save(update_fields=["status", stamp])


def register(registration: Registration) -> Registration:
    """A seat if one is free, else the end of the waiting list. Twice changes nothing."""
    with transaction.atomic():
        session = _locked(registration.session)
        registration.refresh_from_db()
        if registration.is_active:
            return registration
        if session.is_over:
            raise DomainError(SESSION_OVER)
        now = timezone.now()
        taken = session.registrations.filter(status=Status.REGISTERED).count()
        if taken < session.capacity:
            _move(registration, Status.REGISTERED, now)
            log_action(None, session.cpts, "training.registration.registered", session,
                       actor_label=registration.name)  # fmt: skip
        else:
            _move(registration, Status.WAITING, now)
            log_action(None, session.cpts, "training.registration.waitlisted", session,
                       {"position": registration.waiting_position()},
                       actor_label=registration.name)  # fmt: skip
    return registration


def cancel_registration(registration: Registration) -> Registration:
    """Leave the session or its waiting list; a freed seat goes to the first one waiting."""
    with transaction.atomic():
        session = _locked(registration.session)
        registration.refresh_from_db()
        if not registration.is_active:
            return registration
        if session.is_over:
            raise DomainError(SESSION_OVER)
        _move(registration, Status.CANCELLED, timezone.now())
        log_action(None, session.cpts, "training.registration.cancelled", session,
                   actor_label=registration.name)  # fmt: skip
        _fill_free_seats(session)
    return registration


def _fill_free_seats(session) -> list[Registration]:
    """Seats free go to the waiting list in order; each promoted person is e-mailed."""
    if session.is_over:
        return []
    free = session.capacity - session.registrations.filter(status=Status.REGISTERED).count()
    if free <= 0:
        return []
    waiting = session.registrations.filter(status=Status.WAITING)
    promoted = list(waiting.order_by("waitlisted_at", "pk")[:free])
    now = timezone.now()
    for registration in promoted:
        _move(registration, Status.REGISTERED, now)
        log_action(None, session.cpts, "training.registration.promoted", session,
                   {"person": registration.name})  # fmt: skip
        if registration.email:
            _queue_email(session, registration, "promoted")
    return promoted


# --- Attendance (on the day) ---


def _check_attendance_day(session):
    if not session.takes_attendance:
        raise DomainError(
            f"Les présences se notent le jour de la session ({session.date:%d/%m/%Y}) ou après."
        )


def record_attendance(actor, session: Session, present_ids) -> int:
    """Mark each registered person present (their id in `present_ids`) or absent.

    Only changes are saved and audited, one entry per person. Returns how many changed.
    """
    present_ids = {int(pk) for pk in present_ids}
    with transaction.atomic():
        locked = _locked(session)
        _check_attendance_day(locked)
        now, changed = timezone.now(), []
        for registration in attendance_list(locked):
            attended = registration.pk in present_ids
            if registration.attended is not attended:
                registration.attended, registration.attendance_noted_at = attended, now
                changed.append(registration)
                log_action(actor, locked.cpts, "training.attendance.marked", locked,
                           {"person": registration.name,
                            "state": "présent(e)" if attended else "absent(e)"})  # fmt: skip
        Registration.objects.bulk_update(changed, ["attended", "attendance_noted_at"])
    return len(changed)


def attendance_list(session):
    """Who attendance is taken for: the people registered (walk-ins included)."""
    return session.registrations.filter(status=Status.REGISTERED).order_by("name", "pk")


def add_walk_in(actor, session: Session, contact) -> Registration:
    """Someone who came without registering: registered and present at once."""
    if contact.cpts_id != session.cpts_id:
        raise DomainError("Choisissez une personne de l'annuaire de votre CPTS.")
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(session)
        _check_attendance_day(locked)
        registration = locked.registrations.filter(contact=contact).first()
        if registration is None:
            registration = _new_registration(locked, contact, walked_in=True)
        elif registration.status == Status.REGISTERED and registration.attended:
            raise DomainError(f"{registration.name} est déjà noté(e) présent(e).")
        if registration.status != Status.REGISTERED:  # invited, waiting, or not asked at all
            registration.walked_in = True
            registration.status, registration.registered_at = Status.REGISTERED, now
        registration.attended, registration.attendance_noted_at = True, now
        registration.save()
        log_action(actor, locked.cpts, "training.attendance.walk_in", locked,
                   {"person": registration.name})  # fmt: skip
    return registration
