"""The risk register of the territory: GéoRisques GASPAR import, starter health risks, and the
risk × resource analysis (who is exposed, what the exposed communes have, what is missing).
"""

import csv
import math
import secrets
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, FloatField, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from tocsin.core.audit import log_action
from tocsin.core.errors import DomainError
from tocsin.core.templatetags.humanize_fr import thousands
from tocsin.directory.enums import OrganisationKind
from tocsin.directory.importers.base import Rejected, decode_lines, reject_line
from tocsin.directory.models import Organisation
from tocsin.directory.text import normalize
from tocsin.resources.enums import EquipmentKind, ResourceStatus
from tocsin.resources.models import Capacity, Equipment, HumanResource, Premises, Stock
from tocsin.territory.enums import CrisisType, RiskSource
from tocsin.territory.models import Commune, Risk, TerritoryCommune
from tocsin.territory.services import INSEE_CODE

RiskCommune = Risk.communes.through

# ---------------------------------------------------------------------------------------------
# GASPAR import

GASPAR_COLUMNS = ("cod_commune", "lib_commune", "num_risque", "lib_risque")
DETAILS_HEADING = "Détail GASPAR :"
# Enough to find a systematic mistake; a national file must not fill the page or the memory.
MAX_REJECTED = 500


@dataclass(frozen=True)
class GasparFamily:
    name: str
    crisis_type: int
    is_major: bool = True


# GASPAR gives detailed numbers (112 crue lente, 117 submersion marine…): the first two digits
# are the family, and the register holds one risk per family. Natural hazards hit the care
# offer (access, power, premises); industrial accidents bring casualties; nuclear and
# hazardous-material transport accidents are NRC. Radon is a chronic exposure, not a crisis:
# kept for the diagnosis, as a radiological risk that is not major.
GASPAR_FAMILIES = {
    "11": GasparFamily("Inondation", CrisisType.CARE_DISRUPTION),
    "12": GasparFamily("Mouvement de terrain", CrisisType.CARE_DISRUPTION),
    "13": GasparFamily("Séisme", CrisisType.CARE_DISRUPTION),
    "16": GasparFamily("Feu de forêt", CrisisType.CARE_DISRUPTION),
    "17": GasparFamily("Phénomène atmosphérique", CrisisType.CARE_DISRUPTION),
    "18": GasparFamily("Radon", CrisisType.NRBC, is_major=False),
    "21": GasparFamily("Risque industriel", CrisisType.MASS_CASUALTIES),
    "22": GasparFamily("Risque nucléaire", CrisisType.NRBC),
    "23": GasparFamily("Rupture de barrage", CrisisType.CARE_DISRUPTION),
    "24": GasparFamily("Transport de matières dangereuses", CrisisType.NRBC),
}


