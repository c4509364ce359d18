"""The training pages as the CPTS uses them: who may see and do what, a session from creation
to certificates, the registration page reached from an e-mail, who attended what."""

import datetime
import html
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ContactFactory, GroupFactory
from tests.plans.test_documents import page_text
from tests.training.factories import attended, in_days, invited, session, training
from tocsin.core.models import AuditEntry
from tocsin.plans import services as plan_services
from tocsin.plans.documents import pdf_document
from tocsin.training import documents, links, services
from tocsin.training.enums import RegistrationStatus
from tocsin.training.models import Registration, Session, Training

MONDAY_MORNING = datetime.datetime(2026, 3, 2, 8, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _morning():
    with time_machine.travel(MONDAY_MORNING, tick=True):
        yield


def text(response) -> str:
    return html.unescape(response.content.decode())


def words(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", page).split())


@pytest.fixture
def afgsu(personas):
    return training(personas.coordinator, personas.cpts)


@pytest.fixture
def today(personas, afgsu):
    return session(personas.coordinator, afgsu, date=in_days(0), capacity=3)


def register_url(registration, name="training:register") -> str:
    return reverse(name, kwargs={"token": links.token_for(registration.pk)})


# --- Who may see and do what ---


def test_members_and_authorities_do_not_see_trainings_and_outsiders_find_nothing(
    personas, client_for, today
):
    urls = [reverse("training:home"), reverse("training:session_detail", args=[today.pk]),
            reverse("training:records")]  # fmt: skip
    for persona in (personas.member, personas.authority):
        client = client_for(persona)
        assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    outsider = client_for(personas.outsider)
    assert outsider.get(urls[1]).status_code == 404
    assert "AFGSU" not in text(outsider.get(urls[0]))
    assert Client().get(urls[0])["Location"].startswith("/connexion/")


def test_the_cell_reads_but_only_the_coordinator_or_referent_organises(
    personas, client_for, afgsu, today
):
    present = attended(personas.coordinator, today, ContactFactory(cpts=personas.cpts))
    cell = client_for(personas.cell_member)
    assert cell.get(reverse("training:home")).status_code == 200
    page = text(cell.get(reverse("training:session_detail", args=[today.pk])))
    assert present.name in page
    assert "Enregistrer les présences" not in page and "Inviter des participants" not in page
    for url in (reverse("training:training_new"), reverse("training:session_new", args=[afgsu.pk]),
                reverse("training:session_invite", args=[today.pk]),
                reverse("training:certificate_pdf", args=[today.pk, present.pk])):  # fmt: skip
        assert cell.get(url).status_code == 403
    before = AuditEntry.objects.count()
    response = cell.post(reverse("training:attendance_save", args=[today.pk]), {"present": []})
    assert response.status_code == 403
    assert AuditEntry.objects.count() == before
    referent = client_for(personas.referent)
    page = text(referent.get(reverse("training:session_detail", args=[today.pk])))
    assert "Enregistrer les présences" in page and "Inviter des participants" in page


# --- A session, from the catalogue to the invitations ---


def test_the_coordinator_builds_the_catalogue_and_programmes_a_session(personas, client_for):
    client = client_for(personas.coordinator)
    response = client.post(reverse("training:training_new"), {
        "title": "Gestion de crise en CPTS", "provider": "EHESP", "kind": "crisis_management",
        "duration_hours": "3,5", "validity_months": "", "description": "Le rôle de chacun.",
        "required_for_referent": "on",
    })  # fmt: skip
    found = Training.objects.get(cpts=personas.cpts)
    assert response["Location"] == reverse("training:training_detail", args=[found.pk])
    assert (str(found.duration_hours), found.validity_months) == ("3.5", None)
    assert found.required_for_referent

    refused = client.post(reverse("training:session_new", args=[found.pk]), {
        "date": "2026-03-20", "start_time": "14:00", "end_time": "09:00", "capacity": "12",
    })  # fmt: skip
    page = text(refused)
    assert "La session se termine après son heure de début." in page
    assert "Indiquez le lieu de la session ou son lien en ligne." in page
    response = client.post(reverse("training:session_new", args=[found.pk]), {
        "date": "2026-03-20", "start_time": "09:00", "end_time": "12:30", "capacity": "12",
        "place": "", "online_url": "visio.exemple.test/crise", "trainer": "M. Formateur",
    })  # fmt: skip
    created = Session.objects.get(training=found)
    assert response["Location"] == reverse("training:session_detail", args=[created.pk])
    assert created.online_url == "https://visio.exemple.test/crise"
    home = words(text(client.get(reverse("training:home"))))
    assert "20/03/2026, 09:00–12:30 Gestion de crise en CPTS En ligne M. Formateur 0 / 12" in home
    assert "exigée pour le référent" in home


def test_inviting_previews_who_is_left_out_then_sends(
    personas, client_for, today, mailoutbox, django_capture_on_commit_callbacks
):
    nurse = ContactFactory(cpts=personas.cpts, last_name="Infirmière")
    silent = ContactFactory(cpts=personas.cpts, last_name="Sansmail", email="")
    group = GroupFactory(cpts=personas.cpts, name="Infirmiers du secteur")
    group.members.add(nurse, silent)
    client = client_for(personas.coordinator)
    url = reverse("training:session_invite", args=[today.pk])

    preview = text(client.post(url, {"groups": [group.pk], "action": "preview"}))
    assert "1 personne recevra une invitation par e-mail" in words(preview)
    assert "Sansmail — Pas d'adresse e-mail dans l'annuaire" in words(preview)
    assert not Registration.objects.exists()
    found = words(text(client.post(url, {"q": "infirmiere", "action": "preview"})))
    assert f"{nurse}" in found  # the search offers the nurse as a person to tick

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"groups": [group.pk], "action": "send"})
    assert response["Location"] == reverse("training:session_detail", args=[today.pk])
    assert [m.to for m in mailoutbox] == [[nurse.email]]
    follow = text(client.get(response["Location"]))
    assert "1 invitation(s) envoyée(s), 1 personne(s) laissée(s) de côté." in follow


