"""Operations on the register and its call campaigns. Each checks its preconditions, saves in
a transaction and writes the audit trail — which names patients by number only; a crisis's
main courante gets the counts, never a name.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tocsin.care import access, documents, importer
from tocsin.care.enums import (
    ESCALATED_OUTCOMES,
    TO_CALL_OUTCOMES,
    CampaignStatus,
    DeletionCause,
    Need,
    Outcome,
)
from tocsin.care.figures import call_figures
from tocsin.care.models import Call, CallCampaign, Deletion, Patient
from tocsin.core.audit import log_action
from tocsin.core.enums import Role
from tocsin.core.errors import DomainError
from tocsin.core.models import Membership
from tocsin.core.services import claim_own_contact, own_contact
from tocsin.core.tasks import send_email
from tocsin.crises import logbook
from tocsin.crises.enums import EntryKind
from tocsin.directory.importers.base import FatalImportError
from tocsin.directory.text import normalize
from tocsin.territory.selectors import territory_communes

NO_CONTACT = (
    "Votre compte n'est relié à aucune fiche de l'annuaire : demandez à la coordination de la "
    "relier (page « Membres ») pour tenir le registre de vos patients."
)


# --- The register ---


def save_patient(actor, form, membership) -> Patient:
    """Create or change a patient; the professional who enters one follows them."""
    contact = own_contact(membership)
    if contact is None:
        raise DomainError(NO_CONTACT)
    created = form.instance.pk is None
    with transaction.atomic():
        claim_own_contact(actor, membership)
        patient = form.save(commit=False)
        patient.created_by = patient.created_by or actor
        patient.save()
        form.save_m2m()
        patient.professionals.add(contact)
        code = "care.patient.created" if created else "care.patient.updated"
        log_action(actor, patient.cpts, code, patient)
    return patient


def verify_patient(actor, patient) -> Patient:
    """The professional checked the entry is still right and still needed."""
    with transaction.atomic():
        patient.verified_on = timezone.localdate()
        patient.save(update_fields=["verified_on", "updated_at"])
        log_action(actor, patient.cpts, "care.patient.verified", patient)
    return patient


def remove_patient(actor, patient, cause, *, attestation=True) -> tuple[Deletion, bytes]:
    """Delete a patient and everything the register held on them; returns the proof and its
    attestation (a PDF for the person, of which only the SHA-256 is kept; none for a purge,
    which nobody is there to receive)."""
    number = patient.pk
    deletion = Deletion(cpts=patient.cpts, patient_number=number, cause=cause, deleted_by=actor,
                        deleted_by_label=str(actor) if actor else "Système")  # fmt: skip
    pdf = documents.render_attestation(deletion, patient) if attestation else b""
    deletion.document_sha256 = hashlib.sha256(pdf).hexdigest() if pdf else ""
    with transaction.atomic():
        Call.objects.filter(patient=patient).update(note="")
        patient.delete()
        deletion.save()
        log_action(actor, deletion.cpts, "care.patient.deleted", deletion,
                   {"number": number, "cause": deletion.get_cause_display()})  # fmt: skip
    return deletion, pdf


def purge_unverified(today=None) -> int:
    """Delete the patients nobody verified for CARE_VERIFY_DAYS + CARE_PURGE_GRACE_DAYS (the
    daily `purge_care_register`); each leaves a proof of deletion. Returns how many."""
    today = today or timezone.localdate()
    days = settings.CARE_VERIFY_DAYS + settings.CARE_PURGE_GRACE_DAYS
    stale = Patient.objects.unverified_since(today - datetime.timedelta(days=days))
    count = 0
    for patient in stale.select_related("cpts").iterator():
        remove_patient(None, patient, DeletionCause.RETENTION, attestation=False)
        count += 1
    return count


REMINDER_BEFORE_PURGE_DAYS = 7


def remind_unverified(today=None) -> int:
    """E-mail each professional the number of their patients to verify: the day they become
    due, and a week before their purge (the daily command; counts and a link, no name).
    Returns how many professionals were told."""
    today = today or timezone.localdate()
    verify = datetime.timedelta(days=settings.CARE_VERIFY_DAYS)
    last_call = verify + datetime.timedelta(
        days=settings.CARE_PURGE_GRACE_DAYS - REMINDER_BEFORE_PURGE_DAYS
    )
    due = Patient.objects.filter(verified_on__in=[today - verify, today - last_call])
    counts = {}
    for email in due.values_list("professionals__email", flat=True):
        if email:
            counts[email] = counts.get(email, 0) + 1
    link = settings.SITE_URL + reverse("care:list")
    for email, count in counts.items():
        body = render_to_string("care/emails/verify_reminder.txt",
                                {"count": count, "link": link})  # fmt: skip
        send_email.enqueue([email], "Registre des patients fragiles : à vérifier", body)
    return len(counts)


def find_for_erasure(cpts, last_name: str, birth_date) -> list[Patient]:
    """The patients of the CPTS with this name and date of birth, for a deletion request made
    to the CPTS rather than to a professional (names are encrypted: compared after reading)."""
    wanted = normalize(last_name)  # « Lefrançois » is found as « LEFRANCOIS »
    return [
        p for p in Patient.objects.for_cpts(cpts).select_related("commune")
        if normalize(p.last_name) == wanted and p.birth_date == birth_date
    ]  # fmt: skip


def preview_import(cpts, contact, stream, filename) -> importer.Report:
    """Read a professional's list; lines already among their patients are rejected too."""
    if contact is None:
        raise DomainError(NO_CONTACT)
    communes = {}
    for commune in territory_communes(cpts):
        communes[commune.insee_code] = commune.pk
        communes[normalize(commune.name)] = commune.pk
    try:
        report = importer.read_patients(stream, filename, communes)
    except FatalImportError as exc:
        raise DomainError(exc.message) from exc
    known = {(normalize(p.last_name), p.birth_date) for p in Patient.objects.followed_by(contact)}
    kept = []
    for row in report.rows:
        if (normalize(row["last_name"]), row["birth_date"]) in known:
            report.rejected.append((row["line"], "Déjà inscrit parmi vos patients."))
        else:
            kept.append(row)
    report.rows = kept
    report.rejected.sort()
    return report


