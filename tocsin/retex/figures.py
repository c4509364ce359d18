"""The key figures of a RETEX, read from the crisis: alerts, answers, calls to fragile patients
(counts only), tasks, points de situation.

Live while the RETEX is written; stored on the review when it is validated, so the report says
what the COPIL saw even if a late answer to an alert arrives afterwards.
"""

from django.db.models import Count, Q
from django.utils import timezone

from tocsin.care.figures import call_figures
from tocsin.crises.enums import OPEN_TASK_STATUSES, TaskStatus
from tocsin.crises.figures import alert_figures, evidence

ROWS = (
    ("duration_hours", "Durée (heures)"),
    ("participants", "Professionnels ayant pris part à la gestion"),
    ("cell_members", "Membres présents en cellule de crise"),
    ("entries", "Entrées de main courante"),
    ("decisions", "Décisions consignées"),
    ("alerts_sent", "Alertes envoyées"),
    ("people_alerted", "Personnes alertées"),
    ("alert_answers", "Réponses aux alertes"),
    ("people_available", "Personnes disponibles"),
    ("patients_to_call", "Patients fragiles à appeler (campagnes d'appels)"),
    ("patients_reached", "Patients joints"),
    ("patients_needing_help", "Patients ayant eu besoin d'aide"),
    ("patients_not_reached", "Patients restés injoignables"),
    ("patients_escalated", "Patients signalés au SAMU ou à la mairie"),
    ("tasks", "Tâches"),
    ("tasks_done", "Tâches faites"),
    ("tasks_dropped", "Tâches abandonnées"),
    ("tasks_open", "Tâches non terminées à la levée"),
    ("reports_sent", "Points de situation envoyés"),
)


def key_figures(crisis) -> dict:
    end = crisis.closed_at or timezone.now()
    proof = evidence(crisis)
    tasks = crisis.tasks.aggregate(
        total=Count("pk"),
        dropped=Count("pk", filter=Q(status=TaskStatus.DROPPED)),
        open=Count("pk", filter=Q(status__in=OPEN_TASK_STATUSES)),
    )
    alerts = alert_figures(crisis, crisis.started_at, end)
    return {
        "duration_hours": round((end - crisis.started_at).total_seconds() / 3600, 1),
        "participants": proof.participants,
        "cell_members": proof.cell_members,
        "entries": proof.entries,
        "decisions": proof.decisions,
        **alerts,
        **call_figures(crisis),
        "tasks": tasks["total"],
        "tasks_done": proof.tasks_done,
        "tasks_dropped": tasks["dropped"],
        "tasks_open": tasks["open"],
        "reports_sent": proof.reports_sent,
    }


def figure_rows(figures: dict) -> list[tuple[str, object]]:
    return [(label, figures[name]) for name, label in ROWS if name in figures]
