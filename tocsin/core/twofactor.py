"""TOTP two-factor authentication and single-use recovery codes, on top of django-otp."""

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tocsin.core.audit import log_action
from tocsin.core.errors import DomainError

TOTP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"
RECOVERY_CODE_COUNT = 10


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed device whose secret the user is about to add to their app."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#111")


def readable_secret(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for users who type it instead of scanning."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm_totp_device(request, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the device with a first code; returns the recovery codes to show once."""
    if not device.verify_token(token.replace(" ", "")):
        raise DomainError("Ce code ne correspond pas. Vérifiez l'heure de votre téléphone.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        log_action(request.user, request.cpts, "core.user.two_factor_enabled", request.user)
        codes = _replace_recovery_codes(request.user)
    otp_login(request, device)
    return codes


def verify_second_factor(request, token: str) -> None:
    """Mark the session verified if `token` is a current TOTP code or an unused recovery code."""
    device = match_token(request.user, token.replace(" ", "").lower())
    if device is None:
        raise DomainError("Code invalide ou expiré.")
    otp_login(request, device)
    code = (
        "core.user.recovery_code_used"
        if isinstance(device, StaticDevice)
        else "core.user.two_factor_verified"
    )
    log_action(request.user, request.cpts, code, request.user)


def regenerate_recovery_codes(request) -> list[str]:
    with transaction.atomic():
        codes = _replace_recovery_codes(request.user)
        log_action(request.user, request.cpts, "core.user.recovery_codes_generated", request.user)
    return codes


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _replace_recovery_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes
