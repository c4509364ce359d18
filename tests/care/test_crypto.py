"""The register at rest: no identifying or health value in clear, in the database or a backup,
and keys that rotate without losing anything."""

import json
import tarfile

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from tests.care.factories import PatientFactory, commune_of, treating
from tests.crises.factories import active_crisis
from tocsin.care import crypto, services
from tocsin.care.management.commands.rotate_care_keys import rotate_all
from tocsin.care.models import Call, Patient
from tocsin.core.backup import restore_backup, write_backup

CLEAR_VALUES = ["Lefrançois", "Yvonne", "1940", "rue des Salines", "639980011", "oxygen",
                "Annick", "Air Santé Ouest"]  # fmt: skip


def raw_rows(table) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 — a fixed table name
        return json.dumps(cursor.fetchall(), default=str)


@pytest.fixture
def patient(personas):
    return PatientFactory(cpts=personas.cpts, commune=commune_of(personas.cpts),
                          last_name="Lefrançois",
                          followed_by=[treating(personas.member, personas.cpts)])  # fmt: skip


def test_the_database_holds_no_sensitive_value_in_clear(patient, personas):
    crisis = active_crisis(personas.cpts, personas.referent)
    campaign = services.start_call_campaign(personas.referent, crisis, title="Appels", needs=[],
                                            callers=[personas.member])  # fmt: skip
    services.record_call(personas.member, campaign.calls.get(), "needs_help",
                         "Annick passe ce soir")  # fmt: skip
    stored = raw_rows("care_patient") + raw_rows("care_call")
    for value in CLEAR_VALUES:
        assert value not in stored, value
    # …while the code reads them back as typed.
    patient = Patient.objects.get()
    assert patient.last_name == "Lefrançois" and patient.needs == ["oxygen"]
    assert patient.birth_date.year == 1940 and Call.objects.get().note == "Annick passe ce soir"


@pytest.mark.django_db(transaction=True)
def test_a_backup_keeps_tokens_and_restores_the_values(patient, tmp_path):
    archive = write_backup(tmp_path / "sauvegarde.tar.gz")
    with tarfile.open(archive) as tar:
        dump = tar.extractfile("database.json").read().decode()
    assert '"model": "care.patient"' in dump
    for value in CLEAR_VALUES:
        assert value not in dump, value
    Patient.objects.all().delete()
    restore_backup(archive)
    restored = Patient.objects.get()
    assert (restored.last_name, restored.needs, restored.birth_date) == (
        "Lefrançois", ["oxygen"], patient.birth_date)  # fmt: skip


def test_keys_rotate_without_losing_a_row(patient, settings):
    old = settings.CARE_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.CARE_KEYS = [new, old]
    assert rotate_all() == 1
    settings.CARE_KEYS = [new]  # the old key is gone: everything still reads
    assert Patient.objects.get().last_name == "Lefrançois"


def test_a_lost_key_is_said_plainly(patient, settings):
    settings.CARE_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.CareKeyError, match="TOCSIN_CARE_KEYS"):
        Patient.objects.get()
