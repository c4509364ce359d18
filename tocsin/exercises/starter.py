"""The starter library: one exercise scenario per ACI crisis type, to copy and adapt.

Each inject is (minutes after the start, channel, sender, message, expected reaction). The
texts are plausible for a CPTS; every name in them is fictional.
"""

from dataclasses import dataclass

from tocsin.exercises.enums import InjectChannel as C
from tocsin.territory.enums import CrisisType


@dataclass(frozen=True)
class StarterScenario:
    key: str
    title: str
    crisis_type: int
    risk_code: str  # the risk of the register it plays, when the CPTS has it
    summary: str
    objectives: tuple[str, ...]
    injects: tuple[tuple[int, str, str, str, str], ...]


LIBRARY = (
    StarterScenario(
        "canicule-3",
        "Canicule de niveau 3 (vigilance orange)",
        CrisisType.MANY_SICK,
        "sante.canicule",
        "Épisode caniculaire annoncé pour cinq jours ; températures nocturnes au-dessus de 22 °C. "
        "Les EHPAD signalent leurs premiers résidents déshydratés.",
        (
            "Activer la cellule en moins d'une heure",
            "Joindre tous les EHPAD et SSIAD du territoire",
            "Recenser les patients isolés suivis par les infirmiers libéraux",
        ),
        (
            (
                0,
                C.AUTHORITY,
                "ARS — cellule de veille",
                "Vigilance orange canicule à partir de demain 14 h sur les deux départements. "
                "Merci de relayer les consignes aux professionnels de ville.",
                "Le référent active la cellule, la main courante est ouverte, une alerte part aux "
                "professionnels dans l'heure.",
            ),
            (
                20,
                C.PHONE,
                "EHPAD Les Tamaris",
                "Trois résidents fébriles et déshydratés, le médecin coordonnateur est absent.",
                "Un médecin volontaire est trouvé ; la demande et la réponse sont notées.",
            ),
            (
                45,
                C.FIELD,
                "Infirmière libérale de Pornic",
                "Deux patients âgés isolés ne répondent plus au téléphone.",
                "Signalement à la mairie (registre canicule) et passage à domicile organisé.",
            ),
            (
                75,
                C.PRESS,
                "Radio locale",
                "Demande d'interview : « que font les soignants de ville face à la chaleur ? »",
                "La fonction communication répond avec les messages validés par le référent.",
            ),
            (
                120,
                C.AUTHORITY,
                "ARS",
                "Point de situation attendu à 18 h : professionnels mobilisés, difficultés.",
                "Un point de situation est préparé, validé et envoyé avant 18 h.",
            ),
        ),
    ),
    StarterScenario(
        "epidemie-vaccination",
        "Épidémie et campagne de vaccination exceptionnelle",
        CrisisType.NEW_AGENT,
        "sante.nouvel_agent",
        "Un nouveau virus respiratoire circule ; la DGS demande l'ouverture de centres de "
        "vaccination de proximité sous dix jours.",
        (
            "Identifier un lieu de vaccination et ses moyens",
            "Mobiliser vaccinateurs volontaires",
            "Organiser la prise de rendez-vous des personnes prioritaires",
        ),
        (
            (
                0,
                C.AUTHORITY,
                "ARS",
                "Message DGS-Urgent : ouverture de centres de vaccination de proximité ; la CPTS "
                "est sollicitée pour proposer un lieu et une équipe.",
                "La cellule se réunit, choisit un lieu dans l'inventaire et le propose à l'ARS.",
            ),
            (
                30,
                C.PHONE,
                "Mairie de Saint-Brevin-les-Pins",
                "La salle des sports est disponible à partir de lundi, sans chaîne du froid.",
                "La logistique vérifie les équipements (réfrigérateurs) et trouve une solution.",
            ),
            (
                60,
                C.EMAIL,
                "Pharmacie du Port",
                "Nous pouvons assurer la préparation des doses deux matinées par semaine.",
                "Les créneaux sont notés ; un planning des vaccinateurs est ouvert.",
            ),
            (
                90,
                C.FIELD,
                "Cellule",
                "Seuls 12 vaccinateurs ont répondu sur les 40 nécessaires.",
                "Relance des non-répondants et alerte élargie aux infirmiers et sages-femmes.",
            ),
        ),
    ),
    StarterScenario(
        "rupture-approvisionnement",
        "Rupture d'approvisionnement en médicaments",
        CrisisType.CARE_DISRUPTION,
        "sante.penurie",
        "Une tempête coupe la route du grossiste-répartiteur : plus de livraison des officines "
        "pendant 72 heures.",
        (
            "Recenser les stocks critiques des officines",
            "Prioriser les patients dépendants",
            "Informer les prescripteurs des alternatives",
        ),
        (
            (
                0,
                C.PHONE,
                "Pharmacie de l'Île",
                "Plus de livraison depuis ce matin ; stock d'insuline pour deux jours.",
                "La cellule recense les stocks de toutes les officines dans l'heure.",
            ),
            (
                40,
                C.FIELD,
                "SSIAD Côte de Jade",
                "Cinq patients sous oxygène à domicile, prestataire injoignable.",
                "Les patients sont signalés, le prestataire et le SAMU sont contactés.",
            ),
            (
                80,
                C.AUTHORITY,
                "ARS",
                "Demande : quels médicaments manquent, et où ?",
                "Un point de situation avec la liste des tensions part à l'ARS.",
            ),
            (
                120,
                C.EMAIL,
                "Médecin généraliste",
                "Quelles alternatives prescrire pour les anticoagulants en rupture ?",
                "Une note aux prescripteurs est diffusée par l'alerte, validée par un pharmacien.",
            ),
        ),
    ),
    StarterScenario(
        "afflux-victimes",
        "Afflux de victimes après un incendie",
        CrisisType.MASS_CASUALTIES,
        "",
        "Incendie d'un camping en haute saison : une quarantaine de blessés légers et de "
        "personnes choquées, le centre hospitalier déclenche son plan blanc.",
        (
            "Soutenir le centre hospitalier sans le désorganiser",
            "Orienter les blessés légers vers la ville",
            "Organiser un soutien psychologique de proximité",
        ),
        (
            (
                0,
                C.AUTHORITY,
                "SAMU — Centre 15",
                "Plan blanc déclenché au centre hospitalier ; demande de renfort de médecins "
                "généralistes pour les consultations non urgentes.",
                "Alerte aux médecins volontaires ; un lieu de consultation est désigné.",
            ),
            (
                25,
                C.FIELD,
                "Maison de santé des Moutiers",
                "Quinze personnes se présentent sans rendez-vous, dont des enfants choqués.",
                "Des renforts sont envoyés ; la cellule d'urgence médico-psychologique est "
                "avertie.",
            ),
            (
                60,
                C.PRESS,
                "Réseaux sociaux",
                "Rumeur : « l'hôpital refuse les blessés ».",
                "La communication rectifie avec le message commun de la Préfecture.",
            ),
        ),
    ),
    StarterScenario(
        "nrc-chimique",
        "Accident chimique industriel",
        CrisisType.NRBC,
        "sante.nrbc",
        "Fuite d'un nuage toxique sur le site industriel de l'estuaire ; confinement des "
        "communes voisines décidé par la Préfecture.",
        (
            "Relayer les consignes de confinement",
            "Protéger les soignants libéraux en tournée",
            "Repérer les patients vulnérables dans la zone",
        ),
        (
            (
                0,
                C.AUTHORITY,
                "Préfecture",
                "Confinement des habitants de Paimbœuf et Corsept jusqu'à nouvel ordre.",
                "Les professionnels de la zone sont alertés et les tournées suspendues.",
            ),
            (
                30,
                C.PHONE,
                "Infirmier libéral",
                "Je suis en tournée à Corsept, que dois-je faire pour mes patients ?",
                "La cellule donne la consigne (se confiner) et reporte les soins non vitaux.",
            ),
            (
                70,
                C.FIELD,
                "EHPAD Le Marais",
                "Deux résidents présentent une toux irritative.",
                "Appel au SAMU ; information de l'ARS ; consignée à la main courante.",
            ),
        ),
    ),
)

BY_KEY = {scenario.key: scenario for scenario in LIBRARY}
