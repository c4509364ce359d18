"""Read the RPPS extraction of the Annuaire Santé (PS_LibreAcces_Personne_activite_*.txt).

One row per activity of a health professional (a person practising in two places has two
rows), `|`-separated with a trailing `|`, one header row, about two million rows nationally.
A CPTS needs a few hundred of them, so rows outside its communes are dropped after comparing
a single field, before anything else is decoded or built.
"""

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tocsin.directory.importers.base import (
    UTF8_BOM,
    FatalImportError,
    LineDecoder,
    Rejected,
    reject_line,
)

REQUIRED_COLUMNS = {
    "rpps_id": "Identifiant PP",
    "last_name": "Nom d'exercice",
    "first_name": "Prénom d'exercice",
    "profession_code": "Code profession",
    "profession_label": "Libellé profession",
    "insee_code": "Code commune (coord. structure)",
}
OPTIONAL_COLUMNS = {
    "skill_code": "Code savoir-faire",
    "skill_label": "Libellé savoir-faire",
    "practice_mode": "Code mode exercice",
    "finess_site": "Numéro FINESS site",
    "organisation_name": "Raison sociale site",
    "postal_code": "Code postal (coord. structure)",
    "city": "Libellé commune (coord. structure)",
    "phone": "Téléphone (coord. structure)",
    "email": "Adresse e-mail (coord. structure)",
}
RPPS_ID_LENGTH = 11


@dataclass(frozen=True)
class RppsActivity:
    line: int
    rpps_id: str
    last_name: str
    first_name: str
    profession_code: str
    profession_label: str
    skill_code: str
    skill_label: str
    practice_mode: str
    finess_site: str
    organisation_name: str
    postal_code: str
    insee_code: str
    city: str
    phone: str
    email: str


@dataclass(frozen=True)
class Layout:
    """Where each attribute of RppsActivity sits in a row (None: column absent)."""

    indexes: dict[str, int | None]
    field_count: int


def iter_rpps(
    binary_stream: Iterable[bytes], insee_codes: set[str] | None, rejected: list[Rejected]
) -> Iterator[RppsActivity]:
    """Activities located in the given communes (all of them when None), lazily.

    The header is read at once, so a file missing a required column raises FatalImportError
    here rather than at the first iteration. Malformed rows of the territory are appended to
    `rejected` as the iteration reaches them.
    """
    lines = iter(binary_stream)
    decoder = LineDecoder()
    header = next(lines, None)
    if header is None:
        raise FatalImportError("Le fichier est vide.")
    layout = read_layout(decoder.decode(header.removeprefix(UTF8_BOM)))
    return iter_activities(lines, layout, insee_codes, rejected, decoder)


def normalise_header(name: str) -> str:
    """Header names compare equal whatever their accents, case, apostrophes and spacing."""
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def read_layout(header: str) -> Layout:
    names = split_row(header)
    positions = {normalise_header(name): index for index, name in enumerate(names)}
    missing = [
        label for label in REQUIRED_COLUMNS.values() if normalise_header(label) not in positions
    ]
    if missing:
        raise FatalImportError(
            "Ce fichier n'est pas l'extraction RPPS attendue : colonnes obligatoires absentes : "
            + ", ".join(f"« {label} »" for label in missing)
            + "."
        )
    columns = REQUIRED_COLUMNS | OPTIONAL_COLUMNS
    indexes = {attr: positions.get(normalise_header(label)) for attr, label in columns.items()}
    return Layout(indexes=indexes, field_count=len(names))


def split_row(text: str) -> list[str]:
    # Every line ends with "|", which would otherwise add an empty last field.
    return text.removesuffix("|").split("|")


def iter_activities(
    lines: Iterator[bytes],
    layout: Layout,
    insee_codes: set[str] | None,
    rejected: list[Rejected],
    decoder: LineDecoder,
) -> Iterator[RppsActivity]:
    commune = layout.indexes["insee_code"]
    # Compared as bytes: "|" and the digits of a commune code are ASCII in both encodings,
    # so rows of other communes are never decoded.
    wanted = None if insee_codes is None else {code.encode("ascii") for code in insee_codes}
    for number, raw in enumerate(lines, start=2):
        if wanted is not None:
            head = raw.split(b"|", commune + 1)
            # A row too short to hold a commune cannot be attributed: read it to reject it.
            if len(head) > commune and head[commune] not in wanted:
                continue
        activity = read_activity(number, decoder.decode(raw), layout, rejected)
        if activity is not None:
            yield activity


def read_activity(
    number: int, text: str, layout: Layout, rejected: list[Rejected]
) -> RppsActivity | None:
    if not text.strip():
        return None
    fields = split_row(text)
    if len(fields) != layout.field_count:
        reason = f"La ligne compte {len(fields)} champs au lieu de {layout.field_count}."
        rejected.append(reject_line(number, reason, text))
        return None
    values = {
        attr: "" if index is None else fields[index].strip()
        for attr, index in layout.indexes.items()
    }
    problem = activity_problem(values)
    if problem:
        rejected.append(reject_line(number, problem, text))
        return None
    return RppsActivity(line=number, **values)


def activity_problem(values: dict[str, str]) -> str:
    rpps_id = values["rpps_id"]
    if not rpps_id:
        return "Identifiant RPPS manquant."
    if len(rpps_id) != RPPS_ID_LENGTH or not (rpps_id.isascii() and rpps_id.isdigit()):
        return f"Identifiant RPPS invalide : « {rpps_id} » ({RPPS_ID_LENGTH} chiffres attendus)."
    if not values["last_name"]:
        return "Nom d'exercice manquant."
    return ""
