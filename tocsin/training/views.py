"""Training pages: the catalogue and its sessions, invitations, attendance and certificates,
and who attended what. The cell reads; only the coordinator or the référent changes things."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tocsin.core.access import CRISIS_ROLES, PILOT_ROLES, cpts_view, get_for_cpts, has_role
from tocsin.core.audit import log_action
from tocsin.core.downloads import CSV, PDF, attachment
from tocsin.core.feedback import run_service
from tocsin.core.spreadsheets import french_csv
from tocsin.directory.models import Contact
from tocsin.directory.search import search
from tocsin.training import audience, documents, selectors, services
from tocsin.training.enums import RegistrationStatus
from tocsin.training.forms import (
    AttendanceForm,
    InviteForm,
    RecordsFilterForm,
    SessionForm,
    TrainingForm,
    WalkInForm,
)
from tocsin.training.models import Session, Training


def _session(request, pk) -> Session:
    return get_for_cpts(request, Session.objects.select_related("training", "cpts"), pk=pk)


@cpts_view(*CRISIS_ROLES)
@require_GET
def home(request):
    context = {
        "trainings": Training.objects.for_cpts(request.cpts),
        "upcoming": selectors.upcoming_sessions(request.cpts),
        "past": selectors.past_sessions(request.cpts)[:20],
        "can_pilot": has_role(request, *PILOT_ROLES),
    }
    return render(request, "training/home.html", context)


# --- The catalogue ---


@cpts_view(*PILOT_ROLES)
def training_new(request):
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        training = run_service(request, services.create_training, request.cpts,
                               **form.fields_for_service())  # fmt: skip
        if training is not None:
            messages.success(request, "Formation ajoutée au catalogue.")
            return redirect("training:training_detail", training.pk)
    return render(request, "training/training_form.html", {"form": form, "training": None})


@cpts_view(*PILOT_ROLES)
def training_edit(request, pk):
    training = get_for_cpts(request, Training, pk=pk)
    form = TrainingForm(request.POST or None, instance=Training.objects.get(pk=training.pk))
    if request.method == "POST" and form.is_valid():
        fields = form.fields_for_service()
        saved = run_service(
            request, services.update_training, training, success="Formation enregistrée.", **fields
        )
        if saved is not None:
            return redirect("training:training_detail", training.pk)
    return render(request, "training/training_form.html", {"form": form, "training": training})


@cpts_view(*CRISIS_ROLES)
@require_GET
def training_detail(request, pk):
    training = get_for_cpts(request, Training, pk=pk)
    sessions = Session.objects.filter(training=training).select_related("training").with_counts()
    context = {"training": training, "upcoming": sessions.upcoming(), "past": sessions.past(),
               "can_pilot": has_role(request, *PILOT_ROLES)}  # fmt: skip
    return render(request, "training/training_detail.html", context)


# --- Sessions ---


@cpts_view(*PILOT_ROLES)
def session_new(request, pk):
    training = get_for_cpts(request, Training, pk=pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = run_service(request, services.create_session, training,
                              **form.fields_for_service())  # fmt: skip
        if session is not None:
            messages.success(request, "Session programmée. Invitez maintenant les participants.")
            return redirect("training:session_detail", session.pk)
    context = {"form": form, "training": training, "session": None}
    return render(request, "training/session_form.html", context)


@cpts_view(*PILOT_ROLES)
def session_edit(request, pk):
    session = _session(request, pk)
    form = SessionForm(request.POST or None, instance=Session.objects.get(pk=session.pk))
    if request.method == "POST" and form.is_valid():
        fields = form.fields_for_service()
        saved = run_service(
            request, services.update_session, session, success="Session enregistrée.", **fields
        )
        if saved is not None:
            return redirect("training:session_detail", session.pk)
    context = {"form": form, "training": session.training, "session": session}
    return render(request, "training/session_form.html", context)


def _walk_in_candidates(request):
    """The directory search of the attendance: who came without registering."""
    query = request.GET.get("q", "").strip()
    if not query:
        return query, None
    found = search(Contact.objects.for_cpts(request.cpts), query).queryset
    return query, list(found.order_by("last_name", "first_name")[:20])


@cpts_view(*CRISIS_ROLES)
@require_GET
def session_detail(request, pk):
    session = _session(request, pk)
    registrations = list(session.registrations.order_by("name", "pk"))
    by_status = {status: [] for status in RegistrationStatus.values}
    for registration in registrations:
        by_status[registration.status].append(registration)
    waiting = sorted(by_status[RegistrationStatus.WAITING], key=lambda r: (r.waitlisted_at, r.pk))
    can_pilot = has_role(request, *PILOT_ROLES)
    taking = can_pilot and session.takes_attendance
    query, candidates = _walk_in_candidates(request) if taking else ("", None)
    attendance = AttendanceForm(registrations=services.attendance_list(session)) if taking else None
    context = {
        "session": session,
        "training": session.training,
        "registered": by_status[RegistrationStatus.REGISTERED],
        "waiting": waiting,
        "invited": by_status[RegistrationStatus.INVITED],
        "cancelled": by_status[RegistrationStatus.CANCELLED],
        "seats_left": max(session.capacity - len(by_status[RegistrationStatus.REGISTERED]), 0),
        "can_pilot": can_pilot,
        "attendance": attendance,
        "query": query,
        "candidates": candidates,
    }
    return render(request, "training/session_detail.html", context)


@cpts_view(*PILOT_ROLES)
def session_invite(request, pk):
    session = _session(request, pk)
    data = request.POST if request.method == "POST" else None
    form = InviteForm(data, cpts=request.cpts)
    found = None
    if data is not None and form.is_valid():
        criteria = form.criteria()
        if request.POST.get("action") == "send":
            totals = run_service(request, services.invite_contacts, session, criteria)
            if totals is not None:
                text = f"{totals['invited']} invitation(s) envoyée(s)"
                if totals["excluded"]:
                    text += f", {totals['excluded']} personne(s) laissée(s) de côté"
                messages.success(request, text + ".")
                return redirect("training:session_detail", session.pk)
        if not audience.is_empty(criteria):
            found = audience.invitation(session, criteria)
    context = {"session": session, "training": session.training, "form": form, "preview": found}
    return render(request, "training/invite.html", context)


# --- Attendance and certificates ---


def _attendance_anchor(session):
    response = redirect("training:session_detail", session.pk)
    response["Location"] += "#presences"
    return response


@cpts_view(*PILOT_ROLES)
@require_POST
def attendance_save(request, pk):
    session = _session(request, pk)
    form = AttendanceForm(request.POST, registrations=services.attendance_list(session))
    if not form.is_valid():
        messages.error(request, form.errors["present"][0])
        return _attendance_anchor(session)
    present = [r.pk for r in form.cleaned_data["present"]]
    changed = run_service(request, services.record_attendance, session, present)
    if changed is not None:
        messages.success(request, f"Présences enregistrées ({changed} changement(s)).")
    return _attendance_anchor(session)


@cpts_view(*PILOT_ROLES)
@require_POST
def attendance_add(request, pk):
    session = _session(request, pk)
    form = WalkInForm(request.POST, cpts=request.cpts)
    if not form.is_valid():
        messages.error(request, form.errors["contact"][0])
        return _attendance_anchor(session)
    added = run_service(request, services.add_walk_in, session, form.cleaned_data["contact"])
    if added is not None:
        messages.success(request, f"{added.name} ajouté(e) et noté(e) présent(e).")
    return _attendance_anchor(session)


def certificate_response(request, registration, *, actor_label=None):
    """The PDF of one participant marked present; each download is audited."""
    session = registration.session
    content = documents.render_certificate_pdf(registration)
    log_action(request.user, session.cpts, "training.certificate.downloaded", session,
               {"person": registration.name}, actor_label=actor_label)  # fmt: skip
    return attachment(content, documents.certificate_name(registration), PDF)


@cpts_view(*PILOT_ROLES)
@require_GET
def certificate_pdf(request, pk, registration):
    session = _session(request, pk)
    found = session.registrations.filter(pk=registration, attended=True).first()
    if found is None:
        raise Http404("Pas d'attestation : cette personne n'est pas notée présente.")
    found.session = session
    return certificate_response(request, found)


# --- Who attended what ---


@cpts_view(*CRISIS_ROLES)
@require_GET
def records(request):
    form = RecordsFilterForm(request.GET or None, cpts=request.cpts)
    training = form.chosen()
    found = selectors.attended_trainings(request.cpts, training=training)
    context = {"form": form, "training": training, "records": found}
    return render(request, "training/records.html", context)


RECORDS_HEADER = ["Nom", "Prénom", "Profession", "Formation", "Type", "Suivie le",
                  "Valide jusqu'au", "État"]  # fmt: skip


@cpts_view(*CRISIS_ROLES)
@require_GET
def records_csv(request):
    form = RecordsFilterForm(request.GET or None, cpts=request.cpts)
    training = form.chosen()
    rows = [
        [record.contact.last_name, record.contact.first_name, record.contact.profession_label,
         item.training.title, item.training.get_kind_display(), f"{item.attended_on:%d/%m/%Y}",
         f"{item.expires_on:%d/%m/%Y}" if item.expires_on else "", item.state.label]
        for record in selectors.attended_trainings(request.cpts, training=training)
        for item in record.trainings
    ]  # fmt: skip
    log_action(request.user, request.cpts, "training.records.exported", None,
               {"rows": len(rows), "training": training.title if training else ""})  # fmt: skip
    name = f"formations-suivies-{request.cpts.slug}-{timezone.localdate():%Y%m%d}.csv"
    return attachment(french_csv(RECORDS_HEADER, rows).encode(), name, CSV)
