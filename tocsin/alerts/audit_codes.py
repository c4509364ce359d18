"""Audit codes of alerts and informations; {target} reads as the campaign's title
(« [EXERCICE] … » in exercises)."""

AUDIT_CODES = {
    "alerts.campaign.created": "{actor} a préparé l'alerte {target}",
    "alerts.campaign.saved": "{actor} a modifié l'alerte {target}",
    "alerts.campaign.deleted": "{actor} a supprimé le brouillon d'alerte {target}",
    "alerts.campaign.sent": "{actor} a envoyé l'alerte {target} à {reachable} personne(s)",
    "alerts.campaign.reminded": "{actor} a relancé {count} personne(s) sans réponse — {target}",
    "alerts.campaign.closed": "{actor} a clôturé l'alerte {target}",
    "alerts.answer.recorded": "{actor} a répondu « {answer} » ({via}) — {target}",
    "alerts.information.created": "{actor} a préparé l'information {target}",
    "alerts.information.saved": "{actor} a modifié l'information {target}",
    "alerts.information.deleted": "{actor} a supprimé le brouillon d'information {target}",
    "alerts.information.sent": (
        "{actor} a envoyé l'information {target} à {reachable} personne(s)"
    ),
    "alerts.rollcall.exported": "{actor} a exporté l'appel de l'alerte {target}",
}
