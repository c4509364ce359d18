"""The FINESS and RPPS file readers, on small files built here (no database)."""

import io
import math
from itertools import islice

import pytest

from bench.rpps_synthetic import HEADER as SYNTHETIC_HEADER
from bench.rpps_synthetic import write_synthetic_rpps
from tocsin.directory.importers.base import FatalImportError, decode_lines
from tocsin.directory.importers.finess import parse_finess
from tocsin.directory.importers.rpps import RppsActivity, iter_rpps

TERRITORY = {"44131", "44154"}  # Pornic, Saint-Brevin-les-Pins

# FINESS ------------------------------------------------------------------------------------

# Written out again here rather than imported, so a shifted column in the reader shows.
FINESS_FIELDS = [
    "structureet", "nofinesset", "nofinessej", "rs", "rslongue", "complrs", "compldistrib",
    "numvoie", "typvoie", "voie", "compvoie", "lieuditbp", "commune", "departement",
    "libdepartement", "ligneacheminement", "telephone", "telecopie", "categetab", "libcategetab",
    "categagretab", "libcategagretab", "siret", "codeape", "codemft", "libmft", "codesph",
    "libsph", "dateouv", "dateautor", "datemaj", "numuai",
]  # fmt: skip
LAMBERT_SOURCE = "1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93"


def structure(**values) -> str:
    row = dict.fromkeys(FINESS_FIELDS, "") | {"structureet": "structureet"} | values
    return ";".join(row[name] for name in FINESS_FIELDS)


HOSPITAL = structure(
    nofinesset="440000289", nofinessej="440000271", rs="CH PORNIC",
    rslongue="CENTRE HOSPITALIER DE PORNIC", numvoie="6", typvoie="R", voie="DE L'HÔPITAL",
    commune="131", departement="44", libdepartement="LOIRE ATLANTIQUE",
    ligneacheminement="44210 PORNIC", telephone="0240828000", categetab="355",
    libcategetab="Centre Hospitalier (C.H.)", siret="26440018300019",
)  # fmt: skip
PHARMACY = structure(
    nofinesset="440012345", nofinessej="440012337", rs="PHARMACIE DE L'ÉGLISE",
    numvoie="12", compvoie="B", typvoie="R", voie="DE  L'ÉGLISE ", lieuditbp="BP 7",
    commune="154", departement="44", ligneacheminement="44250 SAINT-BREVIN-LES-PINS",
    telephone="0240271234", categetab="620", libcategetab="Pharmacie d'Officine",
    siret="81234567800012",
)  # fmt: skip
NANTES_EHPAD = structure(
    nofinesset="440099999", rs="EHPAD LES GLYCINES", commune="109", departement="44",
    ligneacheminement="44000 NANTES", categetab="500",
)  # fmt: skip
AJACCIO_LAB = structure(
    nofinesset="2A0000123", rs="LABORATOIRE DU COURS", commune="004", departement="2A",
    ligneacheminement="20000 AJACCIO", categetab="611",
)  # fmt: skip
SAINT_DENIS_SSIAD = structure(
    nofinesset="970412345", rs="SSIAD DU NORD", commune="411", departement="9D",
    ligneacheminement="97400 ST DENIS", categetab="354",
)  # fmt: skip
FINESS_LINES = [
    "finess;etalab;95;2024-11-05",  # 1
    HOSPITAL,  # 2
    PHARMACY,  # 3
    NANTES_EHPAD,  # 4
    structure(nofinesset="440055555", commune="131", departement="44").rsplit(";", 1)[0],  # 5
    AJACCIO_LAB,  # 6
    SAINT_DENIS_SSIAD,  # 7
    "structurej;440000271;CH PORNIC",  # 8
    f"geolocalisation;440000289;355000.0;6690000.0;{LAMBERT_SOURCE};2024-01-04",  # 9
    f"geolocalisation;440012345;abc;6680000;{LAMBERT_SOURCE};2024-01-04",  # 10
    f"geolocalisation;440099999;xyz;;{LAMBERT_SOURCE};2024-01-04",  # 11
    "geolocalisation;970412345;338000;7690000;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,UTM_S40;",  # 12
]


