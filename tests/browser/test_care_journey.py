"""A call campaign during the demo exercise, in a real browser: the référent gives the reason
for opening the fragile patients of the exposed communes, launches a campaign shared between
the cell nurse and themself; the nurse records her calls on a phone; the référent's board
follows without a reload, and the point de situation is prefilled with the counts — while the
access log knows who saw which patients, and the main courante never names one."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_directory_journey import sign_in_with_totp
from tocsin.care.enums import (
    ESCALATED_OUTCOMES,
    REACHED_OUTCOMES,
    TO_CALL_OUTCOMES,
    AccessKind,
    Outcome,
)
from tocsin.care.models import AccessLog, Call, CallCampaign, Patient
from tocsin.core.demo import DEMO_DOMAIN, load_demo
from tocsin.core.models import User
from tocsin.crises.demo import EXERCISE_TITLE
from tocsin.crises.models import LogEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REFERENT = f"referent@{DEMO_DOMAIN}"
NURSE = f"cellule.infirmiere@{DEMO_DOMAIN}"
EXERCISE_BANNER = "EXERCICE — ceci n'est pas une crise réelle"
# A handful of the 24 demo patients: those on oxygen or old and alone.
NEEDS = ("Oxygène à domicile", "Personne âgée isolée")
# What the nurse answers, call after call, as far as her share goes.
ANSWERS = (Outcome.FINE, Outcome.NEEDS_HELP, Outcome.NOT_REACHED)


def board_figure(page, label):
    """The number on the card `label` of a campaign's board."""
    cards = page.get_by_test_id("call-figures").locator(".card")
    return cards.filter(has=page.get_by_text(label, exact=True)).locator(".figure")


def caller(user):
    """A caller's checkbox label starts « name — » (then the role)."""
    return f"{user.full_name} — "


def record_calls(page, answers):
    """Answer the first calls of the share, one form per call; each answer reloads the page."""
    calls = page.get_by_test_id("call")
    for index, outcome in enumerate(answers):
        call = calls.nth(index)
        call.get_by_label(outcome.label, exact=True).check()
        call.get_by_role("button", name="Enregistrer").click()
        # The badge changes only once the reloaded page is there: safe to go on.
        expect(calls.nth(index).locator(".badge")).to_have_text(outcome.label)


