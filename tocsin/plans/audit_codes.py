"""Audit codes of the crisis plan; {target} reads « Plan de gestion de crise — version N »."""

AUDIT_CODES = {
    "plans.version.created": "{actor} a ouvert la version {number} du plan",
    "plans.section.updated": "{actor} a modifié la section « {section} » — {target}",
    "plans.organisation.updated": "{actor} a modifié l'organisation de crise — {target}",
    "plans.summary.updated": "{actor} a résumé les changements — {target}",
    "plans.cell.updated": "{actor} a mis à jour la cellule de crise — {target}",
    "plans.fiche.saved": "{actor} a enregistré la fiche « {fiche} » — {target}",
    "plans.fiche.deleted": "{actor} a supprimé la fiche « {fiche} » — {target}",
    "plans.fiches.added": "{actor} a ajouté {count} fiche(s) action modèles — {target}",
    "plans.version.submitted": "{actor} a soumis au COPIL : {target}",
    "plans.version.reopened": "{actor} a remis en rédaction : {target}",
    "plans.version.validated": "{actor} a enregistré la validation du COPIL du {copil} : {target}",
    "plans.version.transmitted": "{actor} a transmis à {recipients} : {target}",
    "plans.version.acknowledged": "{actor} ({recipient}) a accusé réception : {target}",
    "plans.document.downloaded": "{actor} a téléchargé le document ({format}) : {target}",
    "plans.transmissions.viewed": "{actor} a consulté les versions du plan transmises",
    "plans.kit.downloaded": "{actor} a téléchargé le classeur de crise",
    "plans.reminder.sent": "{actor} a rappelé la mise à jour du plan : {due}",
}
