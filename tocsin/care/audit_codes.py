"""Audit codes of the continuity-of-care register: patients appear by number, never by name."""

AUDIT_CODES = {
    "care.patient.created": "{actor} a inscrit le {target} au registre",
    "care.patient.updated": "{actor} a modifié le {target}",
    "care.patient.verified": "{actor} a vérifié le {target}",
    "care.patient.deleted": "{actor} a supprimé le patient n° {number} du registre ({cause})",
    "care.patients.imported": "{actor} a importé {count} patients au registre",
    "care.campaign.started": (
        "{actor} a lancé la campagne d'appels « {title} » ({patients} patients, "
        "{callers} appelants)"
    ),
    "care.campaign.reassigned": (
        "{actor} a confié {count} appels de {from} à {to} (campagne « {title} »)"
    ),
    "care.campaign.closed": "{actor} a clos la campagne d'appels « {title} »",
    "care.call.recorded": "{actor} a noté l'appel du {target} : {outcome}",
    "care.keys.rotated": "{actor} a rechiffré le registre avec la nouvelle clé ({rows} lignes)",
}