def finess_file(lines=FINESS_LINES, encoding="utf-8") -> io.BytesIO:
    return io.BytesIO("\r\n".join(lines).encode(encoding) + b"\r\n")


def lambert93_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """IGN's closed-form inverse Lambert-93 (note NT/G 71, ALG0004), independent of PROJ."""
    n, c, e = 0.7256077650532670, 11754255.426096, 0.0818191910428158
    xs, ys = 700000.0, 12655612.049876
    isometric = -math.log(math.hypot(x - xs, y - ys) / c) / n
    latitude = 2 * math.atan(math.exp(isometric)) - math.pi / 2
    for _ in range(20):
        s = e * math.sin(latitude)
        latitude = 2 * math.atan(((1 + s) / (1 - s)) ** (e / 2) * math.exp(isometric)) - math.pi / 2
    longitude = 3 + math.degrees(math.atan((x - xs) / (ys - y)) / n)
    return math.degrees(latitude), longitude


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1"])
def test_finess_reads_the_establishments_of_the_territory_in_either_encoding(encoding):
    result = parse_finess(finess_file(encoding=encoding), insee_codes=TERRITORY)

    assert [e.name for e in result.establishments] == [
        "CENTRE HOSPITALIER DE PORNIC",
        "PHARMACIE DE L'ÉGLISE",  # no long name: the short one
    ]
    pharmacy = result.establishments[1]
    assert pharmacy.line == 3
    assert (pharmacy.finess_et, pharmacy.finess_ej) == ("440012345", "440012337")
    assert pharmacy.address == "12 B R DE L'ÉGLISE BP 7"
    assert (pharmacy.postal_code, pharmacy.city) == ("44250", "SAINT-BREVIN-LES-PINS")
    assert pharmacy.insee_code == "44154"
    assert (pharmacy.category_code, pharmacy.category_label) == ("620", "Pharmacie d'Officine")
    assert (pharmacy.phone, pharmacy.siret) == ("0240271234", "81234567800012")
    assert result.lines_read == 12


def test_finess_keeps_only_the_categories_asked_for():
    result = parse_finess(finess_file(), categories={"620", "611"})
    assert [e.finess_et for e in result.establishments] == ["440012345", "2A0000123"]


def test_finess_without_filter_keeps_every_well_formed_establishment():
    result = parse_finess(finess_file())
    assert len(result.establishments) == 5


def test_finess_rejects_the_broken_lines_that_may_concern_the_territory_in_french():
    result = parse_finess(finess_file(), insee_codes=TERRITORY)

    assert [(r.line, r.reason) for r in result.rejected] == [
        (5, "La ligne compte 31 champs au lieu de 32."),
        (8, "Type de ligne inconnu : « structurej »."),
        (
            10,
            "Coordonnées illisibles pour l'établissement 440012345 : x « abc », y « 6680000 ».",
        ),
    ]
    assert result.rejected[1].excerpt == "structurej;440000271;CH PORNIC"
    # The establishment itself stays, without a position; line 11 concerns Nantes: ignored.
    assert result.establishments[1].latitude is None


def test_finess_does_not_blame_a_territory_for_broken_rows_of_another_department():
    result = parse_finess(finess_file(), insee_codes={"2A004"})
    assert [e.name for e in result.establishments] == ["LABORATOIRE DU COURS"]
    assert [r.line for r in result.rejected] == [8]  # the 31-field row is a 44 establishment


def test_finess_excerpt_is_the_beginning_of_the_line():
    long_name = "X" * 300
    lines = ["finess;etalab", structure(nofinesset="44ABC", rs=long_name, commune="131",
                                        departement="44")]  # fmt: skip
    (problem,) = parse_finess(finess_file(lines), insee_codes=TERRITORY).rejected
    assert problem.reason == (
        "Numéro FINESS de l'établissement invalide : « 44ABC » (9 caractères attendus)."
    )
    assert problem.excerpt == lines[1][:120] and len(problem.excerpt) == 120


