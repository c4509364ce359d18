"""A crisis from activation to levée, through the services the pages call."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.crises.factories import active_crisis, plan_with_canicule
from tests.factories import ContactFactory
from tocsin.core.errors import DomainError
from tocsin.crises import figures, logbook, reports, services
from tocsin.crises.enums import EntryKind, Phase, TaskStatus
from tocsin.plans.reminders import update_due


@pytest.fixture
def plan(personas):
    return plan_with_canicule(personas.cpts, personas.coordinator)


@pytest.fixture
def crisis(personas, plan):
    _, risk = plan
    return active_crisis(personas.cpts, personas.referent, risk=risk, phase=Phase.ALERT)


def texts(crisis):
    return [e.text for e in crisis.entries.order_by("seq")]


def test_activation_fills_the_cell_and_the_tasks_from_the_plan(crisis, plan):
    version, _ = plan
    assert crisis.plan_version == version
    assert sorted(s.contact.last_name for s in crisis.seats.all()) == ["Guérin", "Lemoine"]
    # Only the fiche written for the alert level applies in the alert phase.
    assert sorted(crisis.tasks.values_list("title", flat=True)) == [
        "Appeler les EHPAD du territoire", "Vérifier les stocks d'eau"]  # fmt: skip
    assert set(crisis.tasks.values_list("function", flat=True)) == {"logistics"}
    log = texts(crisis)
    assert log[0].startswith("EXERCICE — Activation") and "phase Alerte" in log[0]
    assert "2 tâche(s) créée(s) depuis : Canicule — alerte" in log[1]


def test_escalation_adds_the_next_level_tasks_once(crisis, personas):
    services.change_phase(personas.referent, crisis, Phase.CRISIS)
    new = crisis.tasks.get(title="Diffuser les consignes aux pharmacies")
    assert new.function == "communication"
    services.change_phase(personas.referent, crisis, Phase.ALERT)
    services.change_phase(personas.referent, crisis, Phase.CRISIS)
    assert crisis.tasks.count() == 3
    assert "Passage de la phase Alerte à la phase Crise." in texts(crisis)


def test_a_signal_or_risk_of_another_cpts_is_refused(personas):
    from tocsin.territory.models import Risk

    foreign = Risk.objects.filter(cpts=personas.other_cpts).first()
    with pytest.raises(DomainError):
        active_crisis(personas.cpts, personas.referent, risk=foreign)


def test_task_done_or_dropped_writes_the_logbook(crisis, personas):
    first, second = crisis.tasks.order_by("pk")
    services.set_task_status(personas.cell_member, first, TaskStatus.DOING)
    length = crisis.entries.count()
    services.set_task_status(personas.cell_member, first, TaskStatus.DONE)
    services.set_task_status(personas.cell_member, second, TaskStatus.DROPPED)
    assert crisis.entries.count() == length + 2
    assert texts(crisis)[-2:] == [f"Tâche faite : {first.title}",
                                  f"Tâche abandonnée : {second.title}"]  # fmt: skip
    first.refresh_from_db()
    assert first.done_at is not None


def test_one_line_task_and_overdue(crisis, personas):
    task = services.add_task(personas.cell_member, crisis, "  Rappeler la mairie  ",
                             due_at=timezone.now() - timedelta(minutes=5))  # fmt: skip
    assert task.title == "Rappeler la mairie" and task.is_overdue
    with pytest.raises(DomainError, match="Décrivez"):
        services.add_task(personas.cell_member, crisis, "   ")


def test_cell_arrivals_and_departures_are_logged(crisis, personas):
    seat = crisis.seats.get(contact__last_name="Lemoine")
    services.join_cell(personas.referent, seat)
    assert seat.is_present
    with pytest.raises(DomainError, match="déjà en cellule"):
        services.join_cell(personas.referent, seat)
    services.leave_cell(personas.referent, seat)
    assert "Lemoine" in texts(crisis)[-1] and "quitte la cellule" in texts(crisis)[-1]
    stranger = ContactFactory(cpts=personas.other_cpts)
    with pytest.raises(DomainError):
        services.add_to_cell(personas.referent, crisis, stranger, "situation")


def test_point_de_situation_is_prefilled_since_the_previous_one(crisis, personas):
    seat = crisis.seats.get(contact__last_name="Lemoine")
    services.join_cell(personas.referent, seat)
    services.add_entry(personas.cell_member, crisis, EntryKind.DECISION, "Ouverture d'un centre")
    services.add_entry(personas.cell_member, crisis, EntryKind.RECEIVED, "DGS-Urgent n° 12")
    first = reports.prepare_report(personas.referent, crisis)
    assert first.number == 1 and first.period_start == crisis.started_at
    assert first.professionals_mobilised == 1 and first.tasks_open == 2
    assert "Ouverture d'un centre" in first.actions and "DGS-Urgent n° 12" in first.situation
    assert "Appeler les EHPAD du territoire" in first.outlook
    assert reports.prepare_report(personas.referent, crisis) == first  # one draft at a time
    reports.validate_report(personas.referent, first)
    services.add_entry(personas.cell_member, crisis, EntryKind.ACTION, "Eau livrée à l'EHPAD")
    second = reports.prepare_report(personas.referent, crisis)
    assert second.number == 2 and second.period_start == first.period_end
    assert "Eau livrée" in second.actions and "Ouverture" not in second.actions


def test_validated_point_is_stored_once_and_sent_with_its_pdf(
    crisis, personas, django_capture_on_commit_callbacks
):
    report = reports.prepare_report(personas.referent, crisis)
    with pytest.raises(DomainError, match="Validez"):
        reports.send_report(personas.referent, report, ["ars@example.test"])
    reports.validate_report(personas.referent, report)
    with report.document.open("rb") as stored:
        assert stored.read().startswith(b"%PDF") and len(report.document_sha256) == 64
    recipients = [email for email, _ in reports.authority_recipients(personas.cpts)]
    assert recipients == [personas.authority.email]
    with django_capture_on_commit_callbacks(execute=True):
        sent = reports.send_report(personas.referent, report, [*recipients, "dd44@example.test"])
    assert sent == 2 and len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.subject.startswith("[EXERCICE]") and "point de situation n° 1" in message.subject
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert report.document_sha256 in message.body
    assert texts(crisis)[-1].startswith("Point de situation n° 1 envoyé à")
    with pytest.raises(DomainError, match="pas encore reçu"):
        reports.send_report(personas.referent, report, ["DD44@example.test"])
    with pytest.raises(DomainError, match="invalide"):
        reports.parse_addresses("ars@example.test, pas-une-adresse")


def test_closing_freezes_the_crisis_and_counts_the_evidence(crisis, personas):
    seat = crisis.seats.get(contact__last_name="Lemoine")
    services.join_cell(personas.referent, seat)
    task = crisis.tasks.first()
    services.set_task_status(personas.cell_member, task, TaskStatus.DONE)
    services.add_entry(personas.cell_member, crisis, EntryKind.ACTION, "Appel des pharmacies")
    with pytest.raises(DomainError, match="synthèse"):
        services.close_crisis(personas.referent, crisis, "  ")
    services.close_crisis(personas.referent, crisis, "Épisode terminé sans victime.")
    assert crisis.phase == Phase.LIFTED and crisis.closed_at is not None
    seat.refresh_from_db()
    assert seat.left_at == crisis.closed_at
    with pytest.raises(DomainError, match="levée"):
        services.add_entry(personas.cell_member, crisis, EntryKind.INFORMATION, "Trop tard")
    proof = figures.evidence(crisis)
    assert proof.cell_members == 1
    assert proof.actions == 2  # one task done + one action written by hand
    assert proof.participants >= 2  # Lemoine in the cell + the logbook's authors
    assert logbook.verify(crisis).ok


def test_lifting_a_real_crisis_brings_the_plan_update_forward(personas, plan, settings):
    _, risk = plan
    settings.PLAN_UPDATE_AFTER_CRISIS_DAYS = 90
    yearly = update_due(personas.cpts).due_on
    exercise = active_crisis(personas.cpts, personas.referent, risk=risk, is_exercise=True)
    services.close_crisis(personas.referent, exercise, "Exercice joué.")
    assert update_due(personas.cpts).due_on == yearly  # an exercise goes through its RETEX
    real = active_crisis(personas.cpts, personas.referent, risk=risk, is_exercise=False)
    services.close_crisis(personas.referent, real, "Crise terminée.")
    due = update_due(personas.cpts)
    assert due.due_on == timezone.localdate() + timedelta(days=90) < yearly
    assert due.after_crisis == real and "après la crise « Épisode caniculaire »" in due.sentence
