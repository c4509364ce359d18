"""The demo exercise: a validated plan and a canicule EXERCICE in progress, so that a newcomer
sees the cell, the main courante and the tasks at work, then lifts it and runs its RETEX.

Built through the real services; idempotent: once the exercise exists, nothing is added.
"""

import datetime

from django.utils import timezone

from tocsin.core.models import User
from tocsin.crises import services
from tocsin.crises.enums import EntryKind, Phase, TaskStatus
from tocsin.crises.models import Crisis
from tocsin.directory.models import Contact
from tocsin.plans import services as plans
from tocsin.plans.enums import CellFunction
from tocsin.plans.models import CellMember, PlanVersion
from tocsin.territory.enums import CrisisType
from tocsin.territory.models import Risk

EXERCISE_TITLE = "Exercice canicule — vigilance orange"
CELL = (
    (CellFunction.DIRECTION, "referent"),
    (CellFunction.SITUATION, "cellule.medecin"),
    (CellFunction.LOGISTICS, "cellule.infirmiere"),
    (CellFunction.SECRETARIAT, "coordination"),
)
ENTRIES = (
    (EntryKind.RECEIVED, "Appel de l'ARS : vigilance orange canicule jusqu'à jeudi, exercice."),
    (EntryKind.ACTION, "EHPAD Les Tamaris joint : plan bleu activé, 3 résidents surveillés."),
    (EntryKind.DECISION, "Point de la cellule chaque jour à 18 h à la maison de santé."),
)


def load_exercise_demo(cpts, domain) -> Crisis:
    if existing := Crisis.objects.for_cpts(cpts).filter(title=EXERCISE_TITLE).first():
        return existing
    referent = User.objects.filter(email=f"referent@{domain}").first()
    if not PlanVersion.objects.for_cpts(cpts).published().exists():
        _validated_plan(cpts, domain)
    crisis = services.activate_crisis(
        referent, cpts, title=EXERCISE_TITLE, crisis_type=CrisisType.MANY_SICK,
        risk=Risk.objects.for_cpts(cpts).filter(code="sante.canicule").first(),
        phase=Phase.ALERT, is_exercise=True,
        started_at=timezone.now() - datetime.timedelta(hours=3),
    )  # fmt: skip
    for seat in crisis.seats.all():
        services.join_cell(referent, seat)
    for kind, text in ENTRIES:
        services.add_entry(referent, crisis, kind, text)
    first_task = crisis.tasks.order_by("position", "pk").first()
    if first_task is not None:
        services.set_task_status(referent, first_task, TaskStatus.DONE)
    return crisis


def _validated_plan(cpts, domain):
    """Version 1 from the starter content, with its référent and cell, validated by the COPIL."""
    version = plans.open_version(cpts) or plans.start_plan(None, cpts)
    contacts = {c.email: c for c in Contact.objects.for_cpts(cpts).filter(email__endswith=domain)}
    version.referent = contacts.get(f"referent@{domain}")
    version.deputy = contacts.get(f"suppleant@{domain}")
    version.cell_place = "Maison de santé de Pornic, salle de réunion"
    version.cell_fallback_place = "Mairie de Pornic, salle du conseil"
    version.change_summary = "Première version du plan, issue du modèle national."
    version.save()
    CellMember.objects.bulk_create(
        CellMember(version=version, function=function, contact=contacts[f"{local}@{domain}"])
        for function, local in CELL
        if f"{local}@{domain}" in contacts
    )
    plans.submit_version(None, version)
    plans.validate_version(None, version, timezone.localdate(), "COPIL de démonstration")
