"""Audit codes of trainings; {target} reads as the training (« AFGSU SSE ») or the session
(« AFGSU SSE du 12/03/2026 »)."""

AUDIT_CODES = {
    "training.training.created": "{actor} a ajouté la formation {target} au catalogue",
    "training.training.changed": "{actor} a modifié la formation {target}",
    "training.session.created": "{actor} a programmé la session {target}",
    "training.session.changed": "{actor} a modifié la session {target}",
    "training.session.invited": "{actor} a invité {invited} personne(s) à la session {target}",
    "training.registration.registered": "{actor} s'est inscrit(e) à la session {target}",
    "training.registration.waitlisted": "{actor} est en liste d'attente (position {position}) "
    "— {target}",
    "training.registration.cancelled": "{actor} s'est désinscrit(e) de la session {target}",
    "training.registration.promoted": "{actor} a donné une place libérée à {person} — {target}",
    "training.attendance.marked": "{actor} a noté {person} {state} — {target}",
    "training.attendance.walk_in": "{actor} a ajouté {person}, venu(e) sans inscription — {target}",
    "training.certificate.downloaded": "{actor} a téléchargé l'attestation de présence de "
    "{person} — {target}",
    "training.records.exported": "{actor} a exporté les formations suivies ({rows} ligne(s))",
    "training.indicators.exported": "{actor} a exporté les indicateurs {year} ({format})",
}
