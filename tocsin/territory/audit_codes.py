"""Audit codes of the territory app."""

AUDIT_CODES = {
    "territory.communes.imported": "{actor} a importé {created} commune(s) et mis à jour {updated}",
    "territory.communes.added": "{actor} a ajouté au territoire : {names}",
    "territory.commune.removed": "{actor} a retiré {target} du territoire",
    "territory.risks.imported": (
        "{actor} a importé un fichier GASPAR : {created} risque(s) créé(s), {updated} mis à "
        "jour, {unchanged} inchangé(s), {communes_linked} exposition(s) de commune ajoutée(s), "
        "{rejected} ligne(s) rejetée(s)"
    ),
    "territory.risk.created": "{actor} a ajouté le risque {target} au registre",
    "territory.risk.updated": "{actor} a modifié le risque {target}",
    "territory.risk.deleted": "{actor} a retiré le risque {target} du registre",
    "territory.health_risks.added": (
        "{actor} a complété les risques sanitaires du registre : {names} ; {links} "
        "exposition(s) de commune ajoutée(s)"
    ),
}
