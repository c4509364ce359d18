"""Consistent backups of the database and uploaded files while the application runs.

A backup is one .tar.gz holding manifest.json (format, date, applied migrations), database.json
(every row, serialized by Django, so a SQLite backup restores into PostgreSQL and back) and the
media/ files. Restoring checks the archive first and replaces the data in one transaction: a
failure leaves the current data untouched.
"""

import io
import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from tocsin.core.audit import log_action
from tocsin.core.errors import DomainError

FORMAT = "tocsin-backup/1"
# Sessions and lockout counters are transient; a restore logs everyone out.
EXCLUDED = ["sessions", "axes"]


def default_backup_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"tocsin-{stamp}.tar.gz"


def write_backup(path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "database.json"
        with transaction.atomic():
            _freeze_snapshot()
            call_command("dumpdata", exclude=EXCLUDED, format="exact_json", output=str(dump),
                         verbosity=0)  # fmt: skip
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database": connection.vendor,
                "migrations": _applied_migrations(),
            }
        partial = path.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            archive.add(dump, arcname="database.json")
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname="media")
        partial.rename(path)  # a crash mid-write never leaves a truncated file under the name
    log_action(None, None, "core.backup.created", data={"file": path.name})
    return path


def restore_backup(path: Path) -> dict:
    """Replace every row and uploaded file by the backup's content."""
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp, _open_archive(path) as archive:
        manifest = _read_manifest(archive)
        _check_migrations(manifest)
        archive.extractall(tmp, filter="data")
        with transaction.atomic():
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            call_command("loaddata", str(Path(tmp) / "database.json"), verbosity=0)
            log_action(None, None, "core.backup.restored", data={"file": path.name})
        _replace_media(Path(tmp) / "media")
    return manifest


def _freeze_snapshot():
    """Make every query of the dump see the same instant of the database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    # SQLite: the transaction (BEGIN IMMEDIATE) already gives one snapshot and holds writers.


def _applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _add_bytes(archive, name, data: bytes):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _open_archive(path: Path):
    if not path.is_file():
        raise DomainError(f"Fichier de sauvegarde introuvable : {path}")
    try:
        return tarfile.open(path, "r:gz")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise DomainError(f"{path.name} n'est pas une sauvegarde Tocsin lisible ({exc}).") from exc


def _read_manifest(archive) -> dict:
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
        archive.getmember("database.json")
    except (KeyError, ValueError, AttributeError, tarfile.TarError) as exc:
        raise DomainError("Archive incomplète : manifest.json ou database.json manquant.") from exc
    if manifest.get("format") != FORMAT:
        raise DomainError(f"Format de sauvegarde inconnu : {manifest.get('format')!r}.")
    return manifest


def _check_migrations(manifest):
    current = set(_applied_migrations())
    saved = set(manifest.get("migrations", []))
    if current != saved:
        raise DomainError(
            "Cette sauvegarde vient d'une autre version de Tocsin "
            f"({len(saved - current)} migration(s) inconnue(s) ici, "
            f"{len(current - saved)} absente(s) de la sauvegarde). "
            "Installez la même version, lancez « migrate », puis restaurez."
        )


def _replace_media(extracted: Path):
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    if extracted.is_dir():
        shutil.copytree(extracted, media)
    else:
        media.mkdir(parents=True, exist_ok=True)
