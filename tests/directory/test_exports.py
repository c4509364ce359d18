"""Directory exports for when the network is down: CSV, XLSX, vCard and the printable PDF."""

import csv
import io
from datetime import UTC, datetime

import pytest
import vobject
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import ContactFactory, GroupFactory, OrganisationFactory
from tocsin.core.models import AuditEntry
from tocsin.directory.export_views import print_sections
from tocsin.directory.exports import render_directory_html
from tocsin.directory.models import Contact, Organisation

URLS = {
    "csv": "/annuaire/export/annuaire.csv",
    "xlsx": "/annuaire/export/annuaire.xlsx",
    "vcard": "/annuaire/export/annuaire.vcf",
    "pdf": "/annuaire/export/annuaire.pdf",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "vcard": "vcf", "pdf": "pdf"}
# Session, user, memberships, 2FA device and the audit entry, plus the rows: contacts and their
# organisations (and, for XLSX and PDF, the organisations; for PDF, the crisis groups' members).
QUERY_BUDGET = {"csv": 7, "xlsx": 8, "vcard": 7, "pdf": 12}


@pytest.fixture
def hospital(personas):
    return OrganisationFactory(
        cpts=personas.cpts,
        name="Hôpital de Pornic",
        crisis_phone="+33240111213",
        crisis_email="crise@hopital-pornic.test",
    )


@pytest.fixture
def nurse(personas, hospital):
    nurse = ContactFactory(
        cpts=personas.cpts,
        last_name="Lefèvre-Ménard",
        first_name="Éloïse",
        profession_label="Infirmière",
        job_title="Cadre de santé, urgences; nuit",
        work_phone="+33240212223",
        mssante_email="eloise.lefevre@pornic.mssante.fr",
        skills="Triage\nPlan blanc",
    )
    nurse.organisations.add(hospital)
    ContactFactory(cpts=personas.other_cpts, last_name="Voisin-Secret")
    return nurse


def download(client, file_format):
    response = client.get(URLS[file_format])
    assert response.status_code == 200
    filename = f"annuaire-cote-de-test-{timezone.localdate():%Y%m%d}.{EXTENSIONS[file_format]}"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    return response


def this_cpts_names(personas):
    return sorted(Contact.objects.for_cpts(personas.cpts).values_list("last_name", flat=True))


