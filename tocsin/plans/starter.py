"""Starter content of a plan: section texts, fiches réflexe per role, fiches action per crisis
type. The CPTS adapts them; they follow the structure of the national template and the ORSAN
crisis types, so a first plan is a matter of correcting, not of writing from nothing.
"""

from tocsin.plans.enums import AlertLevel, FicheRole, Section

SECTIONS = {
    Section.IDENTITY: (
        "La CPTS {cpts} couvre {communes} communes et {population} habitants. Ce plan décrit "
        "comment elle s'organise, avec l'ARS et la Préfecture, face à une situation sanitaire "
        "exceptionnelle.\n\nL'historique des versions figure en tête du document."
    ),
    Section.ORGANISATION: (
        "La cellule de crise est activée par le référent SSE (ou son suppléant) sur alerte de "
        "l'ARS, de la Préfecture ou d'un membre. Elle travaille en lien avec le SAMU - Centre "
        "15, le SDIS, les établissements (plan blanc), les EHPAD (plan bleu) et les communes "
        "(plans communaux de sauvegarde)."
    ),
    Section.DIAGNOSIS: (
        "Les risques majeurs du territoire, les communes et populations exposées et les "
        "ressources mobilisables sont analysés dans la matrice risques × ressources annexée."
    ),
    Section.RESPONSE: (
        "Chaque risque majeur dispose d'une fiche action par niveau d'alerte. Les fiches "
        "précisent le déclenchement, les actions, les responsables, les moyens, les contacts "
        "et les messages à envoyer."
    ),
    Section.CONTINUITY: (
        "Les professionnels de la CPTS identifient les patients chroniques et les personnes "
        "fragiles ou isolées qu'ils suivent (dialyse, oxygène, insuline, soins à domicile, "
        "soins palliatifs). En crise, la cellule organise les appels de vérification et la "
        "continuité des traitements, en lien avec les pharmacies et les services de soins à "
        "domicile."
    ),
    Section.COMMUNICATION: (
        "Communication interne : alertes des membres par SMS et e-mail, points réguliers. "
        "Communication externe : messages de prévention à la population relayés par les "
        "mairies. Toute décision et tout message sont tracés dans la main courante."
    ),
    Section.TRAINING: (
        "Le référent et son suppléant suivent une formation à la gestion de crise (AFGSU SSE "
        "ou équivalent). La CPTS organise chaque année une action de sensibilisation des "
        "membres et au moins un exercice de mise en œuvre du plan."
    ),
    Section.PILOTING: (
        "Pendant la crise, la CPTS transmet à l'ARS des points de situation réguliers : "
        "professionnels mobilisés, actions menées, difficultés, besoins."
    ),
    Section.RETEX: (
        "Après chaque crise ou exercice, un retour d'expérience réunit le COPIL et les acteurs "
        "mobilisés ; un questionnaire recueille l'avis des partenaires. Les actions "
        "d'amélioration alimentent la version suivante du plan, mise à jour au moins une fois "
        "par an et transmise à l'ARS, à la CPAM et à la Préfecture."
    ),
    Section.ANNEXES: (
        "Annexes : annuaire des contacts clés, carte du territoire, tableau des risques, "
        "fiches réflexe et fiches action, conventions avec les partenaires."
    ),
}

FICHES_REFLEXE = [
    (
        FicheRole.REFERENT,
        "Référent SSE : déclencher et diriger",
        [
            "Recevoir l'alerte, la vérifier auprès de l'émetteur (ARS, Préfecture, SAMU).",
            "Décider de l'activation de la cellule et en informer l'ARS.",
            "Convoquer la cellule (lieu habituel ou de repli) et ouvrir la main courante.",
            "Fixer les objectifs et le rythme des points de situation.",
            "Valider les messages aux professionnels et aux partenaires.",
            "Décider de la levée du dispositif et lancer le RETEX à chaud.",
        ],
    ),
    (
        FicheRole.CELL,
        "Cellule de crise : s'installer et tenir",
        [
            "Se présenter au lieu de réunion ou se connecter à la conférence prévue.",
            "Prendre sa fonction (situation, anticipation, logistique, communication).",
            "Recenser les professionnels disponibles et les ressources engagées.",
            "Suivre les tâches ouvertes et rendre compte à chaque point de situation.",
        ],
    ),
    (
        FicheRole.SECRETARIAT,
        "Secrétariat : tenir la main courante",
        [
            "Noter chaque information, décision, action et message, avec l'heure et l'auteur.",
            "Ne jamais effacer : corriger par une nouvelle entrée.",
            "Préparer les points de situation à partir de la main courante.",
            "Archiver les documents reçus et envoyés.",
        ],
    ),
    (
        FicheRole.COMMUNICATION,
        "Communication : informer sans saturer",
        [
            "Préparer les messages d'alerte aux membres à partir des modèles du plan.",
            "Relayer les consignes officielles (ARS, Préfecture) sans les reformuler sur le fond.",
            "Répondre aux sollicitations des médias en renvoyant vers l'ARS ou la Préfecture.",
            "Tracer chaque message envoyé dans la main courante.",
        ],
    ),
    (
        FicheRole.LOGISTICS,
        "Logistique : mobiliser les moyens",
        [
            "Vérifier la disponibilité des locaux, du matériel et des stocks recensés.",
            "Organiser les clés, l'accès et l'alimentation électrique des locaux.",
            "Suivre les stocks (masques, EPI) et signaler les ruptures.",
            "Tenir à jour l'état des ressources engagées.",
        ],
    ),
    (
        FicheRole.PROFESSIONAL,
        "Professionnel de santé : à réception d'une alerte de la CPTS",
        [
            "Lire le message en entier et répondre par le lien (disponible ou non).",
            "Vérifier ses stocks et son matériel (EPI, médicaments des patients fragiles).",
            "Repérer ses patients fragiles, isolés ou dépendants d'un traitement.",
            "Signaler à la cellule toute difficulté ou tout cas inhabituel.",
            "Ne relayer que les consignes officielles (ARS, Préfecture, CPTS).",
        ],
    ),
]

