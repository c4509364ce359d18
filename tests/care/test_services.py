"""Call campaigns, the points de situation they feed, retention and deletion — by service."""

import datetime
import hashlib
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.care.factories import PatientFactory, commune_of, treating
from tests.crises.factories import active_crisis
from tocsin.care import services
from tocsin.care.models import AccessLog, Deletion, Patient
from tocsin.core.errors import DomainError
from tocsin.core.models import AuditEntry
from tocsin.crises import reports
from tocsin.crises import services as crises
from tocsin.retex.figures import figure_rows, key_figures


@pytest.fixture
def crisis(personas):
    return active_crisis(personas.cpts, personas.referent)


@pytest.fixture
def patients(personas):
    """Seven patients in two communes; Brécy's oxygen patients first in the calling order."""
    pro = treating(personas.member, personas.cpts)
    brecy, arzal = commune_of(personas.cpts, name="Brécy"), commune_of(personas.cpts, name="Arzal")
    made = []
    for index, (commune, needs) in enumerate([
        (brecy, ["isolated_elderly"]), (brecy, ["oxygen"]), (arzal, ["dialysis"]),
        (arzal, ["isolated_elderly"]), (brecy, ["cold_chain"]), (arzal, ["oxygen"]),
        (brecy, ["home_care", "oxygen"]),
    ]):  # fmt: skip
        made.append(PatientFactory(cpts=personas.cpts, commune=commune, needs=needs,
                                   last_name=f"Nom{index}", followed_by=[pro]))  # fmt: skip
    return made


def start(personas, crisis, callers, needs=()):
    return services.start_call_campaign(personas.referent, crisis, title="Appels canicule",
                                        needs=list(needs), callers=callers)  # fmt: skip


def test_the_list_is_shared_evenly_commune_by_commune(patients, personas, crisis):
    campaign = start(personas, crisis, [personas.member, personas.cell_member])
    first = list(campaign.calls.filter(caller=personas.member).order_by("position"))
    second = list(campaign.calls.filter(caller=personas.cell_member).order_by("position"))
    assert (len(first), len(second)) == (4, 3)
    # Arzal before Brécy; in each, the most dependent first (oxygen, dialysis…).
    assert [c.patient.needs[0] for c in first] == ["oxygen", "dialysis", "isolated_elderly",
                                                   "oxygen"]  # fmt: skip
    assert {c.commune.name for c in second} == {"Brécy"}


def test_callers_get_a_link_and_never_a_name(
    patients, personas, crisis, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        start(personas, crisis, [personas.member, personas.cell_member])
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [personas.member.email, personas.cell_member.email])  # fmt: skip
    message = mailoutbox[0]
    assert message.subject.startswith("EXERCICE — Appels de vérification")
    assert "/soins/appels/" in message.body
    assert not any(p.last_name in message.body for p in patients)


def test_a_campaign_can_target_needs(patients, personas, crisis):
    campaign = start(personas, crisis, [personas.member], needs=["oxygen"])
    assert campaign.calls.count() == 3


def test_a_campaign_needs_an_active_crisis_callers_and_patients(patients, personas, crisis):
    with pytest.raises(DomainError, match="appelant"):
        start(personas, crisis, [])
    with pytest.raises(DomainError, match="Aucun patient"):
        start(personas, crisis, [personas.member], needs=["palliative"])
    crises.close_crisis(personas.referent, crisis, "Fin")
    with pytest.raises(DomainError, match="levée"):
        start(personas, crisis, [personas.member])


def test_only_the_caller_records_and_never_after_closing(patients, personas, crisis):
    campaign = start(personas, crisis, [personas.member])
    call = campaign.calls.first()
    with pytest.raises(DomainError, match="quelqu'un d'autre"):
        services.record_call(personas.cell_member, call, "fine")
    services.record_call(personas.member, call, "not_reached")
    services.record_call(personas.member, call, "fine", "Va bien, a de l'eau")
    call.refresh_from_db()
    assert (call.outcome, call.attempts, call.note) == ("fine", 2, "Va bien, a de l'eau")
    services.close_call_campaign(personas.referent, campaign)
    with pytest.raises(DomainError, match="close"):
        services.record_call(personas.member, campaign.calls.last(), "fine")


def test_the_logbook_and_the_audit_never_name_a_patient(patients, personas, crisis):
    campaign = start(personas, crisis, [personas.member])
    calls = list(campaign.calls.order_by("position"))
    services.record_call(personas.member, calls[0], "escalated_samu", "Détresse respiratoire")
    services.record_call(personas.member, calls[1], "needs_help")
    services.close_call_campaign(personas.referent, campaign)
    texts = [e.text for e in crisis.entries.all()]
    assert any("un patient signalé au SAMU (15) (commune : Arzal)" in t for t in texts)
    assert any("2 joints sur 7" in t and "1 signalés" in t for t in texts)
    audit = " ".join(f"{a.target_label} {a.data}" for a in AuditEntry.objects.all())
    for patient in patients:
        assert patient.last_name not in audit and patient.last_name not in " ".join(texts)


def test_the_point_de_situation_is_prefilled_with_the_counts(patients, personas, crisis):
    campaign = start(personas, crisis, [personas.member])
    calls = list(campaign.calls.order_by("position"))
    for call, outcome in zip(calls, ["fine", "fine", "needs_help", "not_reached",
                                     "escalated_mairie"], strict=False):  # fmt: skip
        services.record_call(personas.member, call, outcome)
    report = reports.prepare_report(personas.referent, crisis)
    assert (report.patients_contacted, report.patients_needing_help,
            report.patients_not_reached, report.patients_escalated) == (4, 1, 1, 1)  # fmt: skip


