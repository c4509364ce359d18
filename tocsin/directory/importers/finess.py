"""Read the FINESS establishments file published on data.gouv.fr (etalab-cs1100507-stock-*.csv).

The file has no header: a metadata line (`finess;etalab;…`), one `structureet` row of 32
fields per establishment, then one `geolocalisation` row per establishment giving x and y in
the legal projection of its territory (Lambert-93 in metropolitan France, UTM overseas).
A position is matched against the establishments already kept, which holds because the file
lists every `structureet` row before the first `geolocalisation` row.
"""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from pyproj import CRS, Transformer

from tocsin.directory.importers.base import (
    FatalImportError,
    Rejected,
    decode_lines,
    reject_line,
)

STRUCTURE_FIELDS = (
    "structureet", "nofinesset", "nofinessej", "rs", "rslongue", "complrs", "compldistrib",
    "numvoie", "typvoie", "voie", "compvoie", "lieuditbp", "commune", "departement",
    "libdepartement", "ligneacheminement", "telephone", "telecopie", "categetab", "libcategetab",
    "categagretab", "libcategagretab", "siret", "codeape", "codemft", "libmft", "codesph",
    "libsph", "dateouv", "dateautor", "datemaj", "numuai",
)  # fmt: skip
FIELD = {name: index for index, name in enumerate(STRUCTURE_FIELDS)}
FINESS_NUMBER = re.compile(r"(?:\d{2}|2[AB])\d{7}")
# FINESS writes overseas departments with a letter where INSEE writes a third digit.
OVERSEAS_DEPARTMENTS = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9E": "975",
                        "9F": "976"}  # fmt: skip
LAMBERT_93 = 2154
# The source field ends with the projection (`1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93`):
# overseas establishments are in UTM, and reading them as Lambert-93 would put them at sea.
PROJECTIONS = {"LAMBERT_93": LAMBERT_93, "UTM_N20": 5490, "UTM_N21": 4467, "UTM_N22": 2972,
               "UTM_S38": 4471, "UTM_S40": 2975}  # fmt: skip


@dataclass
class FinessEstablishment:
    line: int
    finess_et: str
    finess_ej: str
    name: str
    category_code: str
    category_label: str
    address: str
    postal_code: str
    city: str
    insee_code: str
    phone: str
    siret: str
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class FinessResult:
    establishments: list[FinessEstablishment]
    rejected: list[Rejected]
    lines_read: int


def parse_finess(
    binary_stream: Iterable[bytes],
    insee_codes: set[str] | None = None,
    categories: set[str] | None = None,
) -> FinessResult:
    """Establishments of the given communes and categories (all of them when None).

    Raises FatalImportError when the file is not a FINESS stock file. Reads the file once,
    keeping in memory only the establishments asked for.
    """
    lines = decode_lines(binary_stream)
    check_first_line(next(lines, None))
    reader = FinessReader(insee_codes, categories)
    lines_read = 1
    for number, text in lines:
        reader.read(number, text)
        lines_read = number
    return FinessResult(list(reader.kept.values()), reader.rejected, lines_read)


def check_first_line(first: tuple[int, str] | None) -> None:
    if first is None:
        raise FatalImportError("Le fichier est vide.")
    if not first[1].startswith("finess;"):
        raise FatalImportError(
            "Ce fichier n'est pas l'extraction FINESS attendue : sa première ligne devrait "
            "commencer par « finess; » (fichier etalab-cs1100507-stock-….csv)."
        )