def test_finess_converts_lambert93_to_wgs84():
    result = parse_finess(finess_file(), insee_codes=TERRITORY)
    hospital = result.establishments[0]

    expected_latitude, expected_longitude = lambert93_to_wgs84(355000.0, 6690000.0)
    assert hospital.latitude == pytest.approx(expected_latitude, abs=1e-5)
    assert hospital.longitude == pytest.approx(expected_longitude, abs=1e-5)
    # That point is Nantes, 47.22 N 1.56 W.
    assert hospital.latitude == pytest.approx(47.22, abs=0.05)
    assert hospital.longitude == pytest.approx(-1.56, abs=0.05)


def test_finess_codes_overseas_and_corsican_communes_as_insee_does():
    result = parse_finess(finess_file(), insee_codes={"2A004", "97411"})
    lab, ssiad = result.establishments
    assert (lab.insee_code, ssiad.insee_code) == ("2A004", "97411")
    # Réunion's coordinates are in UTM 40 S, not Lambert-93: the SSIAD stays on the island.
    assert -21.4 < ssiad.latitude < -20.8 and 55.2 < ssiad.longitude < 55.9


def test_finess_rejects_coordinates_outside_their_projection():
    lines = ["finess;etalab", HOSPITAL, f"geolocalisation;440000289;0;0;{LAMBERT_SOURCE};"]
    result = parse_finess(finess_file(lines))
    assert [r.reason for r in result.rejected] == [
        "Coordonnées hors du territoire de leur projection pour l'établissement 440000289 : "
        "x « 0 », y « 0 »."
    ]
    assert result.establishments[0].latitude is None


def test_finess_refuses_a_file_that_is_not_the_finess_extraction():
    with pytest.raises(FatalImportError) as error:
        parse_finess(io.BytesIO(b"nofinesset;rs;commune\n440000289;CH;131\n"))
    assert "première ligne" in error.value.message and "« finess; »" in error.value.message
    with pytest.raises(FatalImportError, match="vide"):
        parse_finess(io.BytesIO(b""))


# Decoding ----------------------------------------------------------------------------------


def test_decoding_falls_back_to_cp1252_even_after_megabytes_of_ascii():
    ascii_part = b"structureet;440000289;CH PORNIC\n" * 100_000  # 3 MB
    data = ascii_part + "EHPAD LE SACRÉ-CŒUR\n".encode("cp1252") + "Hélène\n".encode("cp1252")
    lines = list(decode_lines(io.BytesIO(data)))
    assert lines[-2:] == [(100_001, "EHPAD LE SACRÉ-CŒUR"), (100_002, "Hélène")]


def test_decoding_reads_utf8_strips_the_bom_and_line_endings():
    data = "\ufefffiness;etalab\r\nPHARMACIE DE L'ÉGLISE\r\n".encode()
    assert list(decode_lines(io.BytesIO(data))) == [
        (1, "finess;etalab"),
        (2, "PHARMACIE DE L'ÉGLISE"),
    ]


# RPPS --------------------------------------------------------------------------------------

