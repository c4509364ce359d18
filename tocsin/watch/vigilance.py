"""Read the Météo-France vigilance map (DonneesPubliquesVigilance, cartevigilance/encours).

Shape: product.update_time, product.periods[] (echeance J or J1, begin/end_validity_time),
each with timelaps.domain_ids[] (domain_id, max_color_id, phenomenon_items[] with
phenomenon_id, phenomenon_max_color_id and timelaps_items[] of begin_time, end_time,
color_id). A domain is a département (« 44 ») or its coast (« 4410 »). Colours run from
1 (vert) to 4 (rouge).
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tocsin.core.errors import DomainError

PARIS = ZoneInfo("Europe/Paris")
PHENOMENA = {
    "1": "vent violent",
    "2": "pluie-inondation",
    "3": "orages",
    "4": "crues",
    "5": "neige-verglas",
    "6": "canicule",
    "7": "grand froid",
    "8": "avalanches",
    "9": "vagues-submersion",
}
COLOURS = {1: "verte", 2: "jaune", 3: "orange", 4: "rouge"}
PERIODS = {"J": 0, "J1": 1}


@dataclass(frozen=True)
class VigilanceItem:
    domain: str
    department: str
    phenomenon: str  # "1" to "9"
    colour: int  # 1 to 4
    period: str  # "J" or "J1"
    day: date  # the day the period covers, in Paris time
    onset: datetime | None
    expires: datetime | None

    @property
    def key(self) -> str:
        """The same phenomenon on the same domain for the same day, whichever bulletin says so."""
        return f"{self.domain}:{self.phenomenon}:{self.day.isoformat()}"

    @property
    def is_coastal(self) -> bool:
        return len(self.domain) == 4

    @property
    def phenomenon_label(self) -> str:
        return PHENOMENA.get(self.phenomenon, f"phénomène {self.phenomenon}")

    @property
    def colour_label(self) -> str:
        return COLOURS[self.colour]


@dataclass(frozen=True)
class VigilanceMap:
    updated_at: datetime
    items: tuple[VigilanceItem, ...]  # every colour, green included, for the given départements


def parse_vigilance(data: bytes, departments, max_bytes: int) -> VigilanceMap:
    """The map's phenomena for `departments` (their coasts included)."""
    if len(data) > max_bytes:
        raise DomainError(
            f"La carte de vigilance fait {len(data) // 1024} Ko : "
            f"la limite est de {max_bytes // 1024} Ko."
        )
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DomainError("La carte de vigilance reçue n'est pas un JSON lisible.") from exc
    try:
        product = document["product"]
        updated_at = _datetime(product["update_time"])
        periods = list(product["periods"])
    except (KeyError, TypeError, ValueError) as exc:
        raise DomainError(
            "Ce JSON n'a pas la forme d'une carte de vigilance Météo-France "
            "(champs product.update_time et product.periods attendus)."
        ) from exc
    wanted = set(departments)
    items = []
    for period in periods:
        try:
            items += _period_items(period, updated_at, wanted)
        except (KeyError, TypeError, ValueError) as exc:
            field = f"« {exc.args[0]} » " if isinstance(exc, KeyError) else ""
            raise DomainError(
                f"Carte de vigilance mal formée (échéance {_echeance(period)}) : "
                f"champ {field}absent ou invalide."
            ) from exc
    return VigilanceMap(updated_at=updated_at, items=tuple(items))


def department_of(domain: str) -> str:
    """« 4410 » (the coast of Loire-Atlantique) → « 44 »; « 2A10 » → « 2A »."""
    return domain[:2] if len(domain) == 4 else domain


def _echeance(period) -> str:
    return str(period.get("echeance", "?")) if isinstance(period, dict) else "?"


def _period_items(period: dict, updated_at: datetime, wanted: set[str]) -> list[VigilanceItem]:
    echeance = str(period["echeance"])
    if echeance not in PERIODS:
        return []
    begin = period.get("begin_validity_time")
    if begin:
        day = _datetime(begin).astimezone(PARIS).date()
    else:
        day = updated_at.astimezone(PARIS).date() + timedelta(days=PERIODS[echeance])
    items = []
    for domain in period["timelaps"]["domain_ids"]:
        domain_id = str(domain["domain_id"])
        if department_of(domain_id) not in wanted:
            continue
        for phenomenon in domain.get("phenomenon_items") or []:
            items.append(_item(domain_id, phenomenon, echeance, day, period))
    return items


def _item(domain_id, phenomenon: dict, echeance: str, day: date, period: dict) -> VigilanceItem:
    colour = int(phenomenon["phenomenon_max_color_id"])
    if colour not in COLOURS:
        raise ValueError("phenomenon_max_color_id")
    coloured = [t for t in phenomenon.get("timelaps_items") or [] if int(t.get("color_id", 1)) >= 2]
    onset = min((_datetime(t["begin_time"]) for t in coloured), default=None)
    expires = max((_datetime(t["end_time"]) for t in coloured), default=None)
    return VigilanceItem(
        domain=domain_id,
        department=department_of(domain_id),
        phenomenon=str(phenomenon["phenomenon_id"]),
        colour=colour,
        period=echeance,
        day=day,
        onset=onset or _optional_datetime(period.get("begin_validity_time")),
        expires=expires or _optional_datetime(period.get("end_validity_time")),
    )


def _datetime(text: str) -> datetime:
    value = datetime.fromisoformat(str(text))
    if value.tzinfo is None:
        raise ValueError(text)
    return value


def _optional_datetime(text) -> datetime | None:
    return _datetime(text) if text else None
