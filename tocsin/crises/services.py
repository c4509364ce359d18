"""Operations on a crisis. Each checks the crisis's state, saves in a transaction, writes the
audit trail and, for what the cell must be able to reconstruct, an automatic logbook entry.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from tocsin.core.audit import log_action
from tocsin.core.errors import DomainError
from tocsin.crises import logbook
from tocsin.crises.enums import ACTIVE_PHASES, PHASE_LEVEL, EntryKind, Phase, TaskStatus
from tocsin.crises.models import CellSeat, Crisis, Task
from tocsin.plans.enums import CellFunction, FicheKind, FicheRole
from tocsin.plans.models import Fiche, PlanVersion

# Who carries out a fiche's actions, when the fiche names a role of the cell.
ROLE_FUNCTION = {
    FicheRole.REFERENT: CellFunction.DIRECTION,
    FicheRole.CELL: CellFunction.SITUATION,
    FicheRole.SECRETARIAT: CellFunction.SECRETARIAT,
    FicheRole.COMMUNICATION: CellFunction.COMMUNICATION,
    FicheRole.LOGISTICS: CellFunction.LOGISTICS,
}
PHASE_ORDER = list(ACTIVE_PHASES)


def applied_plan(cpts) -> PlanVersion | None:
    """The plan the cell follows: the last version the COPIL validated."""
    return PlanVersion.objects.for_cpts(cpts).published().order_by("-number").first()


def activate_crisis(actor, cpts, *, title, crisis_type, risk, phase, is_exercise,
                    started_at: datetime, signal=None) -> Crisis:  # fmt: skip
    if phase not in ACTIVE_PHASES:
        raise DomainError("Une crise s'active en veille, en alerte ou en crise.")
    for related in (risk, signal):
        if related is not None and related.cpts_id != cpts.pk:
            raise DomainError("Ce risque ou ce signal n'appartient pas à votre CPTS.")
    plan = applied_plan(cpts)
    with transaction.atomic():
        crisis = Crisis.objects.create(
            cpts=cpts, title=title, crisis_type=crisis_type, risk=risk, phase=phase,
            is_exercise=is_exercise, started_at=started_at, signal=signal, plan_version=plan,
            created_by=actor,
        )  # fmt: skip
        if plan is not None:
            CellSeat.objects.bulk_create(
                CellSeat(crisis=crisis, function=m.function, contact_id=m.contact_id,
                         is_backup=m.is_backup)
                for m in plan.cell_members.all()
            )  # fmt: skip
        mode = "EXERCICE — " if is_exercise else ""
        origin = f" à partir du signal « {signal.headline} »" if signal else ""
        logbook.append(
            crisis, EntryKind.DECISION, automatic=True, author=actor,
            text=f"{mode}Activation{origin} : {crisis.get_crisis_type_display()}"
                 f"{f', risque {risk.name}' if risk else ''}, phase {crisis.get_phase_display()}.",
        )  # fmt: skip
        created = _tasks_from_fiches(actor, crisis)
        log_action(actor, cpts, "crises.crisis.activated", crisis,
                   {"phase": crisis.get_phase_display(), "tasks": created})  # fmt: skip
    return crisis


def _tasks_from_fiches(actor, crisis) -> int:
    """The fiches action of the crisis's risk, for every level reached so far, become tasks.

    Run again at each escalation: fiches already turned into tasks are skipped.
    """
    if crisis.plan_version_id is None:
        return 0
    levels = [PHASE_LEVEL[p] for p in PHASE_ORDER[: PHASE_ORDER.index(crisis.phase) + 1]]
    fiches = Fiche.objects.filter(
        version_id=crisis.plan_version_id, kind=FicheKind.ACTION, alert_level__in=[*levels, ""]
    ).exclude(pk__in=crisis.tasks.filter(fiche__isnull=False).values("fiche_id"))
    fiches = fiches.filter(risk=crisis.risk) if crisis.risk_id else fiches.filter(risk=None)
    position = crisis.tasks.count()
    tasks, titles = [], []
    for fiche in fiches.order_by("position", "pk"):
        titles.append(fiche.title)
        for step in fiche.steps:
            tasks.append(Task(crisis=crisis, title=step[:500], fiche=fiche, position=position,
                              function=ROLE_FUNCTION.get(fiche.role, CellFunction.LOGISTICS),
                              created_by=actor))  # fmt: skip
            position += 1
    if tasks:
        Task.objects.bulk_create(tasks)
        logbook.append(
            crisis, EntryKind.ACTION, automatic=True, author=actor,
            text=f"{len(tasks)} tâche(s) créée(s) depuis : {', '.join(titles)}.",
        )  # fmt: skip
    return len(tasks)


def _check_active(crisis):
    if not crisis.is_active:
        raise DomainError("Cette crise est levée : elle ne se modifie plus.")


def change_phase(actor, crisis, phase):
    _check_active(crisis)
    if phase not in ACTIVE_PHASES:
        raise DomainError("Pour lever la crise, utilisez « Lever la crise ».")
    if phase == crisis.phase:
        raise DomainError("La crise est déjà dans cette phase.")
    with transaction.atomic():
        before = crisis.get_phase_display()
        crisis.phase = phase
        crisis.save(update_fields=["phase"])
        logbook.append(crisis, EntryKind.DECISION, automatic=True, author=actor,
                       text=f"Passage de la phase {before} à la phase "
                            f"{crisis.get_phase_display()}.")  # fmt: skip
        created = _tasks_from_fiches(actor, crisis)
        log_action(
            actor,
            crisis.cpts,
            "crises.phase.changed",
            crisis,
            {"before": before, "after": crisis.get_phase_display(), "tasks": created},
        )
    return crisis


def close_crisis(actor, crisis, summary: str):
    """Levée: the crisis stops changing; the plan becomes due for its post-crisis update."""
    _check_active(crisis)
    if not summary.strip():
        raise DomainError("Rédigez la synthèse de clôture avant de lever la crise.")
    with transaction.atomic():
        crisis.phase = Phase.LIFTED
        crisis.closed_at = timezone.now()
        crisis.closing_summary = summary.strip()
        crisis.save(update_fields=["phase", "closed_at", "closing_summary"])
        for seat in crisis.seats.filter(joined_at__isnull=False, left_at__isnull=True):
            seat.left_at = crisis.closed_at
            seat.save(update_fields=["left_at"])
        logbook.append(crisis, EntryKind.DECISION, automatic=True, author=actor,
                       text=f"Levée de la crise. Synthèse : {crisis.closing_summary}")  # fmt: skip
        log_action(actor, crisis.cpts, "crises.crisis.closed", crisis)
    return crisis


# --- The cell ---


def join_cell(actor, seat, at=None):
    _check_active(seat.crisis)
    if seat.is_present:
        raise DomainError(f"{seat.contact} est déjà en cellule.")
    with transaction.atomic():
        seat.joined_at, seat.left_at = at or timezone.now(), None
        seat.save(update_fields=["joined_at", "left_at"])
        _log_cell(actor, seat, "rejoint la cellule", "crises.cell.joined")


def leave_cell(actor, seat, at=None):
    _check_active(seat.crisis)
    if not seat.is_present:
        raise DomainError(f"{seat.contact} n'est pas en cellule.")
    with transaction.atomic():
        seat.left_at = at or timezone.now()
        seat.save(update_fields=["left_at"])
        _log_cell(actor, seat, "quitte la cellule", "crises.cell.left")


def add_to_cell(actor, crisis, contact, function) -> CellSeat:
    """Someone not foreseen by the plan joins the cell now."""
    _check_active(crisis)
    if contact.cpts_id != crisis.cpts_id:
        raise DomainError("Cette personne n'est pas dans l'annuaire de votre CPTS.")
    seat, created = CellSeat.objects.get_or_create(crisis=crisis, function=function,
                                                   contact=contact)  # fmt: skip
    if seat.is_present:
        raise DomainError(f"{contact} tient déjà cette fonction.")
    join_cell(actor, seat)
    return seat


def _log_cell(actor, seat, verb, code):
    text = f"{seat.contact} ({seat.get_function_display()}) {verb}."
    logbook.append(seat.crisis, EntryKind.INFORMATION, text, author=actor, automatic=True)
    log_action(actor, seat.crisis.cpts, code, seat.crisis, {"person": str(seat.contact)})


# --- The main courante ---


def add_entry(actor, crisis, kind, text, corrects=None):
    _check_active(crisis)
    text = text.strip()
    if not text:
        raise DomainError("L'entrée est vide.")
    if corrects is not None and corrects.crisis_id != crisis.pk:
        raise DomainError("L'entrée à corriger n'appartient pas à cette crise.")
    with transaction.atomic():
        entry = logbook.append(crisis, kind, text, author=actor, corrects=corrects)
        log_action(actor, crisis.cpts, "crises.entry.added", crisis,
                   {"seq": entry.seq, "kind": entry.get_kind_display()})  # fmt: skip
    return entry


# --- Tasks ---


def add_task(actor, crisis, title, function="", assignee=None, due_at=None) -> Task:
    _check_active(crisis)
    title = title.strip()
    if not title:
        raise DomainError("Décrivez la tâche.")
    if assignee is not None and assignee.cpts_id != crisis.cpts_id:
        raise DomainError("Cette personne n'est pas dans l'annuaire de votre CPTS.")
    with transaction.atomic():
        task = Task.objects.create(crisis=crisis, title=title[:500], function=function,
                                   assignee=assignee, due_at=due_at, created_by=actor,
                                   position=crisis.tasks.count())  # fmt: skip
        log_action(actor, crisis.cpts, "crises.task.added", crisis, {"task": task.title})
        crisis.touch()
    return task


def update_task(actor, task, *, function, assignee, due_at):
    _check_active(task.crisis)
    if assignee is not None and assignee.cpts_id != task.crisis.cpts_id:
        raise DomainError("Cette personne n'est pas dans l'annuaire de votre CPTS.")
    with transaction.atomic():
        task.function, task.assignee, task.due_at = function, assignee, due_at
        task.save(update_fields=["function", "assignee", "due_at"])
        log_action(actor, task.crisis.cpts, "crises.task.updated", task.crisis,
                   {"task": task.title})  # fmt: skip
        task.crisis.touch()
    return task


TASK_LOG = {TaskStatus.DONE: "Tâche faite", TaskStatus.DROPPED: "Tâche abandonnée"}


def set_task_status(actor, task, status):
    _check_active(task.crisis)
    if status not in TaskStatus.values:
        raise DomainError("État de tâche inconnu.")
    if status == task.status:
        return task
    with transaction.atomic():
        before = task.get_status_display()
        task.status = status
        task.done_at = timezone.now() if status == TaskStatus.DONE else None
        task.save(update_fields=["status", "done_at"])
        if status in TASK_LOG:
            logbook.append(task.crisis, EntryKind.ACTION, automatic=True, author=actor,
                           text=f"{TASK_LOG[status]} : {task.title}")  # fmt: skip
        log_action(
            actor,
            task.crisis.cpts,
            "crises.task.status",
            task.crisis,
            {"task": task.title, "before": before, "after": task.get_status_display()},
        )
        task.crisis.touch()
    return task
