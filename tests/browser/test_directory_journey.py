"""The directory in a real browser: a FINESS import with a bad row, then a search."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import screenshot
from tests.directory.test_imports import finess_file, finess_structure
from tocsin.core.demo import DEMO_DOMAIN, DEMO_PASSWORD, load_demo
from tocsin.core.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_with_totp(page, email):
    device = TOTPDevice.objects.create(
        user=User.objects.get(email=email), name="Téléphone", confirmed=True
    )
    page.goto("/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/compte/verification/"))
    page.get_by_role("textbox", name="Code de vérification").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()


def test_finess_import_reports_the_bad_row_and_search_finds_the_hospital(page):
    load_demo()
    sign_in_with_totp(page, f"coordination@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Annuaire").click()
    page.get_by_role("link", name="Imports").click()

    content = finess_file(
        finess_structure("440000026", "HÔPITAL INTERCOMMUNAL DE PORNIC", "355"),
        finess_structure("440000034", "PHARMACIE DU PORT", "620", commune="154"),
        "structureet;440000059;ligne tronquée",
    )
    page.get_by_label("Type d'import").select_option("finess")
    page.get_by_label("Fichier").set_input_files(
        {"name": "etalab-cs1100507-stock-test.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Analyser").click()

    page.get_by_test_id("import-status").filter(has_text="Aperçu prêt").wait_for()
    assert page.get_by_test_id("count-created").inner_text() == "2"
    assert page.get_by_test_id("count-rejected").inner_text() == "1"
    rejected = page.get_by_role("row").filter(has_text="Ligne 4")
    assert rejected.is_visible()
    assert "champs" in rejected.inner_text()
    screenshot(page, "import-preview")

    page.get_by_role("button", name="Confirmer l'import").click()
    page.get_by_test_id("import-status").filter(has_text="Terminé").wait_for()

    page.get_by_role("link", name="Organisations").click()
    page.get_by_label("Rechercher").fill("hopital")
    page.get_by_role("button", name="Rechercher").click()
    assert page.get_by_role("link", name="HÔPITAL INTERCOMMUNAL DE PORNIC").is_visible()
    assert "1 résultat" in page.locator("main").inner_text()
