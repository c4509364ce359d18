"""Sign-in journeys: password, lockout, TOTP set-up and verification, recovery codes, reset."""

import re
import time

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_PASSWORD, confirmed_totp
from tocsin.core.models import AuditEntry

LOGIN = reverse("core:login")
DASHBOARD = reverse("core:dashboard")


def sign_in(client, user, password=TEST_PASSWORD):
    return client.post(LOGIN, {"username": user.email.upper(), "password": password})


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def test_pages_require_login(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_member_signs_in_with_email_and_reaches_dashboard(client, personas):
    response = sign_in(client, personas.member)
    assert response.status_code == 302
    page = client.get(DASHBOARD).content.decode()
    assert "CPTS Côte de Test" in page
    assert "Professionnel membre" in page
    assert AuditEntry.objects.filter(code="core.user.logged_in", actor=personas.member).exists()


def test_wrong_password_gives_a_french_message(client, personas):
    response = sign_in(client, personas.member, "mauvais")
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()


def test_account_is_locked_after_repeated_failures(client, personas):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        sign_in(client, personas.member, "mauvais")
    response = sign_in(client, personas.member)  # even the right password is refused now
    assert "Compte temporairement bloqué" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.fixture
def no_otp_throttle(settings):
    """django-otp slows retries after a wrong code; these tests retry at once on purpose."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def test_crisis_role_sets_up_totp_then_gets_recovery_codes(client, personas, no_otp_throttle):
    sign_in(client, personas.coordinator)
    response = client.get(DASHBOARD)
    assert response["Location"] == reverse("core:two_factor_setup")
    page = client.get(reverse("core:two_factor_setup")).content.decode()
    assert "<svg" in page and "Clé à saisir" in page

    device = TOTPDevice.objects.get(user=personas.coordinator, confirmed=False)
    response = client.post(reverse("core:two_factor_setup"), {"token": "000000"})
    assert "Ce code ne correspond pas" in response.content.decode()

    response = client.post(reverse("core:two_factor_setup"), {"token": current_code(device)})
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
    assert len(codes) == 10
    assert client.get(DASHBOARD).status_code == 200
    assert AuditEntry.objects.filter(code="core.user.two_factor_enabled").exists()


def test_second_sign_in_asks_for_a_code_and_accepts_a_recovery_code_once(
    client, personas, no_otp_throttle
):
    sign_in(client, personas.referent)
    client.get(reverse("core:two_factor_setup"))
    device = TOTPDevice.objects.get(user=personas.referent)
    response = client.post(reverse("core:two_factor_setup"), {"token": current_code(device)})
    recovery = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())[0]
    client.post(reverse("core:logout"))

    sign_in(client, personas.referent)
    assert client.get(DASHBOARD)["Location"] == reverse("core:two_factor_verify")
    response = client.post(reverse("core:two_factor_verify"), {"token": "123456"})
    assert "Code invalide ou expiré." in response.content.decode()
    response = client.post(reverse("core:two_factor_verify"), {"token": recovery})
    assert response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200
    client.post(reverse("core:logout"))

    sign_in(client, personas.referent)
    response = client.post(reverse("core:two_factor_verify"), {"token": recovery})
    assert "Code invalide ou expiré." in response.content.decode()
    assert AuditEntry.objects.filter(code="core.user.recovery_code_used").count() == 1


def test_wrong_codes_slow_down_further_attempts(client, personas):
    sign_in(client, personas.coordinator)
    client.get(reverse("core:two_factor_setup"))
    device = TOTPDevice.objects.get(user=personas.coordinator)
    client.post(reverse("core:two_factor_setup"), {"token": "000000"})
    response = client.post(reverse("core:two_factor_setup"), {"token": current_code(device)})
    assert "Ce code ne correspond pas" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=personas.coordinator, confirmed=True).exists()


def test_unverified_crisis_role_cannot_reach_any_cpts_page(client, personas):
    client.force_login(personas.cell_member)
    for name in ("core:member_list", "territory:commune_list", "core:account"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("core:two_factor_setup")


def test_password_reset_mail_goes_through_a_real_smtp_server(
    client, personas, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:password_reset"), {"email": personas.member.email})
    assert response["Location"] == reverse("core:password_reset_done")
    deadline = time.monotonic() + 5
    while not smtp_server.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == [personas.member.email]
    body = envelope.content.decode("utf-8", "replace")
    assert "/mot-de-passe/nouveau/" in body


def test_password_reset_does_not_reveal_unknown_addresses(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:password_reset"), {"email": "inconnu@exemple.test"})
    assert response["Location"] == reverse("core:password_reset_done")
    assert mailoutbox == []


def test_invited_member_whose_link_expired_can_ask_for_a_new_one(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    personas.member.set_unusable_password()
    personas.member.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:password_reset"), {"email": personas.member.email.upper()})
    assert [m.to for m in mailoutbox] == [[personas.member.email]]


def test_a_member_who_turned_on_two_factor_is_asked_for_it(client, personas):
    confirmed_totp(personas.member)
    sign_in(client, personas.member)
    assert client.get(DASHBOARD)["Location"] == reverse("core:two_factor_verify")