def test_csv_opens_in_french_excel_with_accents_and_only_this_cpts(personas, client_for, nurse):
    response = download(client_for(personas.coordinator), "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text), delimiter=";")
    assert header[:3] == ["Nom", "Prénom", "Profession"]
    assert sorted(row[0] for row in rows) == this_cpts_names(personas)
    row = dict(zip(header, next(r for r in rows if r[0] == "Lefèvre-Ménard"), strict=True))
    assert row["Prénom"] == "Éloïse" and row["Organisations"] == "Hôpital de Pornic"
    assert row["Portable"] == "06 12 34 56 78"
    assert row["Téléphone professionnel"] == "02 40 21 22 23"
    assert row["Adresse MSSanté"] == "eloise.lefevre@pornic.mssante.fr"
    assert "Voisin-Secret" not in text


def test_a_name_typed_as_a_formula_stays_text(personas, client_for):
    ContactFactory(cpts=personas.cpts, last_name='=HYPERLINK("https://pirate.test")')
    client = client_for(personas.coordinator)
    text = download(client, "csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    workbook = load_workbook(io.BytesIO(download(client, "xlsx").content))
    cell = next(c for c in workbook["Contacts"]["A"] if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s"


def test_xlsx_has_a_contacts_and_an_organisations_sheet(personas, client_for, nurse, hospital):
    response = download(client_for(personas.coordinator), "xlsx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Contacts", "Organisations"]
    contacts, organisations = workbook["Contacts"], workbook["Organisations"]
    assert contacts.freeze_panes == "A2" and contacts["A1"].font.bold
    header, *rows = contacts.iter_rows(values_only=True)
    assert sorted(row[0] for row in rows) == this_cpts_names(personas)
    row = dict(zip(header, next(r for r in rows if r[0] == "Lefèvre-Ménard"), strict=True))
    assert row["Portable"] == "06 12 34 56 78" and row["Compétences"] == "Triage, Plan blanc"
    header, *rows = organisations.iter_rows(values_only=True)
    names = Organisation.objects.for_cpts(personas.cpts).values_list("name", flat=True)
    assert sorted(row[0] for row in rows) == sorted(names)
    row = dict(zip(header, next(r for r in rows if r[0] == hospital.name), strict=True))
    assert row["Type"] == "Centre hospitalier"
    assert row["Téléphone de crise 24 h/24"] == "02 40 11 12 13"
    assert organisations.column_dimensions["A"].width > len(hospital.name)


def test_vcard_imports_into_a_phone_with_e164_numbers(personas, client_for, nurse):
    response = download(client_for(personas.coordinator), "vcard")
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    text = response.content.decode()
    assert text.count("BEGIN:VCARD\r\n") == len(this_cpts_names(personas))
    assert "\n" not in text.replace("\r\n", "")
    cards = list(vobject.readComponents(text))
    assert sorted(card.n.value.family for card in cards) == this_cpts_names(personas)
    card = next(card for card in cards if card.n.value.family == "Lefèvre-Ménard")
    assert card.fn.value == "Éloïse Lefèvre-Ménard"
    phones = {tel.params["TYPE"][0].lower(): tel.value for tel in card.contents["tel"]}
    assert phones == {"cell": "+33612345678", "work": "+33240212223"}
    assert card.title.value == "Cadre de santé, urgences; nuit"
    assert card.role.value == "Infirmière"
    assert [org.value for org in card.contents["org"]] == [["Hôpital de Pornic"]]
    emails = {email.value: email.params["TYPE"] for email in card.contents["email"]}
    assert "X-MSSANTE" in emails["eloise.lefevre@pornic.mssante.fr"]
    assert card.note.value == "Compétences : Triage, Plan blanc"


def test_pdf_is_a_pdf(personas, client_for, nurse):
    response = download(client_for(personas.cell_member), "pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_printed_directory_lists_key_contacts_first(personas, nurse, hospital):
    crisis_cell = GroupFactory(cpts=personas.cpts, name="Cellule de crise", is_crisis_function=True)
    crisis_cell.members.add(nurse)
    sections = print_sections(personas.cpts)
    printed_at = datetime(2026, 11, 23, 13, 5, tzinfo=UTC)
    html = render_directory_html(personas.cpts, sections, printed_at=printed_at)
    assert "Imprimé le 23/11/2026 à 14:05" in html
    assert "Document confidentiel — données personnelles, à détruire après usage" in html
    assert 'counter(page) " / " counter(pages)' in html
    key, rest = html.split('id="contacts-cles"')[1].split('id="organisations"')
    organisations, everyone = rest.split('id="annuaire-complet"')
    assert "Cellule de crise" in key and "LEFÈVRE-MÉNARD" in key
    # The other group of the CPTS is not a crisis function: its member waits for the full list.
    other_member = Contact.objects.for_cpts(personas.cpts).exclude(pk=nurse.pk).get()
    assert other_member.last_name.upper() not in key
    assert other_member.last_name.upper() in everyone
    assert "Centre hospitalier" in organisations and "02 40 11 12 13" in organisations
    assert "VOISIN-SECRET" not in html


@pytest.mark.parametrize("file_format", URLS)
def test_a_member_cannot_export(personas, client_for, file_format):
    response = client_for(personas.member).get(URLS[file_format])
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(code="directory.export.downloaded").exists()


@pytest.mark.parametrize(
    ("file_format", "rows"), [("csv", 2), ("xlsx", 4), ("vcard", 2), ("pdf", 4)]
)
def test_each_export_is_audited(personas, client_for, nurse, file_format, rows):
    download(client_for(personas.cell_member), file_format)
    entry = AuditEntry.objects.get(code="directory.export.downloaded")
    assert entry.cpts == personas.cpts and entry.actor == personas.cell_member
    assert entry.data == {"format": file_format, "rows": rows}
    assert entry.sentence.endswith(f"a exporté l'annuaire ({file_format}, {rows} lignes)")


@pytest.mark.parametrize("rows", [3, 40])
@pytest.mark.parametrize("file_format", URLS)
def test_exports_have_a_fixed_number_of_queries(
    personas, client_for, django_assert_max_num_queries, hospital, rows, file_format
):
    GroupFactory(cpts=personas.cpts, is_crisis_function=True, rule={"professions": ["60"]})
    for _ in range(rows):
        ContactFactory(cpts=personas.cpts).organisations.add(hospital)
    client = client_for(personas.coordinator)
    with django_assert_max_num_queries(QUERY_BUDGET[file_format]):
        download(client, file_format)
