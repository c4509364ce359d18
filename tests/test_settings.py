"""Production settings: the deploy check passes, and the security defaults hold."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "x9!Lq2#pV7zR4tN8wK1mB6cH3jF5gD0sA-production-like-key-for-the-check",
    "TOCSIN_HTTPS": "1",
    "ALLOWED_HOSTS": "tocsin.exemple.fr",
    "TOCSIN_SITE_URL": "https://tocsin.exemple.fr",
    "EMAIL_MODE": "smtp",
    "TOCSIN_CARE_KEYS": "pB6nZ6dbqYxPmZ1W0GvG0GzU7wZ0r0G9u0lK6tY3b1Q=",
}


def test_passwords_are_hashed_with_argon2_in_production(tmp_path):
    assert "hashers.Argon2PasswordHasher" in _production_value("PASSWORD_HASHERS[0]", tmp_path)


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = _production_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_the_register_key(tmp_path):
    """Without its key the patient register cannot be read: never generate one silently."""
    env = _production_env(tmp_path)
    del env["TOCSIN_CARE_KEYS"]
    result = _check(env)
    assert result.returncode != 0 and "TOCSIN_CARE_KEYS" in result.stderr


def test_a_malformed_register_key_stops_the_start_with_the_way_to_make_one(tmp_path):
    env = {**_production_env(tmp_path), "TOCSIN_CARE_KEYS": "trop-courte"}
    result = _check(env)
    assert result.returncode != 0 and "Fernet.generate_key()" in result.stderr


def _check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_french_locale_and_paris_time():
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ


def _production_value(expression, data_dir):
    env = _production_env(data_dir)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(settings.{expression})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )  # fmt: skip
    return result.stdout


def _production_env(data_dir) -> dict:
    env = {**os.environ, **PRODUCTION_ENV, "TOCSIN_DATA_DIR": str(data_dir)}
    # What the test session itself sets (the browser tests' async switch, the CI database).
    for name in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"):
        env.pop(name, None)
    return env
