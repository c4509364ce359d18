"""Audit codes of the territory app."""

AUDIT_CODES = {
    "territory.communes.imported": "{actor} a importé {created} commune(s) et mis à jour {updated}",
    "territory.communes.added": "{actor} a ajouté au territoire : {names}",
    "territory.commune.removed": "{actor} a retiré {target} du territoire",
}
