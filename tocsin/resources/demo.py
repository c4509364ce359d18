"""Resources of the demo CPTS: premises, equipment, stocks, capacities and volunteers.

Idempotent: rows are found by name; one stock expires soon and one premises was never
checked, so the overview shows its flags.
"""

from datetime import timedelta

from django.utils import timezone

from tocsin.directory.enums import OrganisationKind
from tocsin.directory.models import Contact, Organisation
from tocsin.resources.enums import EquipmentKind, MissionKind, PremisesKind, ResourceStatus
from tocsin.resources.models import Capacity, Equipment, HumanResource, Premises, Stock
from tocsin.territory.selectors import territory_communes

# (name, kind, INSEE code, capacity, offset from the commune's point)
GYM, HALL, ROOM = (
    PremisesKind.GYMNASIUM,
    PremisesKind.MULTIPURPOSE_HALL,
    PremisesKind.MUNICIPAL_HALL,
)
PREMISES = [
    ("Gymnase de la Chaussée (démo)", GYM, "44131", 300, (-0.006, 0.004)),
    ("Salle polyvalente des Pins (démo)", HALL, "44154", 200, (0.004, 0.005)),
    ("Complexe sportif du Marais (démo)", GYM, "85047", 400, (-0.005, -0.006)),
    ("Salle municipale de l'Île (démo)", ROOM, "85163", 120, (0.003, -0.004)),
]


def load_resources_demo(cpts) -> None:
    today = timezone.localdate()
    communes = {c.insee_code: c for c in territory_communes(cpts)}
    organisations = Organisation.objects.for_cpts(cpts)
    hospital = organisations.filter(kind=OrganisationKind.CH).order_by("pk").first()
    pharmacy = organisations.filter(kind=OrganisationKind.PHARMACIE).order_by("pk").first()
    mairie = organisations.filter(kind=OrganisationKind.MAIRIE, commune__insee_code="44131").first()
    for index, (name, kind, code, capacity, (d_lat, d_lon)) in enumerate(PREMISES):
        commune = communes[code]
        Premises.objects.get_or_create(
            cpts=cpts,
            name=name,
            defaults={
                "kind": kind,
                "commune": commune,
                "capacity": capacity,
                "latitude": commune.latitude + d_lat,
                "longitude": commune.longitude + d_lon,
                "has_power_supply": index != 3,
                "owner": mairie if code == "44131" else None,
                "checked_on": None if index == 3 else today - timedelta(days=40),
                "access_notes": "Parking de 60 places, accès PMR par l'entrée nord.",
            },
        )
    _equipment_and_stocks(cpts, hospital, pharmacy, today)
    _capacities(cpts, organisations, today)
    _volunteers(cpts, today)


def _equipment_and_stocks(cpts, hospital, pharmacy, today):
    Equipment.objects.get_or_create(
        cpts=cpts,
        name="Groupe électrogène 20 kVA (démo)",
        defaults={"kind": EquipmentKind.GENERATOR, "owner": hospital, "checked_on": today},
    )
    Equipment.objects.get_or_create(
        cpts=cpts,
        name="Réfrigérateur à vaccins 2–8 °C (démo)",
        defaults={"kind": EquipmentKind.VACCINE_FRIDGE, "owner": pharmacy, "checked_on": today},
    )
    Stock.objects.get_or_create(
        cpts=cpts,
        name="Masques FFP2",
        defaults={"quantity": 2000, "unit": "masques", "owner": pharmacy,
                  "expiry_date": today + timedelta(days=45), "checked_on": today},
    )  # fmt: skip
    Stock.objects.get_or_create(
        cpts=cpts,
        name="Solution hydroalcoolique",
        defaults={"quantity": 150, "unit": "flacons de 500 ml", "owner": hospital,
                  "expiry_date": today + timedelta(days=400), "checked_on": today},
    )  # fmt: skip


def _capacities(cpts, organisations, today):
    for organisation in organisations.filter(
        kind__in=[OrganisationKind.CH, OrganisationKind.EHPAD]
    ):
        is_hospital = organisation.kind == OrganisationKind.CH
        Capacity.objects.get_or_create(
            cpts=cpts,
            owner=organisation,
            label="Lits de médecine" if is_hospital else "Places d'hébergement temporaire",
            defaults={
                "quantity": 60 if is_hospital else 4,
                "unit": "lits" if is_hospital else "places",
                "checked_on": today,
                "opening_hours": "24 h/24",
            },
        )


def _volunteers(cpts, today):
    volunteers = Contact.objects.for_cpts(cpts).filter(is_volunteer=True).order_by("pk")[:25]
    known = set(HumanResource.objects.for_cpts(cpts).values_list("contact_id", flat=True))
    missions = [MissionKind.VACCINATION, MissionKind.CARE_REINFORCEMENT, MissionKind.RECEPTION]
    HumanResource.objects.bulk_create(
        HumanResource(
            cpts=cpts,
            contact=contact,
            missions=[missions[index % 3]],
            availability="soirs et week-ends" if index % 2 else "en semaine",
            status=ResourceStatus.AVAILABLE,
            checked_on=today,
        )
        for index, contact in enumerate(volunteers)
        if contact.pk not in known
    )
