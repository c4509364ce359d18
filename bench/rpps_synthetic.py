"""A synthetic RPPS extraction the size of the national one, to time the RPPS importer.

`write_synthetic_rpps` writes rows in the column layout of PS_LibreAcces_Personne_activite
(fictional people, realistic values). Run this module to time, on two million rows, the
importer restricted to one CPTS against a bare `csv.reader` pass over the same file:
    .venv/bin/python bench/rpps_synthetic.py [rows]
"""

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tocsin.directory.importers.rpps import iter_rpps  # noqa: E402

# The columns of the real extraction, in its order.
HEADER = [
    "Type d'identifiant PP", "Identifiant PP", "Identification nationale PP",
    "Code civilité d'exercice", "Libellé civilité d'exercice", "Code civilité",
    "Libellé civilité", "Nom d'exercice", "Prénom d'exercice", "Code profession",
    "Libellé profession", "Code catégorie professionnelle",
    "Libellé catégorie professionnelle", "Code type savoir-faire", "Libellé type savoir-faire",
    "Code savoir-faire", "Libellé savoir-faire", "Code mode exercice", "Libellé mode exercice",
    "Numéro SIRET site", "Numéro SIREN site", "Numéro FINESS site",
    "Numéro FINESS établissement juridique", "Identifiant technique de la structure",
    "Raison sociale site", "Enseigne commerciale site",
    "Complément destinataire (coord. structure)",
    "Complément point géographique (coord. structure)", "Numéro Voie (coord. structure)",
    "Indice répétition voie (coord. structure)", "Code type de voie (coord. structure)",
    "Libellé type de voie (coord. structure)", "Libellé Voie (coord. structure)",
    "Mention distribution (coord. structure)", "Bureau cedex (coord. structure)",
    "Code postal (coord. structure)", "Code commune (coord. structure)",
    "Libellé commune (coord. structure)", "Code pays (coord. structure)",
    "Libellé pays (coord. structure)", "Téléphone (coord. structure)",
    "Téléphone 2 (coord. structure)", "Télécopie (coord. structure)",
    "Adresse e-mail (coord. structure)", "Code Département (structure)",
    "Libellé Département (structure)", "Ancien identifiant de la structure",
    "Autorité d'enregistrement", "Code secteur d'activité", "Libellé secteur d'activité",
    "Code section tableau pharmaciens", "Libellé section tableau pharmaciens", "Code rôle",
    "Libellé rôle", "Code genre activité", "Libellé genre activité",
]  # fmt: skip

# Code, label, share of the rows (roughly the national proportions), registration authority.
PROFESSIONS = [
    ("10", "Médecin", 0.25, "CNOM/CNOM/CNOM"),
    ("21", "Pharmacien", 0.09, "CNOP/CNOP"),
    ("60", "Infirmier", 0.45, "ONI/ONI"),
    ("70", "Masseur-Kinésithérapeute", 0.12, "CNOMK/CNOMK"),
    ("40", "Chirurgien-Dentiste", 0.06, "ONCD/ONCD"),
    ("50", "Sage-Femme", 0.03, "CNOSF/CNOSF"),
]
GP_SKILLS = [
    ("SM54", "Médecine Générale (SM)"), ("SM53", "Spécialiste en Médecine Générale (SM)"),
    ("SM26", "Qualifié en Médecine Générale (SM)"), ("SM02", "Anesthésie-réanimation (SM)"),
    ("SM32", "Pédiatrie (SM)"), ("SM04", "Cardiologie et maladies vasculaires (SM)"),
]  # fmt: skip
LAST_NAMES = [
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU",
    "LAURENT", "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL",
    "FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT",
    "MULLER", "LEFÈVRE", "FAURE", "ANDRÉ", "MERCIER", "BLANC", "GUÉRIN", "BOYER", "GARNIER",
]  # fmt: skip
FIRST_NAMES = {
    "M": ["Jean", "Pierre", "Louis", "Hugo", "Lucas", "Théo", "Nicolas", "Julien", "Yann",
          "Gaël", "Olivier", "Mathieu"],
    "MME": ["Marie", "Camille", "Léa", "Chloé", "Anne", "Sophie", "Élise", "Nathalie", "Julie",
            "Maëlle", "Claire", "Inès"],
}  # fmt: skip
CIVILITIES = {"M": "Monsieur", "MME": "Madame"}
STREETS = [("R", "Rue", "DES LILAS"), ("AV", "Avenue", "DU GÉNÉRAL DE GAULLE"),
           ("BD", "Boulevard", "DE L'OCÉAN"), ("PL", "Place", "DE L'ÉGLISE"),
           ("CHE", "Chemin", "DES PRÉS"), ("R", "Rue", "JULES VERNE")]  # fmt: skip
CITY_PARTS = (["SAINT-", "LA ", "LE ", "", "LES ", "SAINTE-"],
              ["MARTIN", "PIERRE", "BOIS", "MOTTE", "VILLE", "FONTAINE", "CHAPELLE", "MARAIS"],
              ["", "-SUR-LOIRE", "-EN-RETZ", "-LES-BAINS", "-DE-BRETAGNE", " D'AUNIS"])  # fmt: skip
DEPARTMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
OVERSEAS = ["971", "972", "973", "974", "976"]
SECOND_ACTIVITY_SHARE = 0.12  # a person practising in two places has two rows
CHUNK_ROWS = 50_000
# Twenty-nine communes of the Pays de Retz and around Nantes, as a CPTS would have.
BENCH_TERRITORY = [
    "44005", "44012", "44021", "44031", "44038", "44046", "44061", "44070", "44084", "44087",
    "44102", "44106", "44116", "44123", "44126", "44131", "44136", "44145", "44154", "44178",
    "44180", "44182", "44187", "44192", "44195", "44211", "44216", "44220", "44223",
]  # fmt: skip