def import_patients(actor, membership, rows) -> int:
    """Save every line kept by the preview, or none."""
    contact, cpts = own_contact(membership), membership.cpts
    if contact is None:
        raise DomainError(NO_CONTACT)
    if not rows:
        raise DomainError("Aucune ligne à importer.")
    today = timezone.localdate()
    with transaction.atomic():
        claim_own_contact(actor, membership)
        patients = Patient.objects.bulk_create(
            Patient(cpts=cpts, verified_on=today, created_by=actor,
                    **{k: v for k, v in row.items() if k != "line"})
            for row in rows
        )  # fmt: skip
        Patient.professionals.through.objects.bulk_create(
            Patient.professionals.through(patient=patient, contact=contact) for patient in patients
        )
        log_action(actor, cpts, "care.patients.imported", data={"count": len(rows)})
    return len(rows)


# --- Call campaigns ---


def callers_of(cpts):
    """Who can take a share of the calls: every member of the CPTS but the authorities."""
    memberships = Membership.objects.for_cpts(cpts).exclude(role=Role.AUTHORITY)
    return memberships.select_related("user").order_by("user__full_name")


def start_call_campaign(actor, crisis, *, title, needs, callers) -> CallCampaign:
    """Share the exposed patients who have one of `needs` (all when empty) among `callers`,
    commune by commune so that each caller gets neighbours, the most dependent first."""
    if not crisis.is_active:
        raise DomainError("Cette crise est levée : plus de campagne d'appels.")
    if not callers:
        raise DomainError("Choisissez au moins un appelant.")
    exposed = Patient.objects.for_cpts(crisis.cpts).in_communes(
        access.exposed_commune_ids(crisis)
    ).select_related("commune")  # fmt: skip
    chosen = [p for p in exposed if not needs or set(p.needs) & set(needs)]
    if not chosen:
        raise DomainError("Aucun patient du registre ne correspond dans les communes exposées.")
    chosen.sort(key=lambda p: (p.commune.name, p.priority, p.sort_key))
    with transaction.atomic():
        campaign = CallCampaign.objects.create(
            crisis=crisis, title=title, needs=[Need(n).value for n in needs], created_by=actor
        )
        Call.objects.bulk_create(_share_out(campaign, chosen, callers))
        log_action(actor, crisis.cpts, "care.campaign.started", crisis,
                   {"title": title, "patients": len(chosen), "callers": len(callers)})  # fmt: skip
        logbook.append(
            crisis, EntryKind.ACTION, author=actor, automatic=True,
            text=f"Campagne d'appels « {title} » lancée : {len(chosen)} patients à appeler, "
                 f"répartis entre {len(callers)} appelant(s).",
        )  # fmt: skip
        transaction.on_commit(lambda: _tell_callers(campaign, callers))
    return campaign


def _tell_callers(campaign, callers):
    """A link to their share behind login: never a patient's name in an e-mail."""
    link = settings.SITE_URL + reverse("care:my_calls", args=[campaign.pk])
    mode = "EXERCICE — " if campaign.crisis.is_exercise else ""
    subject = f"{mode}Appels de vérification à passer : {campaign.title}"
    body = render_to_string("care/emails/calls_assigned.txt",
                            {"campaign": campaign, "link": link, "mode": mode})  # fmt: skip
    for caller in callers:
        send_email.enqueue([caller.email], subject, body)


