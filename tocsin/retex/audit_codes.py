"""Audit codes of the RETEX; {target} reads as « RETEX — <crisis> »."""

AUDIT_CODES = {
    "retex.review.started": "{actor} a ouvert le {target}",
    "retex.review.saved": "{actor} a modifié le {target}",
    "retex.review.survey": "{actor} a préparé le questionnaire du {target}",
    "retex.finding.added": "{actor} a noté un constat ({polarity}) — {target}",
    "retex.finding.deleted": "{actor} a retiré un constat — {target}",
    "retex.action.added": "{actor} a ajouté l'action d'amélioration « {action} » — {target}",
    "retex.action.updated": "{actor} a modifié l'action d'amélioration « {action} » — {target}",
    "retex.action.status": (
        "{actor} a passé l'action « {action} » de {before} à {after} — {target}"
    ),
    "retex.review.validated": "{actor} a validé le {target}",
    "retex.review.transmitted": "{actor} a transmis le {target} à {recipients}",
    "retex.review.acknowledged": "{actor} ({recipient}) a accusé réception du {target}",
    "retex.review.downloaded": "{actor} a téléchargé le rapport du {target}",
    "retex.plan.update_started": (
        "{actor} a repris {count} action(s) du {target} dans la version {number} du plan"
    ),
}
