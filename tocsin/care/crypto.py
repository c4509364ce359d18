"""Encryption at rest of the register's sensitive fields, with cryptography's Fernet.

`settings.CARE_KEYS` lists the keys newest first: the first encrypts, every one decrypts
(MultiFernet). To rotate, put a new key first, run `manage.py rotate_care_keys`, then drop the
old one. The database only ever holds tokens; Python code reads and writes clear values.
"""

import datetime
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.db import models


class CareKeyError(RuntimeError):
    """A stored value no configured key decrypts: the keys were changed or lost."""


@cache
def _box(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def box() -> MultiFernet:
    return _box(tuple(settings.CARE_KEYS))


def encrypt(text: str) -> str:
    return box().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return box().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise CareKeyError(
            "Une donnée du registre ne se déchiffre avec aucune des clés TOCSIN_CARE_KEYS."
        ) from exc


def encrypt_bytes(data: bytes) -> bytes:
    return box().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return box().decrypt(token)
    except InvalidToken as exc:
        raise CareKeyError("Ce contenu ne se déchiffre avec aucune des clés.") from exc


def rotate(token: str) -> str:
    """The same value encrypted with the newest key."""
    return box().rotate(token.encode()).decode() if token else ""


# How a dump (manage.py backup) writes an encrypted value: the token, marked, never the clear
# value; `to_python` reads it back when the backup is restored.
DUMP_PREFIX = "fernet:"


class EncryptedTextField(models.TextField):
    """Text kept as a Fernet token. It cannot be searched in SQL: filter after reading."""

    encrypted_at_rest = True  # the backup serializer writes value_to_string (tocsin.core)

    def to_text(self, value) -> str:
        return "" if value is None else str(value)

    def from_text(self, text: str):
        return text

    def from_db_value(self, value, expression, connection):
        return self.from_text(decrypt(value or ""))

    def get_prep_value(self, value):
        return encrypt(self.to_text(value))

    def value_to_string(self, obj):
        return DUMP_PREFIX + self.get_prep_value(self.value_from_object(obj))

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(DUMP_PREFIX):
            return self.from_text(decrypt(value.removeprefix(DUMP_PREFIX)))
        return self.parse(value)

    def parse(self, value):
        return value


class EncryptedDateField(EncryptedTextField):
    def to_text(self, value) -> str:
        return value.isoformat() if value else ""

    def from_text(self, text: str):
        return datetime.date.fromisoformat(text) if text else None

    def parse(self, value):
        return self.from_text(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return forms.DateField(**{"required": not self.blank, "label": self.verbose_name,
                                  **kwargs})  # fmt: skip


class EncryptedListField(EncryptedTextField):
    """A list of short codes (no comma in them), e.g. the needs of a patient."""

    def to_text(self, value) -> str:
        return ",".join(value or [])

    def from_text(self, text: str):
        return [code for code in text.split(",") if code]

    def parse(self, value):
        return self.from_text(value) if isinstance(value, str) else list(value or [])
