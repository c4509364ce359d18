"""The main journeys, in a real browser."""

import base64
import re

import pytest
from django_otp.oath import totp

from tests.browser.conftest import screenshot
from tocsin.core.demo import DEMO_DOMAIN, DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from_secret(secret_text: str) -> str:
    key = base64.b32decode(secret_text.replace(" ", ""))
    return f"{totp(key):06d}"


def sign_in(page, email):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Connexion"
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_demo_coordinator_passes_two_factor_and_reaches_the_dashboard(page):
    load_demo()
    sign_in(page, f"coordination@{DEMO_DOMAIN}")

    page.wait_for_url(re.compile(r"/compte/double-authentification/$"))
    assert page.locator(".qr svg").is_visible()
    screenshot(page, "two-factor-setup")
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_role("textbox", name="Code de vérification").fill(code_from_secret(secret))
    page.get_by_role("button", name="Activer").click()

    assert page.locator("h1").inner_text() == "Vos codes de secours"
    assert page.locator(".codes li").count() == 10
    page.get_by_role("link", name="Continuer vers le tableau de bord").click()

    assert "Côte de Jade" in page.locator("h1").inner_text()
    population = page.get_by_test_id("population").inner_text()
    assert 130_000 < int(population.replace("\u202f", "")) < 145_000
    assert page.get_by_role("heading", name="Équipe de crise").is_visible()
    assert page.get_by_role("heading", name="Activité récente").is_visible()
    screenshot(page, "dashboard-coordinator")

    page.get_by_role("link", name="Journal d'audit", exact=True).click()
    entry = page.get_by_role("cell", name="Maëlys Kerhervé a activé la double authentification")
    assert entry.is_visible()


def test_member_on_a_phone_signs_in_and_finds_the_mairies(page):
    load_demo()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, f"personne.inconnue@{DEMO_DOMAIN}")
    assert page.get_by_text("Adresse e-mail ou mot de passe incorrect.").is_visible()

    sign_in(page, _first_member_email())
    assert "Professionnel membre" in page.locator(".lead").inner_text()
    page.get_by_role("link", name="Territoire").click()
    assert page.get_by_role("cell", name="Pornic", exact=True).is_visible()
    assert page.get_by_role("link", name="contact@pornic.fr").is_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390 + 1, "the page must not scroll sideways on a phone"
    screenshot(page, "territory-phone")


def _first_member_email():
    from tocsin.core.enums import Role
    from tocsin.core.models import Membership

    membership = Membership.objects.filter(role=Role.MEMBER).order_by("pk").first()
    return membership.user.email