class FinessReader:
    """Reads the rows one by one, keeping the wanted establishments and the rejected lines."""

    def __init__(self, insee_codes: set[str] | None, categories: set[str] | None):
        self.insee_codes = insee_codes
        self.categories = categories
        # A row too broken to read its commune may still be told apart by its FINESS
        # number, whose first two characters are the department.
        self.departments = None if insee_codes is None else {code[:2] for code in insee_codes}
        self.kept: dict[str, FinessEstablishment] = {}
        self.rejected: list[Rejected] = []
        self.projector = Projector()

    def read(self, number: int, text: str) -> None:
        fields = text.split(";")
        if fields[0] == "structureet":
            self.read_structure(number, text, fields)
        elif fields[0] == "geolocalisation":
            self.read_geolocation(number, text, fields)
        elif text.strip():
            self.reject(number, f"Type de ligne inconnu : « {fields[0][:40]} ».", text)

    def reject(self, number: int, reason: str, text: str) -> None:
        self.rejected.append(reject_line(number, reason, text))

    def read_structure(self, number: int, text: str, fields: list[str]) -> None:
        if len(fields) != len(STRUCTURE_FIELDS):
            if self.may_concern(fields[1] if len(fields) > 1 else ""):
                reason = f"La ligne compte {len(fields)} champs au lieu de {len(STRUCTURE_FIELDS)}."
                self.reject(number, reason, text)
            return
        if not self.wanted(fields):
            return
        establishment = read_establishment(number, fields)
        problem = self.number_problem(establishment.finess_et)
        if problem:
            self.reject(number, problem, text)
        else:
            self.kept[establishment.finess_et] = establishment

    def wanted(self, fields: list[str]) -> bool:
        insee = insee_code(fields[FIELD["departement"]].strip(), fields[FIELD["commune"]].strip())
        category = fields[FIELD["categetab"]].strip()
        return (self.insee_codes is None or insee in self.insee_codes) and (
            self.categories is None or category in self.categories
        )

    def may_concern(self, finess: str) -> bool:
        if self.departments is None or not FINESS_NUMBER.fullmatch(finess):
            return True
        return finess[:2] in self.departments

    def number_problem(self, finess: str) -> str:
        if not finess:
            return "Numéro FINESS de l'établissement manquant."
        if not FINESS_NUMBER.fullmatch(finess):
            return (
                f"Numéro FINESS de l'établissement invalide : « {finess} » (9 caractères attendus)."
            )
        if finess in self.kept:
            return f"L'établissement {finess} figure déjà à la ligne {self.kept[finess].line}."
        return ""

    def read_geolocation(self, number: int, text: str, fields: list[str]) -> None:
        finess = fields[1].strip() if len(fields) > 1 else ""
        establishment = self.kept.get(finess)
        if establishment is None:
            # Rows of establishments not kept are expected by the hundred thousand.
            if not FINESS_NUMBER.fullmatch(finess):
                self.reject(number, "Ligne de géolocalisation sans numéro FINESS valide.", text)
            return
        if len(fields) < 4:
            self.reject(number, f"Ligne de géolocalisation incomplète pour {finess}.", text)
            return
        problem = self.locate(establishment, fields)
        if problem:
            self.reject(number, problem, text)

    def locate(self, establishment: FinessEstablishment, fields: list[str]) -> str:
        """Sets the WGS84 position; answers why it could not, or an empty string."""
        x_text, y_text = fields[2].strip(), fields[3].strip()
        if not x_text and not y_text:
            return ""  # no known position is a normal state, not an error
        source = fields[4] if len(fields) > 4 else ""
        quoted = f"x « {x_text} », y « {y_text} »"
        try:
            position = self.projector.to_wgs84(x_text, y_text, source)
        except ValueError:
            return (
                f"Coordonnées illisibles pour l'établissement {establishment.finess_et} : {quoted}."
            )
        if position is None:
            return (
                f"Coordonnées hors du territoire de leur projection pour l'établissement "
                f"{establishment.finess_et} : {quoted}."
            )
        establishment.latitude, establishment.longitude = position
        return ""


class Projector:
    """Converts projected coordinates to WGS84, with one transformer per projection met."""

    def __init__(self):
        self.projections: dict[int, tuple[Transformer, tuple]] = {}

    def to_wgs84(self, x_text: str, y_text: str, source: str) -> tuple[float, float] | None:
        """(latitude, longitude), or None off the projection's area; ValueError if unreadable."""
        x, y = float(x_text.replace(",", ".")), float(y_text.replace(",", "."))
        if not (math.isfinite(x) and math.isfinite(y)):
            raise ValueError("coordinates must be finite numbers")
        transformer, (west, south, east, north) = self.projection(source)
        longitude, latitude = transformer.transform(x, y)
        if not (west <= longitude <= east and south <= latitude <= north):
            return None  # also catches the infinities PROJ answers far off its domain
        return round(latitude, 6), round(longitude, 6)

    def projection(self, source: str) -> tuple[Transformer, tuple]:
        epsg = PROJECTIONS.get(source.rsplit(",", 1)[-1].strip().upper(), LAMBERT_93)
        if epsg not in self.projections:
            crs = CRS.from_epsg(epsg)
            transformer = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
            self.projections[epsg] = (transformer, crs.area_of_use.bounds)
        return self.projections[epsg]


def read_establishment(number: int, fields: list[str]) -> FinessEstablishment:
    value = dict(zip(STRUCTURE_FIELDS, (field.strip() for field in fields), strict=True))
    postal_code, city = split_delivery_line(value["ligneacheminement"])
    return FinessEstablishment(
        line=number,
        finess_et=value["nofinesset"],
        finess_ej=value["nofinessej"],
        name=value["rslongue"] or value["rs"],
        category_code=value["categetab"],
        category_label=value["libcategetab"],
        address=street_address(value),
        postal_code=postal_code,
        city=city,
        insee_code=insee_code(value["departement"], value["commune"]),
        phone=value["telephone"],
        siret=value["siret"],
    )


def insee_code(department: str, commune: str) -> str:
    """INSEE code of the commune from FINESS's department and three-digit commune number."""
    if not department or not commune:
        return ""
    if department in OVERSEAS_DEPARTMENTS:
        return OVERSEAS_DEPARTMENTS[department] + commune[-2:]
    return department.zfill(2) + commune.zfill(3)


def street_address(value: dict[str, str]) -> str:
    # compvoie is the repetition index (B for bis, T for ter): French addresses write it
    # right after the number, "12 B RUE …".
    parts = ("numvoie", "compvoie", "typvoie", "voie", "lieuditbp")
    return " ".join(" ".join(value[part] for part in parts).split())


def split_delivery_line(text: str) -> tuple[str, str]:
    """("44210", "PORNIC") from "44210 PORNIC"; no postal code if the line starts otherwise."""
    if text[:5].isdigit() and text[:5].isascii():
        return text[:5], text[5:].strip()
    return "", text
