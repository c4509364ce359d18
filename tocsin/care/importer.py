"""A professional's own patient list (CSV or XLSX) read into the register's fields.

Pure: reading a file touches no table. Each line is kept or rejected with its number and a
French reason; the service shows the report, then saves every kept line or none. Never meant
for a mairie's canicule register (the CPTS is not its recipient): only one's own patients.
"""

import datetime
from dataclasses import dataclass, field

import phonenumbers
from django.utils import timezone

from tocsin.care.enums import LegalBasis, Need
from tocsin.directory.importers.base import FatalImportError
from tocsin.directory.importers.table import read_table
from tocsin.directory.text import normalize

# Accepted headers (accent- and case-free) for each field.
COLUMNS = {
    "last_name": {"nom", "nom de naissance", "nom d usage"},
    "first_name": {"prenom"},
    "birth_date": {"date de naissance", "naissance", "ne le", "nee le"},
    "address": {"adresse"},
    "commune": {"commune", "code commune", "code insee", "insee", "ville"},
    "phone": {"telephone", "tel", "portable", "telephone portable"},
    "needs": {"besoins", "besoin"},
    "emergency_contact": {"personne a prevenir", "contact d urgence", "aidant"},
    "notes": {"consignes", "notes", "remarques"},
    "legal_basis": {"base legale", "consentement"},
    "basis_recorded_on": {"recueilli le", "date du consentement", "consentement le"},
}
REQUIRED = {"last_name": "Nom", "commune": "Commune", "phone": "Téléphone", "needs": "Besoins"}
NEED_WORDS = {
    Need.OXYGEN: ("oxygen", "o2"),
    Need.DIALYSIS: ("dialys",),
    Need.LIFE_DEVICE: ("appareil", "respirateur", "pompe", "ventilation"),
    Need.COLD_CHAIN: ("froid", "insulin", "cold"),
    Need.PALLIATIVE: ("palliati",),
    Need.HOME_CARE: ("ssiad", "had", "soins a domicile", "home"),
    Need.ISOLATED_ELDERLY: ("isole", "agee", "isolated"),
    Need.REDUCED_MOBILITY: ("mobilite", "pmr", "fauteuil", "mobility"),
}
BASIS_WORDS = {
    LegalBasis.CONSENT: ("consent", "oui", "9 2 a"),
    LegalBasis.CARE: ("soin", "prise en charge", "9 2 h"),
    LegalBasis.VITAL_INTEREST: ("vita", "9 2 c"),
}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%y")
# One professional's own patients: a longer file is someone else's list (a whole register).
MAX_ROWS = 2_000


@dataclass
class Report:
    rows: list[dict] = field(default_factory=list)  # (line, values) ready to save
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, French reason)
    missing_columns: list[str] = field(default_factory=list)


def read_patients(stream, filename, communes) -> Report:
    """`communes` maps INSEE codes and accent-free names of the territory to commune ids."""
    table = read_table(stream, filename)
    columns = _columns(table.headers)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        labels = ", ".join(f"« {REQUIRED[name]} »" for name in missing)
        raise FatalImportError(f"Colonnes obligatoires absentes : {labels}. Rien n'est importé.")
    report = Report()
    seen = set()
    for line, raw in table.rows:
        if len(report.rows) + len(report.rejected) >= MAX_ROWS:
            raise FatalImportError(
                f"Plus de {MAX_ROWS} lignes : n'importez que vos propres patients. Rien n'est "
                "importé."
            )
        values = {name: raw.get(header, "").strip() for name, header in columns.items()}
        try:
            row = _row(values, communes)
        except ValueError as exc:
            report.rejected.append((line, str(exc)))
            continue
        key = (normalize(row["last_name"]), row["birth_date"], row["phone"])
        if key in seen:
            report.rejected.append((line, "Doublon d'une ligne précédente du fichier."))
            continue
        seen.add(key)
        report.rows.append({"line": line, **row})
    return report


def _columns(headers) -> dict[str, str]:
    found = {}
    for header in headers:
        for name, accepted in COLUMNS.items():
            if normalize(header) in accepted and name not in found:
                found[name] = header
    return found


def _row(values, communes) -> dict:
    if not values["last_name"]:
        raise ValueError("Nom manquant.")
    commune = communes.get(values["commune"]) or communes.get(normalize(values["commune"]))
    if commune is None:
        raise ValueError(f"Commune « {values['commune']} » hors du territoire de la CPTS.")
    needs = _needs(values["needs"])
    recorded = _date(values.get("basis_recorded_on", ""), "Date du consentement") or (
        timezone.localdate()
    )
    return {
        "last_name": values["last_name"],
        "first_name": values.get("first_name", ""),
        "birth_date": _date(values.get("birth_date", ""), "Date de naissance"),
        "address": values.get("address", ""),
        "commune_id": commune,
        "phone": _phone(values["phone"]),
        "needs": needs,
        "emergency_contact": values.get("emergency_contact", ""),
        "notes": values.get("notes", ""),
        "legal_basis": _basis(values.get("legal_basis", "")),
        "basis_recorded_on": recorded,
    }


def _needs(text) -> list[str]:
    parts = [normalize(p) for p in text.replace("|", ",").replace("/", ",").replace("+", ",")
             .split(",") if p.strip()]  # fmt: skip
    if not parts:
        raise ValueError("Aucun besoin indiqué (oxygène, dialyse, insuline, isolement…).")
    needs = []
    for part in parts:
        need = next((n for n, words in NEED_WORDS.items()
                     if part == n.value or any(w in part for w in words)), None)  # fmt: skip
        if need is None:
            raise ValueError(f"Besoin non reconnu : « {part} ».")
        if need.value not in needs:
            needs.append(need.value)
    return needs


def _basis(text) -> str:
    value = normalize(text)
    if not value:
        return LegalBasis.CARE
    for basis, words in BASIS_WORDS.items():
        if value == basis.value or any(w in value for w in words):
            return basis.value
    raise ValueError(f"Base légale non reconnue : « {text} » (consentement, soins, vital).")


def _date(text, label) -> datetime.date | None:
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(text.split(" ")[0], pattern).date()
        except ValueError:
            continue
        if day > timezone.localdate():
            raise ValueError(f"{label} dans le futur : « {text} ».")
        return day
    raise ValueError(f"{label} illisible : « {text} » (attendu JJ/MM/AAAA).")


def _phone(text) -> str:
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"Téléphone illisible : « {text} ».") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"Téléphone invalide : « {text} ».")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
