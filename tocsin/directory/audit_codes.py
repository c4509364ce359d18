"""Audit codes of the directory and the sentence a coordinator reads for each."""

AUDIT_CODES = {
    "directory.organisation.created": "{actor} a ajouté l'organisation {target} à l'annuaire",
    "directory.organisation.updated": "{actor} a modifié l'organisation {target}",
    "directory.organisation.deleted": "{actor} a supprimé l'organisation {target}",
    "directory.contact.created": "{actor} a ajouté {target} à l'annuaire",
    "directory.contact.updated": "{actor} a modifié la fiche de {target}",
    "directory.contact.deleted": "{actor} a supprimé la fiche de {target}",
    "directory.group.created": "{actor} a créé le groupe {target}",
    "directory.group.updated": "{actor} a modifié le groupe {target}",
    "directory.group.deleted": "{actor} a supprimé le groupe {target}",
    "directory.import.applied": (
        "{actor} a importé {target} : {created} créé(s), {updated} mis à jour, {unchanged} "
        "inchangé(s), {rejected} rejeté(s)"
    ),
    "directory.import.started": "{actor} a déposé un import : {target}",
    "directory.mairies.imported": (
        "{actor} a mis à jour les mairies du territoire : {created} créée(s), {updated} "
        "mise(s) à jour"
    ),
    "directory.export.downloaded": "{actor} a exporté l'annuaire ({format}, {rows} lignes)",
    "directory.details.requested": (
        "{actor} a demandé une vérification des coordonnées : {sent} envoi(s), {unreachable} "
        "contact(s) sans e-mail"
    ),
    "directory.details.confirmed": "{actor} a confirmé ses coordonnées",
    "directory.details.corrected": "{actor} a proposé des corrections de ses coordonnées",
    "directory.details.applied": "{actor} a appliqué les corrections de {target}",
    "directory.details.rejected": "{actor} a refusé les corrections de {target}",
}