def national_commune_codes() -> list[str]:
    """About 35,000 commune codes spread over every department, as INSEE numbers them."""
    codes = [f"{dep}{n:03d}" for dep in DEPARTMENTS for n in range(1, 365)]
    return codes + [f"{dep}{n:02d}" for dep in OVERSEAS for n in range(1, 35)]


def commune_labels(codes: list[str]) -> dict[str, tuple[str, str]]:
    """Postal code and fictional name of each commune."""
    prefixes, roots, suffixes = CITY_PARTS
    labels = {}
    for i, code in enumerate(codes):
        postal = "20" + code[2:] if code[:2] in ("2A", "2B") else code
        name = prefixes[i % 6] + roots[(i // 6) % 8] + suffixes[(i // 48) % 6]
        labels[code] = (postal, name)
    return labels


def write_synthetic_rpps(
    path,
    rows: int,
    insee_codes_in_territory: list[str],
    territory_share: float = 0.002,
    seed=2026,
) -> None:
    """Writes `rows` activity rows, `territory_share` of them in the given communes."""
    rng = random.Random(seed)
    territory = list(insee_codes_in_territory)
    elsewhere = [code for code in national_commune_codes() if code not in set(territory)]
    labels = commune_labels(elsewhere + territory)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("|".join(HEADER) + "|\n")
        person = None
        for start in range(0, rows, CHUNK_ROWS):
            lines = []
            for _ in range(min(CHUNK_ROWS, rows - start)):
                if person is None or rng.random() >= SECOND_ACTIVITY_SHARE:
                    person = new_person(rng)
                in_territory = territory and rng.random() < territory_share
                commune = rng.choice(territory if in_territory else elsewhere)
                lines.append(activity_line(rng, person, commune, labels[commune]))
            handle.write("".join(lines))


def new_person(rng: random.Random) -> tuple:
    civility = rng.choice(("M", "MME"))
    profession = rng.choices(PROFESSIONS, weights=[p[2] for p in PROFESSIONS])[0]
    rpps_id = f"810{rng.randrange(10**8):08d}"
    return rpps_id, civility, rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES[civility]), profession


def activity_line(rng: random.Random, person: tuple, commune: str, label: tuple) -> str:
    rpps_id, civility, last_name, first_name, profession = person
    code, profession_label, _, authority = profession
    postal, city = label
    liberal = rng.random() < 0.7
    skill = rng.choice(GP_SKILLS) if code == "10" else ("", "")
    department = commune[:3] if commune.startswith("97") else commune[:2]
    street_code, street_type, street = rng.choice(STREETS)
    siret = f"{rng.randrange(10**14):014d}"
    phone = f"0240{rng.randrange(10**6):06d}" if rng.random() < 0.7 else ""
    email = f"{first_name[0]}.{last_name}@exemple-sante.fr".lower() if rng.random() < 0.15 else ""
    fields = (
        "8", rpps_id, "8" + rpps_id, "DR" if code == "10" else "",
        "Docteur" if code == "10" else "", civility, CIVILITIES[civility], last_name,
        first_name, code, profession_label, "C", "Civil", "S" if skill[0] else "",
        "Spécialité ordinale" if skill[0] else "", skill[0], skill[1],
        "L" if liberal else "S", "Libéral, indépendant, artisan, commerçant" if liberal
        else "Salarié", siret, siret[:9], "" if liberal else f"44000{rng.randrange(10**4):04d}",
        "", f"R1{siret}", f"CABINET {last_name}" if liberal else "CENTRE HOSPITALIER", "", "",
        "", str(rng.randrange(1, 120)), "", street_code, street_type, street, "", "", postal,
        commune, city, "99000", "France", phone, "", "", email, department,
        f"DÉPARTEMENT {department}", "", authority, "SA07" if liberal else "SA01",
        "Cabinet individuel" if liberal else "Etablissement public de santé",
        "A" if code == "21" else "", "Pharmaciens titulaires d'officine" if code == "21" else "",
        "FON-01", "Titulaire de cabinet" if liberal else "Salarié", "GENR01",
        "Activité standard de soin ou de pharmacien",
    )  # fmt: skip
    return "|".join(fields) + "|\n"


def best_of(runs: int, action) -> tuple[float, object]:
    """Shortest time of several runs (the others were slowed by something else) and result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), result


def csv_reader_pass(path) -> int:
    with open(path, encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle, delimiter="|"))


def importer_pass(path) -> tuple[int, int]:
    rejected = []
    with open(path, "rb") as handle:
        kept = sum(1 for _ in iter_rpps(handle, set(BENCH_TERRITORY), rejected))
    return kept, len(rejected)


def main(rows: int = 2_000_000) -> None:
    path = Path(tempfile.mkdtemp(prefix="tocsin-rpps-")) / "PS_LibreAcces_Personne_activite.txt"
    start = time.perf_counter()
    write_synthetic_rpps(path, rows, BENCH_TERRITORY)
    written = time.perf_counter() - start
    print(f"écriture de {rows:,} lignes : {written:.1f} s ({path.stat().st_size / 1e6:.0f} Mo)")
    baseline, read = best_of(3, lambda: csv_reader_pass(path))
    parsed, (kept, rejected) = best_of(3, lambda: importer_pass(path))
    print(f"csv.reader seul : {baseline:.2f} s ({read:,} lignes)")
    print(f"iter_rpps sur {len(BENCH_TERRITORY)} communes : {parsed:.2f} s "
          f"({kept:,} activités, {rejected} rejets)  ×{parsed / baseline:.2f}")  # fmt: skip
    path.unlink()
    path.parent.rmdir()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000)