# Per ACI crisis type: (alert-level trigger, crisis-level trigger, actions at alert, at crisis).
FICHES_ACTION = {
    1: (
        "Information d'un événement à nombreuses victimes sur le territoire ou à proximité.",
        "Déclenchement du plan blanc ou d'ORSAN AMAVI par l'ARS.",
        [
            "Prévenir le référent et les membres de la cellule.",
            "Recenser les médecins, infirmiers et psychologues disponibles.",
            "Se mettre à disposition du SAMU et de l'ARS.",
        ],
        [
            "Activer la cellule de crise.",
            "Mobiliser les volontaires pour les consultations non programmées et le soutien "
            "psychologique.",
            "Relayer l'information sur les structures d'accueil aux professionnels.",
            "Assurer la continuité des soins courants des patients du territoire.",
        ],
    ),
    2: (
        "Vigilance orange (canicule, grand froid) ou hausse des consultations pour épidémie.",
        "Vigilance rouge ou saturation des urgences signalée par l'ARS.",
        [
            "Diffuser les recommandations de prévention aux professionnels.",
            "Rappeler le repérage des personnes âgées et isolées.",
            "Vérifier les capacités d'hébergement temporaire des EHPAD.",
        ],
        [
            "Activer la cellule de crise.",
            "Lancer les appels de vérification des patients fragiles.",
            "Organiser des consultations supplémentaires pour désengorger les urgences.",
            "Transmettre les points de situation à l'ARS.",
        ],
    ),
    3: (
        "Alerte DGS-Urgent sur un nouvel agent infectieux.",
        "Décision d'une campagne de vaccination exceptionnelle.",
        [
            "Diffuser les consignes de protection et de prise en charge.",
            "Vérifier les stocks d'équipements de protection.",
            "Recenser les vaccinateurs volontaires.",
        ],
        [
            "Activer la cellule de crise.",
            "Ouvrir un centre de vaccination dans un local recensé.",
            "Organiser les plannings des vaccinateurs et la chaîne du froid.",
            "Rendre compte chaque jour des vaccinations à l'ARS.",
        ],
    ),
    4: (
        "Accident industriel, nucléaire ou chimique signalé par la Préfecture.",
        "Mise à l'abri ou évacuation ordonnée par la Préfecture.",
        [
            "Relayer les consignes de mise à l'abri aux professionnels.",
            "Identifier les patients fragiles des communes exposées.",
        ],
        [
            "Activer la cellule de crise.",
            "Appliquer les consignes de la Préfecture (iode, confinement).",
            "Assurer la continuité des soins des patients confinés ou évacués.",
        ],
    ),
    5: (
        "Alerte (intempéries, pénurie, panne, cyberattaque) menaçant l'offre de soins.",
        "Rupture effective de l'offre de soins sur une partie du territoire.",
        [
            "Informer les professionnels et vérifier les plans de continuité des cabinets.",
            "Repérer les patients dépendants de l'électricité (oxygène, dialyse).",
            "Vérifier les groupes électrogènes et les stocks.",
        ],
        [
            "Activer la cellule de crise.",
            "Organiser la continuité des soins entre professionnels et pharmacies.",
            "Prioriser les patients dépendants d'un appareil ou d'un traitement.",
            "Signaler à l'ARS les ruptures constatées.",
        ],
    ),
}


def fiches_action_for(risk) -> list[dict]:
    """Two fiches (alert, crisis) for a risk, from its crisis type's starter content."""
    alert_trigger, crisis_trigger, alert_steps, crisis_steps = FICHES_ACTION[risk.crisis_type]
    return [
        {
            "title": f"{risk.name} — alerte",
            "alert_level": AlertLevel.ALERT,
            "trigger": alert_trigger,
            "checklist": "\n".join(alert_steps),
            "who": "Référent SSE, cellule de crise",
        },
        {
            "title": f"{risk.name} — crise",
            "alert_level": AlertLevel.CRISIS,
            "trigger": crisis_trigger,
            "checklist": "\n".join(crisis_steps),
            "who": "Cellule de crise",
        },
    ]