def _share_out(campaign, patients, callers) -> list[Call]:
    """Consecutive slices of the sorted list, as even as possible."""
    size, extra = divmod(len(patients), len(callers))
    calls, start = [], 0
    for index, caller in enumerate(callers):
        end = start + size + (1 if index < extra else 0)
        for position, patient in enumerate(patients[start:end]):
            calls.append(Call(campaign=campaign, patient=patient, commune=patient.commune,
                              caller=caller, position=position))  # fmt: skip
        start = end
    return calls


ESCALATION_TEXT = {Outcome.ESCALATED_SAMU: "signalé au SAMU (15)",
                   Outcome.ESCALATED_MAIRIE: "signalé à la mairie"}  # fmt: skip


def record_call(actor, call, outcome, note="") -> Call:
    """The caller says how the call went; a patient signalled to the SAMU or the mairie is
    written to the main courante (their commune, never their name)."""
    campaign = call.campaign
    if not campaign.is_open or not campaign.crisis.is_active:
        raise DomainError("Cette campagne d'appels est close.")
    if call.caller_id != actor.pk:
        raise DomainError("Cet appel est confié à quelqu'un d'autre.")
    if call.patient_id is None:
        raise DomainError("Ce patient a quitté le registre.")
    if outcome == Outcome.PENDING:
        raise DomainError("Choisissez le résultat de l'appel.")
    with transaction.atomic():
        call.outcome, call.note = outcome, note.strip()
        call.attempts += 1
        call.called_at, call.updated_by = timezone.now(), actor
        call.save(update_fields=["outcome", "note", "attempts", "called_at", "updated_by"])
        log_action(actor, campaign.crisis.cpts, "care.call.recorded", call.patient,
                   {"outcome": call.get_outcome_display(), "campaign": campaign.title})  # fmt: skip
        if outcome in ESCALATED_OUTCOMES:
            logbook.append(
                campaign.crisis, EntryKind.ACTION, author=actor, automatic=True,
                text=f"Appels « {campaign.title} » : un patient {ESCALATION_TEXT[outcome]} "
                     f"(commune : {call.commune.name}).",
            )  # fmt: skip
        else:
            campaign.crisis.touch()
    return call


def close_call_campaign(actor, campaign) -> CallCampaign:
    if not campaign.is_open:
        raise DomainError("Cette campagne d'appels est déjà close.")
    figures = call_figures(campaign.crisis, campaigns=[campaign])
    with transaction.atomic():
        campaign.status, campaign.closed_at = CampaignStatus.CLOSED, timezone.now()
        campaign.save(update_fields=["status", "closed_at"])
        log_action(actor, campaign.crisis.cpts, "care.campaign.closed", campaign.crisis,
                   {"title": campaign.title})  # fmt: skip
        logbook.append(
            campaign.crisis, EntryKind.ACTION, author=actor, automatic=True,
            text=f"Campagne d'appels « {campaign.title} » close : {figures['patients_reached']} "
                 f"joints sur {figures['patients_to_call']}, {figures['patients_needing_help']} "
                 f"ayant besoin d'aide, {figures['patients_not_reached']} injoignables, "
                 f"{figures['patients_escalated']} signalés.",
        )  # fmt: skip
    return campaign


def reassign_calls(actor, campaign, from_user, to_user) -> int:
    """Hand the calls a caller has not made yet to someone else (a volunteer who leaves)."""
    if not campaign.is_open:
        raise DomainError("Cette campagne d'appels est close.")
    if from_user == to_user:
        raise DomainError("Choisissez un autre appelant.")
    left = campaign.calls.filter(caller=from_user, outcome__in=TO_CALL_OUTCOMES)
    last = campaign.calls.filter(caller=to_user).order_by("-position").first()
    start = last.position + 1 if last else 0
    with transaction.atomic():
        calls = list(left.order_by("position", "pk"))
        for offset, call in enumerate(calls):
            call.caller, call.position = to_user, start + offset
        Call.objects.bulk_update(calls, ["caller", "position"])
        log_action(actor, campaign.crisis.cpts, "care.campaign.reassigned", campaign.crisis,
                   {"title": campaign.title, "count": len(calls), "from": str(from_user),
                    "to": str(to_user)})  # fmt: skip
        campaign.crisis.touch()
    return len(calls)


def shares(campaign) -> list[dict]:
    """Each caller's progress, counted in the database: calls, done, to call again."""
    rows = campaign.calls.values("caller", name=F("caller__full_name")).annotate(
        total=Count("pk"),
        done=Count("pk", filter=~Q(outcome__in=TO_CALL_OUTCOMES)),
        not_reached=Count("pk", filter=Q(outcome=Outcome.NOT_REACHED)),
    )
    return list(rows.order_by("name", "caller"))