RPPS_HEADER = [
    "Type d'identifiant PP", "Identifiant PP", "Identification nationale PP", "Nom d'exercice",
    "Prénom d'exercice", "Code profession", "Libellé profession", "Code savoir-faire",
    "Libellé savoir-faire", "Code mode exercice", "Numéro FINESS site", "Raison sociale site",
    "Code postal (coord. structure)", "Code commune (coord. structure)",
    "Libellé commune (coord. structure)", "Téléphone (coord. structure)",
    "Adresse e-mail (coord. structure)",
]  # fmt: skip
DOCTOR = {
    "Type d'identifiant PP": "8", "Identifiant PP": "10001234567",
    "Identification nationale PP": "810001234567", "Nom d'exercice": "LEFÈVRE",
    "Prénom d'exercice": "Hélène", "Code profession": "10", "Libellé profession": "Médecin",
    "Code savoir-faire": "SM54", "Libellé savoir-faire": "Médecine Générale (SM)",
    "Code mode exercice": "L", "Raison sociale site": "CABINET MÉDICAL DU PORT",
    "Code postal (coord. structure)": "44210", "Code commune (coord. structure)": "44131",
    "Libellé commune (coord. structure)": "Pornic",
    "Téléphone (coord. structure)": "0240821234",
    "Adresse e-mail (coord. structure)": "h.lefevre@exemple.fr",
}  # fmt: skip
NURSE_IN_NANTES = DOCTOR | {
    "Identifiant PP": "10009999999", "Nom d'exercice": "MARTIN", "Code profession": "60",
    "Libellé profession": "Infirmier", "Code commune (coord. structure)": "44109",
}  # fmt: skip
PHARMACIST = DOCTOR | {
    "Identifiant PP": "10007654321", "Nom d'exercice": "DURAND", "Prénom d'exercice": "Yann",
    "Code profession": "21", "Libellé profession": "Pharmacien", "Code savoir-faire": "",
    "Libellé savoir-faire": "", "Code mode exercice": "S", "Numéro FINESS site": "440012345",
    "Raison sociale site": "PHARMACIE DE L'ÉGLISE", "Code postal (coord. structure)": "44250",
    "Code commune (coord. structure)": "44154",
    "Libellé commune (coord. structure)": "Saint-Brevin-les-Pins",
    "Adresse e-mail (coord. structure)": "",
}  # fmt: skip
DOCTOR_AT_HOSPITAL = DOCTOR | {
    "Code mode exercice": "S", "Numéro FINESS site": "440000289",
    "Raison sociale site": "CENTRE HOSPITALIER DE PORNIC",
}  # fmt: skip


def rpps_line(values: list[str]) -> str:
    return "|".join(values) + "|"  # the trailing "|" of the real extraction


def rpps_file(rows, header=RPPS_HEADER, encoding="utf-8") -> io.BytesIO:
    lines = [rpps_line(header)] + [
        row if isinstance(row, str) else rpps_line([row.get(name, "") for name in RPPS_HEADER])
        for row in rows
    ]
    return io.BytesIO("\n".join(lines).encode(encoding) + b"\n")


def test_rpps_yields_every_activity_of_the_territory_and_skips_the_others():
    rejected = []
    file = rpps_file([DOCTOR, NURSE_IN_NANTES, PHARMACIST, DOCTOR_AT_HOSPITAL])
    activities = list(iter_rpps(file, TERRITORY, rejected))

    assert [(a.line, a.last_name, a.organisation_name) for a in activities] == [
        (2, "LEFÈVRE", "CABINET MÉDICAL DU PORT"),
        (4, "DURAND", "PHARMACIE DE L'ÉGLISE"),
        (5, "LEFÈVRE", "CENTRE HOSPITALIER DE PORNIC"),  # same person, second place
    ]
    assert activities[0] == RppsActivity(
        line=2, rpps_id="10001234567", last_name="LEFÈVRE", first_name="Hélène",
        profession_code="10", profession_label="Médecin", skill_code="SM54",
        skill_label="Médecine Générale (SM)", practice_mode="L", finess_site="",
        organisation_name="CABINET MÉDICAL DU PORT", postal_code="44210", insee_code="44131",
        city="Pornic", phone="0240821234", email="h.lefevre@exemple.fr",
    )  # fmt: skip
    assert rejected == []


def test_rpps_without_territory_yields_every_row():
    file = rpps_file([DOCTOR, NURSE_IN_NANTES, PHARMACIST])
    assert [a.last_name for a in iter_rpps(file, None, [])] == ["LEFÈVRE", "MARTIN", "DURAND"]


