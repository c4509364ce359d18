"""Demo patients for the continuity-of-care register: fictional people followed by the demo
nurse and GP of the crisis cell and a few member nurses, so that a call campaign can be run in
the demo exercise. Idempotent: nothing is added once the CPTS has patients.
"""

import datetime
import random

from django.utils import timezone

from tocsin.care.enums import LegalBasis, Need
from tocsin.care.models import Patient
from tocsin.core.models import Membership
from tocsin.directory.models import Contact
from tocsin.territory.selectors import territory_communes

PATIENT_FIRST = ("Yvonne", "Marcel", "Jeanne", "René", "Odette", "Albert", "Germaine", "Louis",
                 "Marie-Thérèse", "Fernand", "Simone", "Joseph")  # fmt: skip
PATIENT_LAST = ("Bouyer", "Chauvet", "Dugast", "Fradin", "Gouraud", "Jaunet", "Lebreton",
                "Mornet", "Pogu", "Rabiller", "Tesson", "Vrignaud")  # fmt: skip
NEEDS = (
    [Need.OXYGEN], [Need.ISOLATED_ELDERLY], [Need.COLD_CHAIN, Need.HOME_CARE],
    [Need.DIALYSIS], [Need.ISOLATED_ELDERLY, Need.REDUCED_MOBILITY], [Need.HOME_CARE],
    [Need.LIFE_DEVICE], [Need.PALLIATIVE, Need.HOME_CARE],
)  # fmt: skip
FOLLOWERS = ("cellule.infirmiere", "cellule.medecin", "referent")
PATIENTS = 24


def load_care_demo(cpts, domain) -> int:
    _link_member_contacts(cpts)
    if Patient.objects.for_cpts(cpts).exists():
        return 0
    followers = list(Contact.objects.for_cpts(cpts).filter(
        email__in=[f"{local}@{domain}" for local in FOLLOWERS]
    ).order_by("email"))  # fmt: skip
    communes = list(territory_communes(cpts))
    if not followers or not communes:
        return 0
    rng = random.Random(9)
    today = timezone.localdate()
    for index in range(PATIENTS):
        patient = Patient.objects.create(
            cpts=cpts, last_name=PATIENT_LAST[index % len(PATIENT_LAST)],
            first_name=PATIENT_FIRST[(index * 5 + index // 12) % len(PATIENT_FIRST)],
            birth_date=datetime.date(1930 + rng.randrange(25), rng.randrange(1, 13),
                                     rng.randrange(1, 29)),
            address=f"{rng.randrange(1, 80)} rue des Salines", commune=communes[index % 6],
            phone=f"+3363998{index:04d}", needs=[n.value for n in NEEDS[index % len(NEEDS)]],
            emergency_contact=f"Sa fille, 06 39 98 {index:02d} 99" if index % 3 else "",
            notes="Prestataire d'oxygène : Air Santé Ouest" if index % 8 == 0 else "",
            legal_basis=LegalBasis.CARE, basis_recorded_on=today - datetime.timedelta(days=40),
            verified_on=today - datetime.timedelta(days=rng.randrange(10, 200)),
        )  # fmt: skip
        patient.professionals.add(followers[index % len(followers)])
    return PATIENTS


def _link_member_contacts(cpts):
    """Each demo account to its directory entry (same e-mail), as a coordinator would."""
    contacts = dict(Contact.objects.for_cpts(cpts).values_list("email", "pk"))
    unlinked = Membership.objects.for_cpts(cpts).filter(contact=None).select_related("user")
    linked = []
    for membership in unlinked:
        membership.contact_id = contacts.get(membership.user.email)
        if membership.contact_id:
            linked.append(membership)
    Membership.objects.bulk_update(linked, ["contact"])
