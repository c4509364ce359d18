"""Contacts from the spreadsheet a CPTS already keeps: mapping, validation, re-import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.factories import OrganisationFactory
from tocsin.directory.enums import ImportKind, ImportStatus
from tocsin.directory.models import Contact, ImportRun
from tocsin.territory.services import add_communes

CSV = (
    "Nom;Prénom;Profession;Portable;Courriel;Ville;Structure;Volontaire\n"
    "Le Guen;Camille;Infirmière;06 12 34 56 78;camille@exemple.test;Pornic;Cabinet du Port;oui\n"
    "Riou;Yann;Médecin;12;yann@exemple.test;Pornic;;non\n"
    ";Sans;Nom;;;;;\n"
    "Hamon;Lou;Pharmacien;0240000000;lou@exemple.test;Paris;;\n"
    "Prigent;Noé;Kiné;;noe@exemple.test;44131;;x\n"
)


@pytest.fixture
def coordinator(personas, client_for):
    add_communes(None, personas.cpts, ["44131"])
    OrganisationFactory(cpts=personas.cpts, name="Cabinet du Port")
    return client_for(personas.coordinator)


def upload(client, name, content, django_capture_on_commit_callbacks):
    data = {"kind": ImportKind.CONTACTS_FILE, "file": SimpleUploadedFile(name, content)}
    response = client.post(reverse("directory:import_list"), data)
    run = ImportRun.objects.latest("pk")
    assert response["Location"] == reverse("directory:import_detail", kwargs={"pk": run.pk})
    page = client.get(response["Location"]).content.decode()
    assert run.status == ImportStatus.MAPPING
    return run, page


def map_and_analyse(client, run, capture, **override):
    mapping = {"last_name": "Nom", "first_name": "Prénom", "profession_label": "Profession",
               "mobile_phone": "Portable", "email": "Courriel", "commune": "Ville",
               "organisation": "Structure", "is_volunteer": "Volontaire", **override}  # fmt: skip
    with capture(execute=True):
        client.post(reverse("directory:import_detail", kwargs={"pk": run.pk}), mapping)
    run.refresh_from_db()
    return run


def test_columns_are_guessed_then_each_bad_row_is_reported(
    coordinator, django_capture_on_commit_callbacks
):
    run, page = upload(
        coordinator, "membres.csv", CSV.encode("cp1252"), django_capture_on_commit_callbacks
    )
    assert '<option value="Courriel" selected>' in page  # guessed from the header
    run = map_and_analyse(coordinator, run, django_capture_on_commit_callbacks)
    assert run.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 3}
    reasons = {row["line"]: row["reason"] for row in run.rejected}
    assert reasons == {
        3: "Téléphone portable invalide : « 12 ».",
        4: "Nom manquant.",
        5: "Commune inconnue du territoire : « Paris ».",
    }


def test_applying_creates_links_and_a_second_import_changes_nothing(
    coordinator, personas, django_capture_on_commit_callbacks
):
    for _ in range(2):
        run, _page = upload(
            coordinator, "membres.csv", CSV.encode(), django_capture_on_commit_callbacks
        )
        run = map_and_analyse(coordinator, run, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            coordinator.post(reverse("directory:import_apply", kwargs={"pk": run.pk}))
        run.refresh_from_db()
    assert run.counts == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 3}
    camille = Contact.objects.get(email="camille@exemple.test")
    assert camille.mobile_phone.as_e164 == "+33612345678"
    assert camille.is_volunteer and camille.commune.insee_code == "44131"
    assert [o.name for o in camille.organisations.all()] == ["Cabinet du Port"]
    assert Contact.objects.get(email="noe@exemple.test").is_volunteer


def test_an_excel_workbook_is_read_too(coordinator, django_capture_on_commit_callbacks):
    book = Workbook()
    sheet = book.active
    sheet.append(["Nom", "Prénom", "Portable"])
    sheet.append(["Abgrall", "Maëlle", 612345678])  # Excel dropped the leading zero
    buffer = io.BytesIO()
    book.save(buffer)
    run, page = upload(
        coordinator, "liste.xlsx", buffer.getvalue(), django_capture_on_commit_callbacks
    )
    run = map_and_analyse(coordinator, run, django_capture_on_commit_callbacks,
                          profession_label="", email="", commune="", organisation="",
                          is_volunteer="", mobile_phone="Portable")  # fmt: skip
    assert run.counts["created"] == 1, run.rejected


def test_a_file_without_columns_fails_in_french(coordinator, django_capture_on_commit_callbacks):
    data = {"kind": ImportKind.CONTACTS_FILE, "file": SimpleUploadedFile("x.csv", b"rien\n")}
    response = coordinator.post(reverse("directory:import_list"), data, follow=True)
    assert "Impossible de reconnaître les colonnes" in response.content.decode()
