"""An exercise played from a scenario in a real browser: the référent copies the canicule
scenario of the library, launches it, fires two injects from the animation console (each one
lands in the main courante), notes what was observed, lifts the exercise and opens its RETEX,
which carries the injects in its timeline and the observations."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_directory_journey import sign_in_with_totp
from tocsin.core.demo import DEMO_DOMAIN, load_demo
from tocsin.crises.enums import EntryKind
from tocsin.exercises.models import Play

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_scenario_fires_two_injects_then_closes_into_a_retex(page):
    load_demo()
    sign_in_with_totp(page, f"referent@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Exercices", exact=True).click()
    page.get_by_role("button", name="Copier le scénario « Canicule de niveau 3").click()
    expect(
        page.get_by_role("heading", name="Canicule de niveau 3 (vigilance orange)")
    ).to_be_visible()
    page.get_by_label("Intitulé de l'exercice").fill("Exercice canicule — juillet")
    page.get_by_label("Déclencher les injects à l'heure prévue").uncheck()
    page.get_by_role("button", name="Lancer l'exercice").click()
    expect(page.get_by_text("EXERCICE — ceci n'est pas une crise réelle")).to_be_visible()

    # The animator fires the first two injects; each is written to the main courante.
    injects = page.get_by_test_id("injects")
    page.get_by_role("button", name="Déclencher l'inject T+0 min").click()
    page.get_by_role("button", name="Déclencher l'inject T+20 min").click()
    expect(injects.get_by_text(re.compile("Déclenché à"))).to_have_count(2)
    page.get_by_label("Inject").select_option(index=2)  # T+20, the EHPAD's call
    page.get_by_label("Appréciation").select_option(label="Partiellement conforme")
    page.get_by_label("Réaction observée").fill("Médecin trouvé, mais au bout d'une heure.")
    page.get_by_role("button", name="Noter l'observation").click()
    expect(page.get_by_test_id("observations")).to_contain_text("au bout d'une heure")
    screenshot(page, "exercise-console")
    play = Play.objects.get()
    received = play.crisis.entries.filter(kind=EntryKind.RECEIVED, text__contains="inject")
    assert received.count() == 2

    page.get_by_role("link", name="Tableau de bord de la crise").click()
    timeline = page.locator(".timeline")
    expect(timeline.get_by_text(re.compile("inject T\\+20 min"))).to_be_visible()
    page.get_by_role("link", name="Lever la crise").click()
    page.get_by_label("Synthèse de clôture").fill("Exercice joué : deux injects traités.")
    page.get_by_role("button", name="Lever la crise").click()
    page.get_by_role("button", name="Ouvrir le RETEX").click()
    expect(page.get_by_test_id("exercise-observations")).to_contain_text("Partiellement conforme")
    expect(
        page.get_by_text(re.compile("Message reçu — EXERCICE — inject T\\+0 min"))
    ).to_be_visible()
    screenshot(page, "exercise-retex")