# --- The registration page, without an account ---


def test_opening_the_link_changes_nothing_then_register_and_cancel(personas, today):
    registration = invited(today)
    url = register_url(registration)
    before = AuditEntry.objects.count()
    page = text(Client().get(url))
    assert "Vous n'êtes pas encore inscrit(e)." in page and "Je m'inscris" in page
    assert AuditEntry.objects.count() == before
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.INVITED

    page = text(Client().post(url, {"action": "register"}))
    assert "C'est noté : vous êtes inscrit(e)." in page and "Je me désinscris" in page
    assert "Ajouter à mon agenda (.ics)" in page
    page = text(Client().post(url, {"action": "cancel"}))
    assert "vous êtes désinscrit(e)" in page
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CANCELLED


def test_a_full_session_puts_on_the_waiting_list_and_shows_the_position(personas, afgsu):
    one_seat = session(personas.coordinator, afgsu, capacity=1)
    services.register(invited(one_seat))
    services.register(invited(one_seat))
    late = invited(one_seat)
    page = words(text(Client().post(register_url(late), {"action": "register"})))
    assert "Vous êtes sur liste d'attente, en position 2." in page
    assert one_seat.registrations.filter(status=RegistrationStatus.REGISTERED).count() == 1


def test_a_forged_or_truncated_link_is_refused_in_french(personas, today):
    token = links.token_for(invited(today).pk)
    for forged in (token[:-3], "inventé"):
        response = Client().post(reverse("training:register", kwargs={"token": forged}),
                                 {"action": "register"})  # fmt: skip
        assert response.status_code == 400
        assert "Ce lien d'inscription n'est pas valide" in text(response)
    assert not Registration.objects.exclude(status=RegistrationStatus.INVITED).exists()


