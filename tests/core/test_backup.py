"""A backup restores exactly what was there, files included; a bad archive changes nothing."""

import json
import tarfile

import pytest
from django.core import serializers
from django.core.management import call_command

from tests.factories import MembershipFactory
from tocsin.core.audit import log_action
from tocsin.core.backup import restore_backup, write_backup
from tocsin.core.errors import DomainError
from tocsin.core.models import AuditEntry, Cpts, Membership, User
from tocsin.territory.models import Commune, TerritoryCommune

MODELS = [Cpts, User, Membership, AuditEntry, Commune, TerritoryCommune]


def snapshot():
    return {
        m.__name__: json.loads(serializers.serialize("json", m.objects.order_by("pk")))
        for m in MODELS
    }


@pytest.mark.django_db(transaction=True)
def test_round_trip_loses_nothing(personas, settings, tmp_path):
    log_action(personas.coordinator, personas.cpts, "core.cpts.updated", personas.cpts, {"é": "ü"})
    media = settings.MEDIA_ROOT / "plans" / "plan-v1.pdf"
    media.parent.mkdir(parents=True)
    media.write_bytes(b"%PDF-1.7 plan")
    before = snapshot()

    path = write_backup(tmp_path / "save.tar.gz")
    MembershipFactory(cpts=personas.cpts)
    Membership.objects.filter(user=personas.member).delete()
    media.write_bytes(b"changed")
    (settings.MEDIA_ROOT / "stray.txt").write_text("new")

    restore_backup(path)
    after = snapshot()
    restored = after["AuditEntry"].pop()
    assert restored["fields"]["code"] == "core.backup.restored"
    created = [e for e in before["AuditEntry"] if e["fields"]["code"] == "core.backup.created"]
    assert created == []  # the "backup written" entry comes after the snapshot
    after["AuditEntry"] = [
        e for e in after["AuditEntry"] if e["fields"]["code"] != "core.backup.created"
    ]
    assert after == before
    assert media.read_bytes() == b"%PDF-1.7 plan"
    assert not (settings.MEDIA_ROOT / "stray.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_leaves_the_data_untouched(personas, tmp_path):
    before = snapshot()
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"not a tarball")
    with pytest.raises(DomainError, match="pas une sauvegarde Tocsin lisible"):
        restore_backup(broken)

    incomplete = tmp_path / "incomplete.tar.gz"
    with tarfile.open(incomplete, "w:gz") as archive:
        archive.add(__file__, arcname="manifest.json")
    with pytest.raises(DomainError, match="Archive incomplète"):
        restore_backup(incomplete)
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_a_backup_from_another_version_is_refused(personas, tmp_path):
    path = write_backup(tmp_path / "save.tar.gz")
    call_command("migrate", "territory", "zero", verbosity=0)
    try:
        with pytest.raises(DomainError, match="autre version de Tocsin"):
            restore_backup(path)
    finally:
        call_command("migrate", verbosity=0)
