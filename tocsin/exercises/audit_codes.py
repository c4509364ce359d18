"""Audit codes of exercises; {target} reads as the scenario, or the exercise (« EXERCICE — … »)."""

AUDIT_CODES = {
    "exercises.scenario.created": "{actor} a créé le scénario d'exercice {target}",
    "exercises.scenario.updated": "{actor} a modifié le scénario d'exercice {target}",
    "exercises.inject.saved": "{actor} a enregistré l'inject {inject} du scénario {target}",
    "exercises.inject.deleted": "{actor} a retiré l'inject {inject} du scénario {target}",
    "exercises.play.started": "{actor} a lancé l'exercice {target} (scénario « {scenario} »)",
    "exercises.inject.fired": "{actor} a déclenché l'inject {inject} — {target}",
    "exercises.observation.added": "{actor} a noté une observation ({rating}) — {target}",
}
