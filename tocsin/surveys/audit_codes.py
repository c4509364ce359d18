"""Audit codes of questionnaires; {target} reads as the survey's title (« [EXERCICE] … »)."""

AUDIT_CODES = {
    "surveys.survey.created": "{actor} a préparé le questionnaire {target}",
    "surveys.survey.started_from_model": "{actor} a repris le modèle {model} ({questions} "
    "questions) — {target}",
    "surveys.survey.saved": "{actor} a modifié les réglages du questionnaire {target}",
    "surveys.survey.deleted": "{actor} a supprimé le brouillon de questionnaire {target}",
    "surveys.section.added": "{actor} a ajouté la partie « {section} » — {target}",
    "surveys.section.renamed": "{actor} a renommé la partie « {section} » — {target}",
    "surveys.section.deleted": "{actor} a supprimé la partie « {section} » — {target}",
    "surveys.question.added": "{actor} a ajouté la question « {question} » — {target}",
    "surveys.question.changed": "{actor} a modifié la question « {question} » — {target}",
    "surveys.question.deleted": "{actor} a supprimé la question « {question} » — {target}",
    "surveys.question.moved": "{actor} a déplacé la question « {question} » — {target}",
    "surveys.audience.saved": "{actor} a choisi les personnes interrogées — {target}",
    "surveys.survey.opened": "{actor} a ouvert le questionnaire {target} à {invited} personne(s)",
    "surveys.survey.reminded": "{actor} a relancé {count} personne(s) sans réponse — {target}",
    "surveys.survey.closed": "{actor} a clos le questionnaire {target}",
    "surveys.answers.submitted": "{actor} a envoyé ses réponses ({via}) — {target}",
    "surveys.results.exported": "{actor} a exporté les réponses ({format}) — {target}",
}
