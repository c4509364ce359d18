"""The crisis pages as the cell uses them: few clicks, clear messages, constant queries."""

import csv
import html
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.crises.factories import active_crisis, plan_with_canicule
from tocsin.core.models import AuditEntry
from tocsin.crises import logbook, reports, selectors, services
from tocsin.crises.models import Crisis, Task
from tocsin.watch.models import Signal


@pytest.fixture
def crisis(personas):
    _, risk = plan_with_canicule(personas.cpts, personas.coordinator)
    return active_crisis(personas.cpts, personas.referent, risk=risk)


def test_activation_from_a_signal_is_prefilled(personas, client_for):
    plan_with_canicule(personas.cpts, personas.coordinator)
    signal = Signal.objects.create(
        cpts=personas.cpts, source="cap", identifier="x-1", sent_at=timezone.now(), level=3,
        is_exercise=True, event="Canicule", headline="Vigilance orange canicule",
    )  # fmt: skip
    client = client_for(personas.referent)
    url = reverse("crises:activate") + f"?signal={signal.pk}"
    page = client.get(url).content.decode()
    assert "Vigilance orange canicule" in page and 'value="alerte" selected' in page
    assert re.search(r'name="is_exercise"[^>]*checked', page)
    assert re.search(r'<option value="\d+" selected>Canicule</option>', page)  # guessed risk
    data = {
        "title": "Canicule juillet",
        "is_exercise": "on",
        "crisis_type": "2",
        "risk": "",
        "phase": "alerte",
        "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(url, data)
    crisis = Crisis.objects.get(cpts=personas.cpts)
    assert response.status_code == 302 and response["Location"] == reverse(
        "crises:dashboard", args=[crisis.pk])  # fmt: skip
    assert crisis.signal == signal and crisis.is_exercise
    page = client.get(response["Location"]).content.decode()
    assert "EXERCICE — ceci n'est pas une crise réelle" in page


def test_a_cell_member_cannot_activate_but_logs_entries(crisis, personas, client_for):
    client = client_for(personas.cell_member)
    assert client.get(reverse("crises:activate")).status_code == 403
    url = reverse("crises:log", args=[crisis.pk])
    response = client.post(url, {"kind": "received", "text": "Appel de l'ARS : point à 18 h"})
    assert response.status_code == 302
    entry = crisis.entries.order_by("-seq").first()
    assert entry.text == "Appel de l'ARS : point à 18 h" and entry.kind == "received"
    assert entry.author == personas.cell_member


def test_a_correction_names_an_existing_entry(crisis, personas, client_for):
    client = client_for(personas.cell_member)
    url = reverse("crises:log", args=[crisis.pk])
    response = client.post(url, {"kind": "information", "text": "Correctif", "corrects": "999"})
    assert "Cette entrée n'existe pas dans la main courante." in html.unescape(response.text)
    client.post(url, {"kind": "information", "text": "Correctif", "corrects": "1"})
    assert crisis.entries.order_by("-seq").first().corrects.seq == 1


def test_a_tampered_logbook_shows_on_the_page(crisis, personas, client_for):
    services.add_entry(personas.referent, crisis, "information", "Entrée authentique")
    client = client_for(personas.referent)
    assert (
        "Main courante intègre"
        in client.get(reverse("crises:log", args=[crisis.pk])).content.decode()
    )
    with connection.cursor() as cursor:
        sql = "UPDATE crises_logentry SET text = 'Falsifiée' WHERE crisis_id = %s AND seq = 2"
        cursor.execute(sql, [crisis.pk])
    response = client.post(reverse("crises:log_verify", args=[crisis.pk]), follow=True)
    assert "Main courante altérée à l'entrée n° 2" in html.unescape(response.text)


def test_task_board_adds_in_one_line_and_moves_tasks(crisis, personas, client_for):
    client = client_for(personas.cell_member)
    url = reverse("crises:tasks", args=[crisis.pk])
    client.post(url, {"title": "Rappeler la mairie de Pornic", "function": "", "due_at": ""})
    task = Task.objects.get(title="Rappeler la mairie de Pornic")
    client.post(reverse("crises:task_status", args=[crisis.pk, task.pk]), {"status": "done"})
    task.refresh_from_db()
    assert task.status == "done"
    page = client.get(url).content.decode()
    assert "Rappeler la mairie de Pornic" in page and "Fait" in page


def test_dashboard_partial_is_a_fragment(crisis, personas, client_for):
    response = client_for(personas.cell_member).get(
        reverse("crises:dashboard", args=[crisis.pk]) + "?partial=1"
    )
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content and "Chronologie" in content


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("route", ["crises:dashboard", "crises:log", "crises:tasks", "crises:cell"])
def test_key_pages_keep_a_constant_number_of_queries(crisis, personas, client_for, route):
    client = client_for(personas.referent)
    url = reverse(route, args=[crisis.pk])
    before = _queries(client, url)
    for n in range(60):
        logbook.append(crisis, "information", f"Entrée {n}")
        services.add_task(personas.referent, crisis, f"Tâche {n}")
    for seat in crisis.seats.all():
        services.join_cell(personas.referent, seat)
    reports.prepare_report(personas.referent, crisis)
    assert _queries(client, url) == before


def test_closure_then_evidence_exports(crisis, personas, client_for):
    client = client_for(personas.referent)
    response = client.post(
        reverse("crises:close", args=[crisis.pk]), {"summary": "Fin de l'épisode."}
    )
    assert response["Location"] == reverse("crises:evidence", args=[crisis.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Justificatifs pour le financement ACI" in page
    csv = client.get(reverse("crises:evidence_csv", args=[crisis.pk]))
    text = csv.content.decode("utf-8-sig")
    assert "Mode;EXERCICE" in text and "Entrées de main courante;" in text
    pdf = client.get(reverse("crises:evidence_pdf", args=[crisis.pk]))
    assert pdf.content.startswith(b"%PDF")
    log_pdf = client.get(reverse("crises:log_pdf", args=[crisis.pk]))
    assert log_pdf.content.startswith(b"%PDF") and "exercice" in log_pdf["Content-Disposition"]
    log_csv = client.get(reverse("crises:log_csv", args=[crisis.pk])).content.decode("utf-8-sig")
    assert log_csv.splitlines()[0].startswith("n°;heure;auteur;nature;texte")
    assert "Levée de la crise" in log_csv


def test_exercise_is_watermarked_in_every_document(crisis):
    from django.template.loader import render_to_string

    html = render_to_string(
        "crises/pdf/log.html",
        {
            "crisis": crisis,
            "cpts": crisis.cpts,
            "entries": [],
            "integrity": logbook.verify(crisis),
            "generated_at": timezone.now(),
        },
    )
    assert 'class="watermark">EXERCICE' in html
    real = Crisis.objects.filter(pk=crisis.pk).update(is_exercise=False)
    assert real == 1
    crisis.refresh_from_db()
    html = render_to_string(
        "crises/pdf/log.html",
        {
            "crisis": crisis,
            "cpts": crisis.cpts,
            "entries": [],
            "integrity": logbook.verify(crisis),
            "generated_at": timezone.now(),
        },
    )
    assert "watermark" not in html.split("<body>")[1]


def test_report_pages_prepare_validate_send(
    crisis, personas, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(personas.referent)
    response = client.post(reverse("crises:report_prepare", args=[crisis.pk]))
    assert response["Location"] == reverse("crises:report_detail", args=[crisis.pk, 1])
    client.post(reverse("crises:report_validate", args=[crisis.pk, 1]))
    page = client.get(reverse("crises:report_send", args=[crisis.pk, 1])).content.decode()
    assert personas.authority.email in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("crises:report_send", args=[crisis.pk, 1]),
            {"authorities": [personas.authority.email], "others": ""},
        )
    assert [m.to for m in mailoutbox] == [[personas.authority.email]]
    response = client.get(reverse("crises:report_pdf", args=[crisis.pk, 1]))
    assert response["X-Document-SHA256"] == crisis.reports.get().document_sha256
    # Reading the stream closes it the way the test client expects (closing it by hand would
    # fire request_finished and close the database connection of the test).
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_authorities_find_the_points_sent_and_their_downloads_are_logged(
    crisis, personas, client_for
):
    draft = reports.prepare_report(personas.referent, crisis)
    client = client_for(personas.authority)
    assert "Aucun point de situation reçu." in client.get(reverse("crises:authority_reports")).text
    url = reverse("crises:authority_report_pdf", args=[draft.pk])
    assert client.get(url).status_code == 404  # a draft was never sent
    reports.validate_report(personas.referent, draft)
    reports.send_report(personas.referent, draft, [personas.authority.email])
    page = client.get(reverse("crises:authority_reports")).text
    assert "Point de situation n° 1 (PDF)" in page and "EXERCICE" in page
    response = client.get(url)
    assert response["X-Document-SHA256"] == draft.document_sha256
    # Reading the stream closes it the way the test client expects (closing it by hand would
    # fire request_finished and close the database connection of the test).
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(
        actor=personas.authority, code="crises.report.downloaded"
    ).exists()


def test_the_live_part_follows_every_change_even_without_a_logbook_entry(
    crisis, personas, client_for
):
    client = client_for(personas.cell_member)
    url = reverse("crises:dashboard", args=[crisis.pk]) + "?partial=1"
    assert "Rappeler la pharmacie du port" not in client.get(url).text
    services.add_task(personas.referent, crisis, "Rappeler la pharmacie du port")
    assert "Rappeler la pharmacie du port" in client.get(url).text


def test_the_badge_checks_new_entries_without_rereading_the_log(crisis, personas):
    assert selectors.integrity(crisis).ok
    entry = services.add_entry(personas.referent, crisis, "information", "Nouvelle entrée")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE crises_logentry SET text = 'Changée' WHERE id = %s", [entry.pk])
    crisis.refresh_from_db()
    result = selectors.integrity(crisis)
    assert result.broken_seq == entry.seq
    # An older row changed after its check shows at the next full walk, or on demand.
    fixed = Crisis.objects.get(pk=crisis.pk)
    assert selectors.integrity(fixed, fresh=True).broken_seq == entry.seq


def test_the_signal_shows_the_crisis_already_opened_from_it(personas, client_for):
    signal = Signal.objects.create(
        cpts=personas.cpts, source="manual", sent_at=timezone.now(), level=3,
        event="Appel ARS", headline="Appel de l'ARS : cas groupés de gastro-entérite",
    )  # fmt: skip
    crisis = active_crisis(personas.cpts, personas.referent, signal=signal)
    page = client_for(personas.referent).get(reverse("watch:signal_detail", args=[signal.pk]))
    assert "Crise en cours depuis ce signal" in page.text
    assert reverse("crises:dashboard", args=[crisis.pk]) in page.text
    assert "Activer une autre crise depuis ce signal" in page.text


def test_logbook_csv_keeps_a_formula_as_text(crisis, personas, client_for):
    services.add_entry(personas.cell_member, crisis, "information", '=HYPERLINK("http://x")')
    response = client_for(personas.referent).get(reverse("crises:log_csv", args=[crisis.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[-1][4] == '\'=HYPERLINK("http://x")'