def test_the_registration_gives_its_ics(personas, today):
    registration = services.register(invited(today))
    response = Client().get(register_url(registration, "training:register_ics"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    content = response.content.decode()
    assert "BEGIN:VEVENT" in content and "TZID=Europe/Paris" in content


# --- Attendance and certificates ---


def test_attendance_ticks_present_and_absent_and_adds_a_walk_in(personas, client_for, today):
    here, away = (services.register(invited(today)) for _ in range(2))
    passer = ContactFactory(cpts=personas.cpts, last_name="Passant")
    client = client_for(personas.coordinator)
    detail = reverse("training:session_detail", args=[today.pk])

    response = client.post(reverse("training:attendance_save", args=[today.pk]),
                           {"present": [here.pk]})  # fmt: skip
    assert response["Location"] == detail + "#presences"
    here.refresh_from_db(), away.refresh_from_db()
    assert (here.attended, away.attended) == (True, False)

    found = text(client.get(detail, {"q": "passant"}))
    assert "Ajouter comme présent(e)" in found and "Passant" in found
    client.post(reverse("training:attendance_add", args=[today.pk]), {"contact": passer.pk})
    walk_in = Registration.objects.get(session=today, contact=passer)
    assert (walk_in.attended, walk_in.walked_in) == (True, True)
    page = words(text(client.get(detail)))
    assert "venu(e) sans inscription" in page and "(noté absent(e))" in page
    assert AuditEntry.objects.filter(code__startswith="training.attendance.").count() == 3


def test_the_certificate_is_a_pdf_naming_the_participant(personas, client_for, today):
    nurse = ContactFactory(cpts=personas.cpts, first_name="Léa", last_name="Guérin",
                           profession_label="Infirmière")  # fmt: skip
    present = attended(personas.coordinator, today, nurse)
    [page] = pdf_document(documents.certificate_html(present)).pages
    printed = page_text(page)
    expected_lines = ["Attestation de présence", "CPTS Côte de Test", "Léa Guérin", "Infirmière",
                      "AFGSU SSE — module 1", "Dr Anne Formatrice", "7 heures"]  # fmt: skip
    for expected in [*expected_lines, "02/03/2026"]:
        assert expected in printed, expected

    client = client_for(personas.coordinator)
    response = client.get(reverse("training:certificate_pdf", args=[today.pk, present.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "lea-guerin" in response["Content-Disposition"]
    entry = AuditEntry.objects.filter(code="training.certificate.downloaded").get()
    assert (entry.actor, entry.data) == (personas.coordinator, {"person": "Léa Guérin"})


def test_the_participant_downloads_their_certificate_once_marked_present(personas, today):
    registration = services.register(invited(today))
    url = register_url(registration, "training:register_certificate")
    response = Client().get(url)
    assert response["Location"] == register_url(registration)
    assert not AuditEntry.objects.filter(code="training.certificate.downloaded").exists()
    assert "Télécharger mon attestation" not in text(Client().get(register_url(registration)))

    services.record_attendance(personas.coordinator, today, [registration.pk])
    assert "Télécharger mon attestation" in text(Client().get(register_url(registration)))
    response = Client().get(url)
    assert response.content.startswith(b"%PDF")
    entry = AuditEntry.objects.get(code="training.certificate.downloaded")
    assert (entry.actor, entry.actor_label) == (None, registration.name)


def test_no_certificate_for_someone_absent(personas, client_for, today):
    away = services.register(invited(today))
    services.record_attendance(personas.coordinator, today, [])
    client = client_for(personas.coordinator)
    url = reverse("training:certificate_pdf", args=[today.pk, away.pk])
    assert client.get(url).status_code == 404


# --- Who attended what ---


def people_trained(personas, count):
    coordinator, cpts = personas.coordinator, personas.cpts
    plan = training(coordinator, cpts, title="Le plan de la CPTS", kind="cpts_plan",
                    validity_months=None)  # fmt: skip
    held = session(coordinator, training(coordinator, cpts), date=in_days(-1), capacity=count)
    other = session(coordinator, plan, date=in_days(-3), capacity=count)
    for _ in range(count):
        contact = ContactFactory(cpts=cpts)
        attended(coordinator, held, contact)
        attended(coordinator, other, contact)


@pytest.mark.parametrize("count", [3, 30])
def test_the_records_page_runs_a_fixed_number_of_queries(personas, client_for, count):
    people_trained(personas, count)
    client = client_for(personas.coordinator)
    client.get(reverse("training:records"))  # warm the session and the caches
    with CaptureQueriesContext(connection) as queries:
        page = words(text(client.get(reverse("training:records"))))
    assert page.count("valide jusqu'au 01/03/2030") == count
    assert page.count("sans limite de validité") == count
    assert len(queries) == 6, [q["sql"] for q in queries]


def test_the_records_filter_by_training_and_export_csv(personas, client_for):
    people_trained(personas, 2)
    plan = Training.objects.get(title="Le plan de la CPTS")
    client = client_for(personas.coordinator)
    page = words(text(client.get(reverse("training:records"), {"training": plan.pk})))
    assert "AFGSU SSE — module 1, suivie" not in page
    assert page.count("Le plan de la CPTS, suivie") == 2

    response = client.get(reverse("training:records_csv"), {"training": plan.pk})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Nom;Prénom;Profession;Formation;Type;Suivie le;Valide jusqu'au;État"
    assert lines[1].endswith(";Infirmier;Le plan de la CPTS;Le plan de la CPTS;27/02/2026;;"
                             "Sans limite de validité")  # fmt: skip
    assert len(lines) == 3
    entry = AuditEntry.objects.get(code="training.records.exported")
    assert entry.data == {"rows": 2, "training": "Le plan de la CPTS"}


# --- The référent's trainings on the plan and on the dashboard ---


def test_the_plan_checks_the_required_trainings_of_the_referent_and_deputy(personas, client_for):
    version = plan_services.start_plan(personas.coordinator, personas.cpts)
    client = client_for(personas.coordinator)
    url = reverse("plans:version_detail", kwargs={"number": version.number})
    assert "Formations exigées du référent à jour" not in text(client.get(url))  # none required

    required = training(personas.coordinator, personas.cpts, required_for_referent=True)
    version.referent = ContactFactory(cpts=personas.cpts, last_name="Référente")
    version.save()
    page = text(client.get(url))
    assert "Formations exigées du référent à jour" in page
    assert "Formations exigées du suppléant à jour" in page
    assert reverse("training:home") in page

    attended(personas.coordinator, session(personas.coordinator, required, date=in_days(-5)),
             version.referent)  # fmt: skip
    page = text(client.get(url))
    assert "Formations exigées du référent à jour" not in page  # done: off the to-do list
    assert "Formations exigées du suppléant à jour" in page


def test_the_dashboard_shows_the_referent_gaps_and_the_next_sessions(personas, client_for, afgsu):
    version = plan_services.start_plan(personas.coordinator, personas.cpts)
    version.referent = ContactFactory(cpts=personas.cpts, first_name="Rita", last_name="Référente")
    version.save()
    afgsu.required_for_referent = True
    afgsu.save()
    upcoming = session(personas.coordinator, afgsu, date=in_days(20))
    for persona in (personas.coordinator, personas.referent):
        page = words(text(client_for(persona).get(reverse("core:dashboard"))))
        assert "Formations du référent et du suppléant" in page
        assert "Référent (Rita Référente) : AFGSU SSE — module 1 — manquante" in page
        assert "Suppléant : pas encore désigné dans le plan." in page
        assert f"le {upcoming.date:%d/%m/%Y} — 0 inscrits sur 2" in page
    cell = words(text(client_for(personas.cell_member).get(reverse("core:dashboard"))))
    assert "Formations du référent et du suppléant" not in cell
