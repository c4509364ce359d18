"""Choices of the crisis plan: version states, template sections, cell functions, fiches."""

from django.db import models


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Soumise au COPIL"
    VALIDATED = "validated", "Validée par le COPIL"
    TRANSMITTED = "transmitted", "Transmise aux autorités"


class Section(models.TextChoices):
    """The sections of the national template, in order."""

    IDENTITY = "identity", "0. Identité de la CPTS et historique des versions"
    ORGANISATION = "organisation", "1. Organisation de la gestion de crise"
    DIAGNOSIS = "diagnosis", "2. Diagnostic territorial : risques, populations, ressources"
    RESPONSE = "response", "3. Réponse : protocoles et fiches action par risque"
    CONTINUITY = "continuity", "4. Continuité des soins des patients chroniques et fragiles"
    COMMUNICATION = "communication", "5. Communication interne et externe, traçabilité"
    TRAINING = "training", "6. Formation, sensibilisation et exercices"
    PILOTING = "piloting", "7. Appui au pilotage de crise et remontées à l'ARS"
    RETEX = "retex", "8. RETEX et procédure de mise à jour du plan"
    ANNEXES = "annexes", "9. Annexes et conventions"


class CellFunction(models.TextChoices):
    DIRECTION = "direction", "Direction"
    SITUATION = "situation", "Situation"
    ANTICIPATION = "anticipation", "Anticipation"
    LOGISTICS = "logistics", "Actions et logistique"
    COMMUNICATION = "communication", "Communication"
    SECRETARIAT = "secretariat", "Secrétariat et main courante"


class FicheKind(models.TextChoices):
    REFLEXE = "reflexe", "Fiche réflexe"
    ACTION = "action", "Fiche action"


class FicheRole(models.TextChoices):
    REFERENT = "referent", "Référent SSE"
    CELL = "cell", "Cellule de crise"
    SECRETARIAT = "secretariat", "Secrétariat / main courante"
    COMMUNICATION = "communication", "Communication"
    LOGISTICS = "logistics", "Logistique"
    # What every member professional does: shown in their space, filtered by profession.
    PROFESSIONAL = "professional", "Professionnels de santé du territoire"


class AlertLevel(models.TextChoices):
    WATCH = "watch", "Veille"
    ALERT = "alert", "Alerte"
    CRISIS = "crisis", "Crise"