def test_a_call_campaign_of_the_exercise_feeds_the_point_de_situation(page, browser, live_server,
                                                                       settings):  # fmt: skip
    settings.CRISIS_LIVE_REFRESH_SECONDS = 5  # the board's refresh, at live.js's minimum
    load_demo(exercise=True)
    referent = User.objects.get(email=REFERENT)
    nurse = User.objects.get(email=NURSE)
    patients = Patient.objects.count()
    assert patients == 24

    # The référent opens the fragile patients from the crisis dashboard: a reason first.
    sign_in_with_totp(page, REFERENT)
    page.get_by_role("link", name="Crises", exact=True).click()
    page.get_by_role("link", name=re.compile(EXERCISE_TITLE)).click()
    page.get_by_role("link", name="Patients fragiles").click()
    expect(
        page.get_by_role("heading", name="Pourquoi consultez-vous les patients fragiles ?")
    ).to_be_visible()
    page.get_by_label("Organiser les appels de vérification").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text(EXERCISE_BANNER)).to_be_visible()
    # The canicule risk exposes every commune: all the demo patients are listed.
    expect(page.get_by_test_id("exposed-patients").locator("tbody tr")).to_have_count(patients)
    screenshot(page, "care-exposed-patients")

    # A campaign for the patients on oxygen or isolated, shared by the nurse and the référent.
    page.get_by_role("link", name="Lancer une campagne d'appels").click()
    for need in NEEDS:
        page.get_by_label(need, exact=True).check()
    page.get_by_label(caller(nurse)).check()
    page.get_by_label(caller(referent)).check()
    page.get_by_role("button", name="Répartir et lancer les appels").click()
    expect(page.get_by_text("Campagne d'appels lancée")).to_be_visible()
    campaign = CallCampaign.objects.get()
    to_call = campaign.calls.count()
    share = campaign.calls.filter(caller=nurse).count()
    assert 2 <= to_call < patients and share >= 1
    assert set(campaign.calls.values_list("caller", flat=True)) == {nurse.pk, referent.pk}
    expect(board_figure(page, "patients à appeler")).to_have_text(str(to_call))
    expect(board_figure(page, "appels terminés")).to_have_text("0")
    screenshot(page, "care-campaign-board")

    # The nurse, on her phone, finds her calls from « Mes patients » and records them.
    phone = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 390, "height": 800}
    )
    calls_page = phone.new_page()
    calls_page.set_default_timeout(15_000)
    sign_in_with_totp(calls_page, NURSE)
    calls_page.get_by_role("link", name="Mes patients", exact=True).click()
    expect(calls_page.get_by_text("Des appels vous sont confiés")).to_be_visible()
    calls_page.get_by_role("link", name=campaign.title).click()
    expect(calls_page.get_by_text(EXERCISE_BANNER)).to_be_visible()
    expect(calls_page.get_by_test_id("call")).to_have_count(share)
    answers = ANSWERS[:share]
    record_calls(calls_page, answers)
    # The unreached patient stays among the calls to make, with the ones not made yet.
    left = share - sum(1 for a in answers if a not in TO_CALL_OUTCOMES)
    expect(calls_page.get_by_test_id("calls-left")).to_contain_text(
        re.compile(rf"^{left} appels? à passer sur {share}\.")
    )
    screenshot(calls_page, "care-my-calls-phone")
    # Closed here: an open context keeps connections to the live server past the test.
    phone.close()

    # What she recorded, as the database holds it.
    calls = Call.objects.filter(campaign=campaign)
    done = calls.exclude(outcome__in=TO_CALL_OUTCOMES).count()
    reached = calls.filter(outcome__in=REACHED_OUTCOMES).count()
    needing_help = calls.filter(outcome=Outcome.NEEDS_HELP).count()
    not_reached = calls.filter(outcome=Outcome.NOT_REACHED).count()
    escalated = calls.filter(outcome__in=ESCALATED_OUTCOMES).count()
    assert reached == sum(1 for a in answers if a in REACHED_OUTCOMES)
    assert needing_help == answers.count(Outcome.NEEDS_HELP)
    assert not_reached == answers.count(Outcome.NOT_REACHED)
    assert escalated == 0

    # The référent's board, still open, follows by itself.
    expect(board_figure(page, "joints")).to_have_text(str(reached), timeout=20_000)
    expect(board_figure(page, "appels terminés")).to_have_text(str(done))
    expect(board_figure(page, "ont besoin d'aide")).to_have_text(str(needing_help))
    expect(board_figure(page, "injoignables")).to_have_text(str(not_reached))
    expect(board_figure(page, "signalés SAMU ou mairie")).to_have_text(str(escalated))
    screenshot(page, "care-campaign-board-updated")

    # The point de situation is prefilled with the counts.
    page.get_by_role("link", name=EXERCISE_TITLE, exact=True).click()
    page.get_by_role("button", name="Préparer un point de situation").click()
    expect(page.locator("#id_patients_contacted")).to_have_value(str(reached))
    expect(page.locator("#id_patients_needing_help")).to_have_value(str(needing_help))
    expect(page.locator("#id_patients_not_reached")).to_have_value(str(not_reached))
    expect(page.locator("#id_patients_escalated")).to_have_value(str(escalated))
    screenshot(page, "care-situation-report")

    # Who saw which patients is logged, under which right; the main courante has counts only.
    seen = AccessLog.objects.filter(crisis=campaign.crisis)
    assert seen.filter(user=referent, kind=AccessKind.CRISIS,
                       reason="Organiser les appels de vérification").exists()  # fmt: skip
    her_patients = sorted(calls.filter(caller=nurse).values_list("patient", flat=True))
    assert seen.filter(user=nurse, kind=AccessKind.CALLS, patient_ids=her_patients).exists()
    texts = list(LogEntry.objects.filter(crisis=campaign.crisis).values_list("text", flat=True))
    assert any(f"{to_call} patients à appeler" in text for text in texts)
    logbook = "\n".join(texts).casefold()
    for patient in Patient.objects.all():
        assert patient.last_name.casefold() not in logbook, patient