@dataclass
class GasparReport:
    """What an import did, shown to the coordinator and written to the audit trail."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    communes_linked: int = 0  # new (risk, commune) exposures
    outside_territory: int = 0
    rows: int = 0
    rejected_count: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def reject(self, rejected: Rejected) -> None:
        self.rejected_count += 1
        if len(self.rejected) < MAX_REJECTED:
            self.rejected.append(rejected)

    @property
    def counts(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "communes_linked": self.communes_linked,
            "outside_territory": self.outside_territory,
            "rejected": self.rejected_count,
        }


@dataclass
class _Family:
    """The rows of one risk family kept from the file."""

    communes: set = field(default_factory=set)  # Commune ids
    details: dict = field(default_factory=dict)  # detailed GASPAR number → label

    def detail_lines(self) -> list[str]:
        return [
            f"{code} — {label}" if label else code for code, label in sorted(self.details.items())
        ]


def import_gaspar(actor, cpts, binary_stream) -> GasparReport:
    """Add the GASPAR risks of the territory's communes to the register, in one transaction.

    The file adds and never removes: the communes it names are linked to their risk and the
    detailed hazards missing from the description are appended; the name, crisis type and
    major flag stay as the CPTS set them. Re-importing the same file changes nothing.
    """
    report = GasparReport()
    territory = dict(
        TerritoryCommune.objects.for_cpts(cpts).values_list("commune__insee_code", "commune_id")
    )
    families = _read_gaspar(binary_stream, territory, report)
    with transaction.atomic():
        _save_families(cpts, families, report)
        log_action(actor, cpts, "territory.risks.imported", data=report.counts)
    return report


def _read_gaspar(binary_stream, territory: dict, report: GasparReport) -> dict[str, _Family]:
    lines = ((n, text) for n, text in decode_lines(binary_stream) if text.strip())
    _check_header(next(lines, None))
    families = defaultdict(_Family)
    for number, text in lines:
        report.rows += 1
        row = _gaspar_row(number, text, territory)
        if isinstance(row, Rejected):
            report.reject(row)
        elif row is None:
            report.outside_territory += 1
        else:
            commune_id, risk_number, label = row
            family = families[risk_number[:2]]
            family.communes.add(commune_id)
            if len(risk_number) > 2:
                family.details.setdefault(risk_number, label)
    return families


def _check_header(first) -> None:
    if first is None:
        raise DomainError("Le fichier est vide : rien n'a été importé.")
    found = [normalize(value) for value in _split(first[1])]
    if found != [normalize(column) for column in GASPAR_COLUMNS]:
        raise DomainError(
            "Ce fichier n'a pas l'en-tête d'un fichier GASPAR : la première ligne doit être "
            "« cod_commune;lib_commune;num_risque;lib_risque ». Rien n'a été importé."
        )


def _split(text: str) -> list[str]:
    values = next(csv.reader([text], delimiter=";"))
    while len(values) > len(GASPAR_COLUMNS) and not values[-1].strip():
        values.pop()  # a trailing « ; » left by a spreadsheet
    return values


def _gaspar_row(number: int, text: str, territory: dict):
    """(commune id, risk number, label); a Rejected; or None for a commune outside the territory.

    The risk number is only checked for the territory's rows: the rest of a national file is
    not ours to correct.
    """
    values = _split(text)
    if len(values) != len(GASPAR_COLUMNS):
        reason = f"Nombre de champs incorrect : {len(values)} au lieu de 4."
        return reject_line(number, reason, text)
    code, _name, risk_number, label = (value.strip() for value in values)
    code = code.upper()  # Corsica: 2A004
    if not INSEE_CODE.match(code):
        reason = f"Code commune mal formé : « {code} » (5 caractères attendus, ex. 44131)."
        return reject_line(number, reason, text)
    if code not in territory:
        return None
    if not risk_number:
        return reject_line(number, "Numéro de risque manquant.", text)
    if not risk_number.isdigit() or risk_number[:2] not in GASPAR_FAMILIES:
        known = ", ".join(GASPAR_FAMILIES)
        reason = f"Numéro de risque inconnu : « {risk_number} » (familles connues : {known})."
        return reject_line(number, reason, text)
    return territory[code], risk_number, label


def _save_families(cpts, families: dict[str, _Family], report: GasparReport) -> None:
    risks = {r.code: r for r in Risk.objects.for_cpts(cpts).filter(code__in=list(families))}
    linked = set(
        RiskCommune.objects.filter(risk__in=list(risks.values())).values_list(
            "risk_id", "commune_id"
        )
    )
    links = []
    for code, family in sorted(families.items()):
        risk = risks.get(code) or _create_gaspar_risk(cpts, code, family, report)
        new = sorted(c for c in family.communes if (risk.pk, c) not in linked)
        if code in risks:
            _refresh_gaspar_risk(risk, family, bool(new), report)
        links.extend(RiskCommune(risk_id=risk.pk, commune_id=c) for c in new)
    RiskCommune.objects.bulk_create(links)
    report.communes_linked = len(links)


def _create_gaspar_risk(cpts, code: str, family: _Family, report: GasparReport) -> Risk:
    spec = GASPAR_FAMILIES[code]
    report.created += 1
    return Risk.objects.create(
        cpts=cpts,
        code=code,
        name=spec.name,
        source=RiskSource.GASPAR,
        crisis_type=spec.crisis_type,
        is_major=spec.is_major,
        description=merge_details("", family.detail_lines()),
    )


def _refresh_gaspar_risk(risk, family: _Family, has_new_communes: bool, report) -> None:
    description = merge_details(risk.description, family.detail_lines())
    if description == risk.description and not has_new_communes:
        report.unchanged += 1
        return
    risk.description = description
    risk.save(update_fields=["description", "updated_at"])
    report.updated += 1


def merge_details(description: str, lines: list[str]) -> str:
    """The description with the GASPAR detail lines it lacks appended; what was typed stays."""
    missing = [line for line in lines if line not in description]
    if not missing:
        return description
    parts = [description.rstrip()] if description.strip() else []
    if DETAILS_HEADING not in description:
        parts.append(DETAILS_HEADING)
    return "\n".join([*parts, *missing])


# ---------------------------------------------------------------------------------------------
# Health risks GASPAR does not hold


@dataclass(frozen=True)
class HealthRisk:
    code: str
    name: str
    crisis_type: int
    description: str


HEALTH_RISKS = (
    HealthRisk(
        "sante.canicule", "Canicule", CrisisType.MANY_SICK,
        "Vague de chaleur (vigilance Météo-France) : déshydratation et décompensation des "
        "personnes âgées, isolées ou atteintes de maladies chroniques.",
    ),
    HealthRisk(
        "sante.grand_froid", "Grand froid", CrisisType.MANY_SICK,
        "Froid intense : hypothermies, intoxications au monoxyde de carbone, décompensations.",
    ),
    HealthRisk(
        "sante.epidemie", "Épidémie saisonnière", CrisisType.MANY_SICK,
        "Grippe, bronchiolite, gastro-entérite : afflux de malades en ville et à l'hôpital.",
    ),
    HealthRisk(
        "sante.nouvel_agent", "Nouvel agent infectieux", CrisisType.NEW_AGENT,
        "Agent émergent pouvant imposer une campagne de vaccination exceptionnelle.",
    ),
    HealthRisk(
        "sante.nrbc", "Risque NRBC", CrisisType.NRBC,
        "Exposition à un agent nucléaire, radiologique, biologique ou chimique (accident, "
        "attentat) : décontamination et prise en charge spécifique.",
    ),
    HealthRisk(
        "sante.penurie", "Pénurie de produits de santé", CrisisType.CARE_DISRUPTION,
        "Rupture d'approvisionnement en médicaments, vaccins ou dispositifs médicaux.",
    ),
    HealthRisk(
        "sante.panne", "Panne électrique ou de réseau", CrisisType.CARE_DISRUPTION,
        "Coupure d'électricité, de téléphone ou d'internet : patients dépendants d'un appareil, "
        "logiciels métier, télétransmission.",
    ),
    HealthRisk(
        "sante.cyberattaque", "Cyberattaque", CrisisType.CARE_DISRUPTION,
        "Attaque informatique contre un établissement ou des cabinets : dossiers patients et "
        "logiciels indisponibles.",
    ),
)  # fmt: skip


def add_health_risks(actor, cpts) -> int:
    """Create the starter health risks missing from the register; returns how many.

    Each exposes every commune of the territory; running it again also exposes the communes
    added to the territory since, and changes nothing else.
    """
    known = {
        r.code: r
        for r in Risk.objects.for_cpts(cpts).filter(code__in=[h.code for h in HEALTH_RISKS])
    }
    missing = [h for h in HEALTH_RISKS if h.code not in known]
    communes = list(TerritoryCommune.objects.for_cpts(cpts).values_list("commune_id", flat=True))
    with transaction.atomic():
        created = [_create_health_risk(cpts, spec) for spec in missing]
        links = _expose(list(known.values()), communes) + _expose(created, communes)
        if created or links:
            names = ", ".join(r.name for r in created) or "aucun nouveau risque"
            data = {"created": len(created), "names": names, "links": links}
            log_action(actor, cpts, "territory.health_risks.added", data=data)
    return len(created)


def _create_health_risk(cpts, spec: HealthRisk) -> Risk:
    return Risk.objects.create(
        cpts=cpts,
        code=spec.code,
        name=spec.name,
        source=RiskSource.HEALTH,
        crisis_type=spec.crisis_type,
        description=spec.description,
    )


def _expose(risks: list[Risk], commune_ids: list[int]) -> int:
    """Link each risk to each commune it lacks; returns the number of new links."""
    if not risks:
        return 0
    linked = set(RiskCommune.objects.filter(risk__in=risks).values_list("risk_id", "commune_id"))
    links = [
        RiskCommune(risk_id=risk.pk, commune_id=commune_id)
        for risk in risks
        for commune_id in commune_ids
        if (risk.pk, commune_id) not in linked
    ]
    RiskCommune.objects.bulk_create(links)
    return len(links)


# ---------------------------------------------------------------------------------------------
# Risks entered by hand


def save_risk(actor, form) -> Risk:
    """Create or update the risk of a bound, valid RiskForm."""
    created = form.instance.pk is None
    if created:
        # Risks typed by the CPTS have no public number: a code that cannot meet GASPAR's.
        form.instance.code = f"autre.{secrets.token_hex(4)}"
        form.instance.source = RiskSource.OTHER
    with transaction.atomic():
        risk = form.save()
        verb = "created" if created else "updated"
        data = {"fields": form.changed_data}
        log_action(actor, risk.cpts, f"territory.risk.{verb}", risk, data)
    return risk


def delete_risk(actor, risk: Risk) -> None:
    """Remove a risk; a ProtectedError (a plan's fiche points at it) leaves everything as is."""
    with transaction.atomic():
        log_action(actor, risk.cpts, "territory.risk.deleted", risk)
        risk.delete()


# ---------------------------------------------------------------------------------------------
# The register and the risk × resource analysis


def register(cpts) -> list[dict]:
    """The risks by ACI crisis type, each type listed even when empty (a gap in the plan).

    Each risk carries `commune_count` and `population` of its exposed territory communes.
    """
    in_territory = Q(communes__in=TerritoryCommune.objects.for_cpts(cpts).values("commune_id"))
    risks = Risk.objects.for_cpts(cpts).annotate(
        commune_count=Count("communes", filter=in_territory),
        population=Coalesce(Sum("communes__population", filter=in_territory), 0),
    )
    by_type = defaultdict(list)
    for risk in risks.order_by("crisis_type", "name", "pk"):
        by_type[risk.crisis_type].append(risk)
    return [{"number": t.value, "label": t.label, "risks": by_type[t.value]} for t in CrisisType]


# Starting heuristics, not norms: what a crisis of each type needs at least in the exposed
# communes. They are meant to be discussed and adjusted by the CPTS (COPIL); every threshold
# is below, and each rule reads as one line of this table.
MIN_VOLUNTEERS_PER_10K = 5
VACCINATION_CENTRE_CAPACITY = 100  # people
NEAR_KM = 20
LIMITS = {
    "min_volunteers": MIN_VOLUNTEERS_PER_10K,
    "centre_capacity": VACCINATION_CENTRE_CAPACITY,
    "near_km": NEAR_KM,
}


@dataclass(frozen=True)
class GapRule:
    crisis_types: tuple
    is_missing: Callable  # RiskExposure → bool
    sentence: str  # French, formatted with the exposure `e` and LIMITS


T = CrisisType
GAP_RULES = (
    GapRule(
        (T.MASS_CASUALTIES, T.NRBC),
        lambda e: not e.hospital_nearby,
        "Aucun centre hospitalier dans les communes exposées ni à moins de {near_km} km.",
    ),
    GapRule(
        (T.MASS_CASUALTIES, T.MANY_SICK, T.NEW_AGENT),
        lambda e: e.population and e.volunteers * 10_000 < MIN_VOLUNTEERS_PER_10K * e.population,
        "Moins de {min_volunteers} professionnels bénévoles pour 10\u202f000 habitants exposés "
        "({e.volunteers} pour {e.population_label} habitants).",
    ),
    GapRule(
        (T.MANY_SICK,),
        lambda e: not e.ehpad_places,
        "Aucune capacité recensée en EHPAD dans les communes exposées pour accueillir des "
        "personnes âgées.",
    ),
    GapRule(
        (T.NEW_AGENT,),
        lambda e: not e.large_premises,
        "Aucun local d'au moins {centre_capacity} personnes pour ouvrir un centre de vaccination.",
    ),
    GapRule(
        (T.NEW_AGENT,),
        lambda e: not e.equipment.get(EquipmentKind.VACCINE_FRIDGE),
        "Aucun réfrigérateur à vaccins recensé dans les communes exposées.",
    ),
    GapRule(
        (T.NRBC,),
        lambda e: not e.stocks,
        "Aucun stock (masques, équipements de protection) recensé dans les communes exposées.",
    ),
    GapRule(
        (T.CARE_DISRUPTION,),
        lambda e: not e.equipment.get(EquipmentKind.GENERATOR),
        "Aucun groupe électrogène recensé dans les communes exposées.",
    ),
    GapRule(
        (T.CARE_DISRUPTION,),
        lambda e: not e.powered_premises,
        "Aucun local alimenté en électricité pour accueillir les patients dépendants d'un "
        "appareil.",
    ),
    GapRule(
        (T.CARE_DISRUPTION,),
        lambda e: not e.organisations.get(OrganisationKind.PHARMACIE),
        "Aucune pharmacie dans les communes exposées pour assurer la continuité des traitements.",
    ),
)


@dataclass
class RiskExposure:
    """One risk: its exposed territory communes and what those communes have.

    Resources marked unavailable and expired stocks are left out: the territory does not have
    them. Equipment counts units (quantity); capacities are summed per establishment kind.
    """

    risk: Risk
    communes: list
    population: int
    organisations: dict  # OrganisationKind → count of establishments (no administrations)
    premises: int
    premises_capacity: int
    large_premises: int  # at least VACCINATION_CENTRE_CAPACITY people
    powered_premises: int
    volunteers: int
    stocks: int
    equipment: dict  # EquipmentKind → units
    places: dict  # OrganisationKind → capacity units (beds, places…) of its establishments
    hospital_nearby: bool
    gaps: list = field(default_factory=list)

    @property
    def population_label(self) -> str:
        return thousands(self.population)

    @property
    def ehpad_places(self) -> int:
        return self.places.get(OrganisationKind.EHPAD, 0)

    @property
    def organisation_kinds(self) -> list[tuple[str, int]]:
        return [
            (k.label, self.organisations[k]) for k in OrganisationKind if k in self.organisations
        ]

    @property
    def equipment_total(self) -> int:
        return sum(self.equipment.values())

    @property
    def equipment_kinds(self) -> list[tuple[str, int]]:
        return [(k.label, self.equipment[k]) for k in EquipmentKind if k in self.equipment]

    @property
    def places_total(self) -> int:
        return sum(self.places.values())


def exposure(cpts, risks=None) -> list[RiskExposure]:
    """The analysis of `risks` (Risk rows of `cpts`; default: the whole register).

    A fixed number of queries whatever the number of risks and communes: per-commune totals
    are read once, then added up in Python for each risk.
    """
    risks = list(Risk.objects.for_cpts(cpts) if risks is None else risks)
    communes = {
        c.pk: c
        for c in Commune.objects.filter(
            pk__in=TerritoryCommune.objects.for_cpts(cpts).values("commune_id")
        ).only("pk", "name", "insee_code", "population", "latitude", "longitude")
    }
    exposed = defaultdict(set)
    links = RiskCommune.objects.filter(
        risk__in=[r.pk for r in risks], commune_id__in=list(communes)
    )
    for risk_id, commune_id in links.values_list("risk_id", "commune_id"):
        exposed[risk_id].add(commune_id)
    facts = _facts_by_commune(cpts)
    hospitals = _hospital_points(cpts)
    return [
        _risk_exposure(risk, [communes[c] for c in exposed[risk.pk]], facts, hospitals)
        for risk in risks
    ]


def _risk_exposure(risk, communes, facts, hospitals) -> RiskExposure:
    totals = sum((facts[c.pk] for c in communes), Counter())
    found = RiskExposure(
        risk=risk,
        communes=sorted(communes, key=lambda c: c.name),
        population=sum(c.population for c in communes),
        organisations=_by_prefix(totals, "org"),
        premises=totals["premises"],
        premises_capacity=totals["premises_capacity"],
        large_premises=totals["large_premises"],
        powered_premises=totals["powered_premises"],
        volunteers=totals["volunteers"],
        stocks=totals["stocks"],
        equipment=_by_prefix(totals, "equipment"),
        places=_by_prefix(totals, "places"),
        hospital_nearby=bool(totals["org:ch"]) or _near(communes, hospitals),
    )
    found.gaps = _gaps(found)
    return found


def _gaps(found: RiskExposure) -> list[str]:
    if not found.risk.is_major:
        return []
    if not found.communes:
        return ["Aucune commune du territoire n'est rattachée à ce risque."]
    return [
        rule.sentence.format(e=found, **LIMITS)
        for rule in GAP_RULES
        if found.risk.crisis_type in rule.crisis_types and rule.is_missing(found)
    ]


def _by_prefix(totals: Counter, prefix: str) -> dict:
    start = f"{prefix}:"
    return {k.removeprefix(start): v for k, v in totals.items() if k.startswith(start) and v}


# Administrations are partners to alert, not means on the ground; every commune has a mairie.
NOT_ESTABLISHMENTS = (
    OrganisationKind.MAIRIE,
    OrganisationKind.ARS,
    OrganisationKind.PREFECTURE,
    OrganisationKind.CPAM,
)


def _facts_by_commune(cpts) -> dict[int, Counter]:
    """Per commune id: establishments by kind and the available resources, in six queries."""
    facts = defaultdict(Counter)
    organisations = (
        Organisation.objects.for_cpts(cpts)
        .filter(commune__isnull=False)
        .exclude(kind__in=NOT_ESTABLISHMENTS)
    )
    for row in organisations.values("commune", "kind").annotate(n=Count("pk")).order_by():
        facts[row["commune"]][f"org:{row['kind']}"] += row["n"]
    _add_premises(facts, cpts)
    _add_placed(facts, cpts)
    volunteers = _available(HumanResource, cpts).filter(contact__commune__isnull=False)
    for row in volunteers.values("contact__commune").annotate(n=Count("pk")).order_by():
        facts[row["contact__commune"]]["volunteers"] += row["n"]
    capacities = _available(Capacity, cpts).filter(owner__commune__isnull=False)
    rows = capacities.values("owner__commune", "owner__kind").annotate(n=Sum("quantity"))
    for row in rows.order_by():
        facts[row["owner__commune"]][f"places:{row['owner__kind']}"] += row["n"] or 0
    return facts


def _add_premises(facts, cpts) -> None:
    rows = (
        _available(Premises, cpts)
        .values("commune")
        .annotate(
            n=Count("pk"),
            seats=Coalesce(Sum("capacity"), 0),  # not `capacity`: that names the field
            large=Count("pk", filter=Q(capacity__gte=VACCINATION_CENTRE_CAPACITY)),
            powered=Count("pk", filter=Q(has_power_supply=True)),
        )
        .order_by()
    )
    for row in rows:
        commune = facts[row["commune"]]
        commune["premises"] += row["n"]
        commune["premises_capacity"] += row["seats"]
        commune["large_premises"] += row["large"]
        commune["powered_premises"] += row["powered"]


def _add_placed(facts, cpts) -> None:
    """Equipment and stocks sit in their own commune, else in their owner's."""
    place = Coalesce("commune", "owner__commune")
    equipment = _available(Equipment, cpts).annotate(place=place).filter(place__isnull=False)
    for row in equipment.values("place", "kind").annotate(n=Sum("quantity")).order_by():
        facts[row["place"]][f"equipment:{row['kind']}"] += row["n"] or 0
    today = timezone.localdate()
    stocks = _available(Stock, cpts).exclude(expiry_date__lt=today).annotate(place=place)
    stocks = stocks.filter(place__isnull=False).values("place")
    for row in stocks.annotate(n=Count("pk")).order_by():
        facts[row["place"]]["stocks"] += row["n"]


def _available(model, cpts):
    return model.objects.for_cpts(cpts).exclude(status=ResourceStatus.UNAVAILABLE)


def _hospital_points(cpts) -> list[tuple[float, float]]:
    """(latitude, longitude) of each hospital of the directory, else of its commune."""
    rows = (
        Organisation.objects.for_cpts(cpts)
        .filter(kind=OrganisationKind.CH)
        .annotate(
            lat=Coalesce("latitude", "commune__latitude", output_field=FloatField()),
            lon=Coalesce("longitude", "commune__longitude", output_field=FloatField()),
        )
        .filter(lat__isnull=False, lon__isnull=False)
    )
    return list(rows.values_list("lat", "lon"))


def _near(communes, points) -> bool:
    return any(
        _distance_km(c.latitude, c.longitude, lat, lon) <= NEAR_KM
        for c in communes
        if c.latitude is not None and c.longitude is not None
        for lat, lon in points
    )


def _distance_km(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance (haversine): precise enough to say « within 20 km »."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))