def test_a_leaving_caller_hands_over_what_is_left(patients, personas, crisis):
    campaign = start(personas, crisis, [personas.member, personas.cell_member])
    done = campaign.calls.filter(caller=personas.member).first()
    services.record_call(personas.member, done, "fine")
    moved = services.reassign_calls(personas.referent, campaign, personas.member,
                                    personas.cell_member)  # fmt: skip
    assert moved == 3
    assert list(campaign.calls.filter(caller=personas.member)) == [done]


def test_removal_leaves_a_proof_and_its_attestation(patients, personas, crisis):
    campaign = start(personas, crisis, [personas.member])
    call, number = campaign.calls.get(patient=patients[2]), patients[2].pk
    services.record_call(personas.member, call, "needs_help", "Rappeler sa fille")
    deletion, pdf = services.remove_patient(personas.member, patients[2], "request")
    assert pdf.startswith(b"%PDF") and deletion.document_sha256 == hashlib.sha256(pdf).hexdigest()
    assert not Patient.objects.filter(pk=number).exists()
    call.refresh_from_db()
    assert (call.patient, call.note, call.outcome) == (None, "", "needs_help")  # counts stay
    assert Deletion.objects.get().patient_number == number


def test_stale_patients_are_flagged_then_purged_by_the_daily_command(
    patients, personas, settings, client_for
):
    settings.CARE_VERIFY_DAYS, settings.CARE_PURGE_GRACE_DAYS = 365, 60
    today = timezone.localdate()
    flagged, purged = patients[0], patients[1]
    Patient.objects.filter(pk=flagged.pk).update(verified_on=today - datetime.timedelta(400))
    Patient.objects.filter(pk=purged.pk).update(verified_on=today - datetime.timedelta(426))
    page = client_for(personas.member).get(reverse("care:list")).content.decode()
    assert "1 patient à vérifier" not in page and "2 patients à vérifier" in page
    out = io.StringIO()
    call_command("purge_care_register", stdout=out)
    assert "1 patient(s) retiré(s)" in out.getvalue()
    assert not Patient.objects.filter(pk=purged.pk).exists()
    assert Patient.objects.filter(pk=flagged.pk).exists()
    proof = Deletion.objects.get()
    assert proof.cause == "retention" and proof.deleted_by_label == "Système"
    assert AuditEntry.objects.filter(code="care.patient.deleted").count() == 1


def test_the_coordinator_handles_an_erasure_request_by_name_and_birth_date(
    patients, personas, client_for
):
    target = patients[3]
    client = client_for(personas.coordinator)
    target.last_name = "Lefrançois"
    target.save()
    search = {"last_name": "LEFRANCOIS", "birth_date": target.birth_date.isoformat()}
    page = client.post(reverse("care:erasure"), search).content.decode()
    assert f"Patient n° {target.pk}" in page and "Lefrançois" not in page
    assert AccessLog.objects.get().kind == "erasure"
    response = client.post(reverse("care:erasure"), {"delete": target.pk})
    assert response["Content-Type"] == "application/pdf"
    assert not Patient.objects.filter(pk=target.pk).exists()
    wrong = {"last_name": "Inconnu", "birth_date": "1950-01-01"}
    assert "rien à supprimer" in client.post(reverse("care:erasure"), wrong).content.decode()


def test_the_retex_counts_the_calls(patients, personas, crisis):
    campaign = start(personas, crisis, [personas.member])
    calls = list(campaign.calls.order_by("position"))
    services.record_call(personas.member, calls[0], "fine")
    services.record_call(personas.member, calls[1], "not_reached")
    figures = key_figures(crisis)
    assert (figures["patients_to_call"], figures["patients_reached"],
            figures["patients_not_reached"]) == (7, 1, 1)  # fmt: skip
    assert ("Patients joints", 1) in figure_rows(figures)


def test_the_crisis_dashboard_follows_the_calls_without_a_name(
    patients, personas, crisis, client_for
):
    campaign = start(personas, crisis, [personas.member])
    services.record_call(personas.member, campaign.calls.first(), "needs_help")
    page = client_for(personas.coordinator).get(reverse("crises:dashboard", args=[crisis.pk]))
    text = page.content.decode()
    assert "Appels canicule" in text and "1 appel terminé sur 7" in text
    assert not any(p.last_name in text for p in patients)


def test_professionals_are_reminded_by_count_the_day_it_is_due_and_a_week_before_purge(
    patients, personas, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CARE_VERIFY_DAYS, settings.CARE_PURGE_GRACE_DAYS = 365, 60
    today = timezone.localdate()
    pro = treating(personas.member, personas.cpts)
    pro.email = "infirmiere@exemple.test"
    pro.save()
    for patient, days in zip(patients, (365, 365, 418, 200), strict=False):
        Patient.objects.filter(pk=patient.pk).update(verified_on=today - datetime.timedelta(days))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_care_register", stdout=out)
    assert "1 professionnel(s) prévenu(s)" in out.getvalue()
    (message,) = mailoutbox
    assert message.to == ["infirmiere@exemple.test"]
    assert "3 patients que vous suivez" in message.body and "/soins/" in message.body
    assert not any(p.last_name in message.body for p in patients)