def test_rpps_rejects_malformed_rows_of_the_territory_with_their_line_number():
    rejected = []
    rows = [
        DOCTOR,  # 2
        DOCTOR | {"Identifiant PP": "1000123"},  # 3
        DOCTOR | {"Identifiant PP": ""},  # 4
        DOCTOR | {"Nom d'exercice": ""},  # 5
        rpps_line(["8", "10001234567", "810001234567", "LEFÈVRE", "44131"]),  # 6
        NURSE_IN_NANTES | {"Identifiant PP": "ABC"},  # 7: not ours, not reported
        PHARMACIST,  # 8
    ]
    activities = list(iter_rpps(rpps_file(rows), TERRITORY, rejected))

    assert [a.line for a in activities] == [2, 8]
    assert [(r.line, r.reason) for r in rejected] == [
        (3, "Identifiant RPPS invalide : « 1000123 » (11 chiffres attendus)."),
        (4, "Identifiant RPPS manquant."),
        (5, "Nom d'exercice manquant."),
        (6, "La ligne compte 5 champs au lieu de 17."),
    ]
    assert rejected[0].excerpt.startswith("8|1000123|810001234567|LEFÈVRE|Hélène|10|")


def test_rpps_refuses_a_file_missing_required_columns_before_any_iteration():
    header = [name for name in RPPS_HEADER if name not in {"Identifiant PP", "Code profession"}]
    with pytest.raises(FatalImportError) as error:
        iter_rpps(rpps_file([], header=header), TERRITORY, [])
    assert error.value.message == (
        "Ce fichier n'est pas l'extraction RPPS attendue : colonnes obligatoires absentes : "
        "« Identifiant PP », « Code profession »."
    )
    with pytest.raises(FatalImportError, match="vide"):
        iter_rpps(io.BytesIO(b""), TERRITORY, [])


def test_rpps_finds_columns_whatever_their_case_accents_and_spaces():
    header = ["IDENTIFIANT PP", " Nom d’exercice ", "Prenom d'exercice", "code profession",
              "LIBELLE PROFESSION", "Code Commune (coord. structure)"]  # fmt: skip
    file = io.BytesIO(
        (rpps_line(header) + "\n" + rpps_line(["10001234567", "LEFÈVRE", "Hélène", "60",
                                                "Infirmier", "44131"]) + "\n").encode()
    )  # fmt: skip
    (nurse,) = iter_rpps(file, TERRITORY, [])
    assert (nurse.rpps_id, nurse.first_name, nurse.profession_label) == (
        "10001234567",
        "Hélène",
        "Infirmier",
    )
    assert nurse.email == "" and nurse.finess_site == ""  # optional columns absent


def test_rpps_reads_a_cp1252_file():
    (doctor,) = iter_rpps(rpps_file([DOCTOR], encoding="cp1252"), TERRITORY, [])
    assert (doctor.last_name, doctor.first_name) == ("LEFÈVRE", "Hélène")


def test_rpps_streams_the_file_instead_of_reading_it_whole():
    def lines():
        yield from rpps_file([DOCTOR, PHARMACIST])
        raise AssertionError("the reader went past the rows it was asked for")

    first_two = list(islice(iter_rpps(lines(), TERRITORY, []), 2))
    assert [a.last_name for a in first_two] == ["LEFÈVRE", "DURAND"]


def test_synthetic_benchmark_file_has_the_real_layout(tmp_path):
    path = tmp_path / "PS_LibreAcces_Personne_activite.txt"
    write_synthetic_rpps(path, 3_000, ["44131", "44154"], territory_share=0.05)
    rejected = []
    with open(path, "rb") as handle:
        activities = list(iter_rpps(handle, TERRITORY, rejected))

    assert len(SYNTHETIC_HEADER) >= 50 and set(RPPS_HEADER) <= set(SYNTHETIC_HEADER)
    assert rejected == []
    assert 100 < len(activities) < 200  # about 5 % of 3,000
    assert {a.insee_code for a in activities} == TERRITORY
    assert all(a.rpps_id.startswith("810") and a.last_name for a in activities)
    with open(path, "rb") as handle:
        assert sum(1 for _ in iter_rpps(handle, None, [])) == 3_000
