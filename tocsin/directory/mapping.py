"""Which column of a spreadsheet feeds which contact field, guessed from the headers."""

from tocsin.directory.text import normalize

# (contact field, label shown to the coordinator, header words that suggest it)
CONTACT_TARGETS = [
    ("last_name", "Nom", ["nom", "nom de famille", "nom d exercice"]),
    ("first_name", "Prénom", ["prenom", "prenom d exercice"]),
    ("profession_label", "Profession", ["profession", "metier", "libelle profession"]),
    ("profession_code", "Code profession (RPPS)", ["code profession"]),
    ("rpps_id", "Identifiant RPPS", ["rpps", "identifiant pp", "identifiant rpps", "n rpps"]),
    ("job_title", "Fonction", ["fonction", "poste", "titre"]),
    ("organisation", "Organisation", ["organisation", "structure", "etablissement", "cabinet"]),
    ("commune", "Commune (nom ou code INSEE)", ["commune", "ville", "code commune", "insee"]),
    ("mobile_phone", "Portable", ["portable", "mobile", "tel portable", "telephone portable"]),
    ("work_phone", "Téléphone professionnel", ["telephone", "tel", "tel pro", "fixe"]),
    ("email", "E-mail", ["email", "e mail", "mail", "courriel", "adresse e mail"]),
    ("mssante_email", "Adresse MSSanté", ["mssante", "messagerie securisee"]),
    ("is_volunteer", "Volontaire (oui/non)", ["volontaire", "volontariat", "benevole"]),
    ("skills", "Compétences", ["competences", "competence", "savoir faire"]),
]
REQUIRED_TARGETS = {"last_name"}


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """{field: header} for every field whose words match a header exactly."""
    by_words = {normalize(h): h for h in headers}
    mapping = {}
    for field, _label, aliases in CONTACT_TARGETS:
        found = next((by_words[a] for a in aliases if a in by_words), None)
        if found and found not in mapping.values():
            mapping[field] = found
    return mapping
