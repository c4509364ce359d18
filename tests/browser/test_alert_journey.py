"""An alert in a real browser: the coordinator alerts the crisis-cell group, the worker sends
the e-mails to a real SMTP server, one recipient opens the link from their e-mail on a phone,
answers « disponible », and the coordinator's roll-call shows it without reloading."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_directory_journey import sign_in_with_totp
from tocsin.alerts.enums import Answer, DeliveryState
from tocsin.alerts.models import Campaign, Delivery
from tocsin.core.demo import DEMO_DOMAIN, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"https?://\S+/r/[^/\s]+/")


def test_an_alert_from_sending_to_the_roll_call(page, browser, live_server, smtp_server, settings):
    settings.SITE_URL = live_server.url
    settings.CRISIS_LIVE_REFRESH_SECONDS = 5
    load_demo()
    referent = f"referent@{DEMO_DOMAIN}"

    # The coordinator prepares the alert for the crisis-cell group; the preview counts it.
    sign_in_with_totp(page, f"coordination@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Alertes", exact=True).click()
    page.get_by_role("link", name="Préparer une alerte").click()
    page.get_by_label("Objet").fill("Renfort cellule de crise ce soir")
    page.get_by_label("Message").fill("Réunion de la cellule à 20 h à la maison de santé.")
    page.get_by_label("Cellule de crise").check()
    summary = page.locator("[data-preview-summary]")
    expect(summary).to_contain_text("alertées sur")
    screenshot(page, "alert-draft")
    page.get_by_role("button", name="Enregistrer et envoyer…").click()
    send = page.get_by_role("button", name=re.compile(r"Envoyer l'alerte à \d+ personnes"))
    people = int(re.search(r"\d+", send.inner_text()).group())
    send.click()
    expect(page.get_by_test_id("rollcall-totals")).to_contain_text(f"Alertés{people}")

    # The worker sends: every message reaches the SMTP server.
    call_command("run_alerts")
    messages = smtp_server.wait_for(people)
    assert len(messages) == people
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}

    # The référent opens the link from their e-mail, on a phone, without logging in.
    [mail] = [m for m in messages if m.rcpt_tos == [referent]]
    link = LINK.search(mail.content.decode("utf-8", "replace")).group()
    phone = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 800})
    answer = phone.new_page()
    answer.goto(link)
    expect(answer.get_by_role("heading", name="Renfort cellule de crise ce soir")).to_be_visible()
    answer.get_by_label("Je suis disponible").check()
    answer.get_by_label("Commentaire (facultatif)").fill("J'arrive à 19 h 45")
    answer.get_by_role("button", name="Envoyer ma réponse").click()
    expect(answer.get_by_role("status")).to_contain_text("« Disponible » est enregistrée")
    screenshot(answer, "alert-answer-phone")
    phone.close()

    # The coordinator's roll-call updates by itself.
    totals = page.get_by_test_id("rollcall-totals")
    expect(totals.locator(".figure-available .figure")).to_have_text("1", timeout=20_000)
    expect(page.get_by_text("J'arrive à 19 h 45")).to_be_visible()
    screenshot(page, "alert-rollcall")
    recipient = Campaign.objects.get().recipients.get(answer=Answer.AVAILABLE)
    assert recipient.contact.email == referent
