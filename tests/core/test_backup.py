"""A backup restores exactly what was there, files included; a bad archive changes nothing."""

import json
import tarfile

import pytest
from django.core import serializers
from django.core.management import call_command

from tests.crises.factories import active_crisis
from tests.factories import MembershipFactory
from tocsin.core.audit import log_action
from tocsin.core.backup import restore_backup, write_backup
from tocsin.core.errors import DomainError
from tocsin.core.models import AuditEntry, Cpts, Membership, User
from tocsin.crises import logbook
from tocsin.crises.enums import EntryKind
from tocsin.crises.models import Crisis, LogEntry
from tocsin.territory.models import Commune, TerritoryCommune

MODELS = [Cpts, User, Membership, AuditEntry, Commune, TerritoryCommune, Crisis, LogEntry]


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


@pytest.mark.django_db(transaction=True)
def test_a_restored_main_courante_still_verifies(personas, tmp_path):
    """Entry times are part of each entry's hash, to the microsecond: a backup must keep them
    exactly (Django's JSON encoder cuts datetimes to the millisecond)."""
    crisis = active_crisis(personas.cpts, personas.referent)
    for text in ("Appel de l'ARS", "Cellule réunie", "Point transmis"):
        logbook.append(crisis, EntryKind.INFORMATION, text, author=personas.referent)
    before = snapshot()

    restore_backup(write_backup(tmp_path / "save.tar.gz"))

    assert logbook.verify(Crisis.objects.get(pk=crisis.pk)).ok
    after = snapshot()
    after["AuditEntry"] = [e for e in after["AuditEntry"]
                           if not e["fields"]["code"].startswith("core.backup.")]  # fmt: skip
    assert after == before
