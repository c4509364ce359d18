"""A training session in a real browser: the coordinator creates a session and invites the
crisis-cell group; a nurse registers on her phone through the link of her e-mail (captured by a
real SMTP server, with the .ics calendar file attached); attendance is taken on the day and
her certificate of attendance downloads."""

import email
import re

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_directory_journey import sign_in_with_totp
from tocsin.core.demo import DEMO_DOMAIN, load_demo
from tocsin.directory.models import Contact, Group
from tocsin.training.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"https?://\S+/formations/inscription/[^/\s]+/")


def test_a_session_from_invitation_to_certificate(page, browser, live_server, smtp_server,
                                                   settings):  # fmt: skip
    settings.SITE_URL = live_server.url
    cpts = load_demo()["cpts"]
    nurse_email = f"cellule.infirmiere@{DEMO_DOMAIN}"
    nurse = Contact.objects.get(cpts=cpts, email=nurse_email)
    cell = Group.objects.get(cpts=cpts, name="Cellule de crise").members.count()

    # The coordinator creates the training and a session today, then invites the cell.
    sign_in_with_totp(page, f"coordination@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Formations", exact=True).click()
    page.get_by_role("link", name="Nouvelle formation").click()
    page.get_by_label("Intitulé").fill("AFGSU SSE — gestion des situations sanitaires")
    page.get_by_label("Organisme de formation").fill("CESU 44")
    page.get_by_label("Type").select_option(label="AFGSU SSE")
    page.get_by_label("Durée (heures)").fill("7")
    page.get_by_label("Validité (mois)").fill("48")
    page.get_by_label("Exigée pour le référent et le suppléant").check()
    page.get_by_role("button", name="Enregistrer la formation").click()
    page.get_by_role("link", name="Programmer une session").click()
    page.get_by_label("Date").fill(f"{timezone.localdate():%Y-%m-%d}")
    page.get_by_label("Heure de début").fill("00:00")
    page.get_by_label("Heure de fin").fill("23:59")
    page.get_by_label("Lieu").fill("Maison de santé de Pornic")
    page.get_by_label("Nombre de places").fill("12")
    page.get_by_label("Formateur").fill("Dr Anne Quéméner")
    page.get_by_role("button", name="Enregistrer la session").click()
    page.get_by_role("link", name="Inviter des participants").click()
    page.get_by_label("Cellule de crise").check()
    page.get_by_role("button", name="Envoyer les invitations").click()
    expect(page.get_by_text(re.compile(rf"{cell} invitation\(s\) envoyée\(s\)"))).to_be_visible()

    # The nurse's e-mail carries her link and the calendar file.
    messages = smtp_server.wait_for(cell)
    [message] = [m for m in messages if m.rcpt_tos == [nurse_email]]
    parsed = email.message_from_bytes(message.content)
    [calendar] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    event = icalendar.Calendar.from_ical(calendar.get_payload(decode=True)).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Formation : AFGSU SSE — gestion des situations sanitaires"
    assert str(event["LOCATION"]) == "Maison de santé de Pornic"
    link = LINK.search(message.content.decode("utf-8", "replace")).group()

    # She registers on her phone, without an account.
    phone = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 800})
    answer = phone.new_page()
    answer.goto(link)
    expect(answer.get_by_role("heading", name=re.compile("AFGSU SSE"))).to_be_visible()
    answer.get_by_role("button", name="Je m'inscris").click()
    expect(answer.get_by_role("button", name="Je me désinscris")).to_be_visible()
    screenshot(answer, "training-register-phone")
    # Closed here: an open context keeps connections to the live server past the test.
    phone.close()

    # Attendance on the day, then her certificate.
    registration = Registration.objects.get(contact=nurse)
    page.goto(f"/formations/sessions/{registration.session_id}/")
    page.get_by_label(f"Présent(e) : {nurse.full_name}").check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Attestation de présence de {nurse.full_name}").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    screenshot(page, "training-attendance")
    registration.refresh_from_db()
    assert registration.attended is True

    # She can download it herself from her link.
    again = browser.new_context(locale="fr-FR")
    answer = again.new_page()
    answer.goto(link)
    own = answer.get_by_role("link", name="Télécharger mon attestation de présence")
    expect(own).to_be_visible()
    again.close()
