"""Audit codes of the crisis plan."""

AUDIT_CODES = {
    "plans.version.created": "{actor} a ouvert la version {number} du plan",
    "plans.section.updated": "{actor} a modifié la section « {section} » de la {target}",
    "plans.organisation.updated": "{actor} a modifié l'organisation de crise de la {target}",
    "plans.summary.updated": "{actor} a résumé les changements de la {target}",
    "plans.cell.updated": "{actor} a mis à jour la cellule de crise de la {target}",
    "plans.fiche.saved": "{actor} a enregistré la fiche « {fiche} » ({target})",
    "plans.fiche.deleted": "{actor} a supprimé la fiche « {fiche} » ({target})",
    "plans.fiches.added": "{actor} a ajouté {count} fiche(s) action à la {target}",
    "plans.version.submitted": "{actor} a soumis la {target} au COPIL",
    "plans.version.reopened": "{actor} a remis la {target} en rédaction",
    "plans.version.validated": (
        "{actor} a enregistré la validation de la {target} (COPIL du {copil})"
    ),
    "plans.version.transmitted": "{actor} a transmis la {target} à : {recipients}",
    "plans.version.acknowledged": "{actor} ({recipient}) a accusé réception de la {target}",
    "plans.reminder.sent": "{actor} a rappelé la mise à jour du plan : {due}",
    "plans.document.downloaded": "{actor} a téléchargé le PDF de la {target}",
}
