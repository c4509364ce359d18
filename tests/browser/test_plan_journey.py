"""The plan cycle in a real browser: write from the model, validate, transmit, download."""

import re

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_directory_journey import sign_in_with_totp
from tocsin.core.demo import DEMO_DOMAIN, DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def score(page) -> int:
    return int(page.get_by_test_id("completeness-score").inner_text().rstrip(" %"))


def test_write_validate_transmit_and_the_ars_downloads_the_pdf(page):
    load_demo()
    sign_in_with_totp(page, f"coordination@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Plan", exact=True).click()
    page.get_by_role("button", name="Commencer le plan à partir du modèle").click()
    assert "Brouillon" in page.get_by_test_id("version-status").inner_text()
    assert page.locator("details.fiche").count() >= 5
    before = score(page)

    page.get_by_role("link", name="Référent SSE désigné").click()
    page.get_by_role("combobox", name="Référent SSE").select_option(label="Gaël Trémeur")
    page.get_by_role("combobox", name="Suppléant").select_option(label="Solenn Guéhennec")
    page.get_by_label("Lieu de réunion de la cellule").fill("Maison de santé de Pornic, salle 2")
    page.get_by_label("Lieu de repli").fill("Mairie de Pornic, salle du conseil")
    page.get_by_role("button", name="Enregistrer").click()
    after = score(page)
    assert after > before

    page.get_by_label("Résumé des changements").fill("Première version du plan de la CPTS.")
    page.get_by_role("button", name="Enregistrer le résumé").click()
    page.get_by_role("button", name="Soumettre au COPIL").click()
    page.get_by_label("Date du COPIL").fill("2026-11-20")
    page.get_by_role("button", name="Enregistrer la validation").click()
    assert "Validée" in page.get_by_test_id("version-status").inner_text()
    page.get_by_role("button", name="Transmettre aux autorités").click()
    assert "Transmise" in page.get_by_test_id("version-status").inner_text()
    assert page.get_by_text("ARS — le").is_visible()

    page.get_by_role("link", name="← Plan de gestion de crise").click()
    page.get_by_role("button", name="Préparer la version suivante").click()
    page.locator("#section-training").locator("..").get_by_role("link", name="Modifier").click()
    body = page.get_by_label("Contenu")
    body.fill(body.input_value() + "\nExercice canicule chaque année en mai.")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Comparer").click()
    assert page.locator("ins", has_text="Exercice canicule chaque année en mai.").is_visible()
    screenshot(page, "plan-diff")

    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_label("Adresse e-mail").fill(f"ars@{DEMO_DOMAIN}")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Plans transmis").click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Version 1")).click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    page.get_by_role("button", name="Accuser réception").click()
    assert page.get_by_text(re.compile("Confirmée le")).is_visible()
