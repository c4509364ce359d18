"""Audit codes of crises; {target} reads as the crisis title (« EXERCICE — … » for exercises)."""

AUDIT_CODES = {
    "crises.crisis.activated": "{actor} a activé la crise {target} (phase {phase})",
    "crises.phase.changed": "{actor} a fait passer {target} de la phase {before} à {after}",
    "crises.crisis.closed": "{actor} a levé la crise {target}",
    "crises.cell.joined": "{actor} a noté l'arrivée de {person} en cellule — {target}",
    "crises.cell.left": "{actor} a noté le départ de {person} de la cellule — {target}",
    "crises.entry.added": (
        "{actor} a écrit l'entrée n° {seq} ({kind}) de la main courante — {target}"
    ),
    "crises.task.added": "{actor} a ajouté la tâche « {task} » — {target}",
    "crises.task.updated": "{actor} a modifié la tâche « {task} » — {target}",
    "crises.task.status": "{actor} a passé la tâche « {task} » de {before} à {after} — {target}",
    "crises.report.prepared": "{actor} a préparé le point de situation n° {number} — {target}",
    "crises.report.saved": "{actor} a modifié le point de situation n° {number} — {target}",
    "crises.report.validated": "{actor} a validé le point de situation n° {number} — {target}",
    "crises.report.sent": (
        "{actor} a envoyé le point de situation n° {number} à {recipients} — {target}"
    ),
    "crises.report.downloaded": "{actor} a téléchargé le point de situation n° {number} — {target}",
    "crises.logbook.exported": "{actor} a exporté la main courante ({format}) — {target}",
    "crises.logbook.verified": "{actor} a vérifié la main courante : {result} — {target}",
    "crises.evidence.exported": "{actor} a exporté le bilan de la crise ({format}) — {target}",
}
