"""The directory as files to keep for when the network is down: CSV, XLSX, vCard and PDF.

Pure functions: they take contacts and organisations already loaded (commune and organisations
prefetched) and return the file's content; the views add the HTTP response and the audit entry.
"""

import io
from dataclasses import dataclass
from itertools import groupby
from operator import methodcaller

import vobject
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from weasyprint import HTML

from tocsin.core.spreadsheets import french_csv
from tocsin.directory.enums import OrganisationKind

CONTACT_HEADER = [
    "Nom",
    "Prénom",
    "Profession",
    "Fonction",
    "Organisations",
    "Commune",
    "Portable",
    "Téléphone professionnel",
    "E-mail",
    "Adresse MSSanté",
    "Compétences",
    "Volontaire",
    "Vérifié le",
]
ORGANISATION_HEADER = [
    "Nom",
    "Type",
    "Commune",
    "Adresse",
    "Code postal",
    "Téléphone de crise 24 h/24",
    "Standard",
    "E-mail de crise",
    "Site web",
    "FINESS",
    "Vérifiée le",
]
# A cell starting with one of these is run as a formula by spreadsheet software.
MAX_COLUMN_WIDTH = 45


@dataclass
class PrintSections:
    """The printable directory, in reading order."""

    key_groups: list  # (group, members) of each group flagged as a crisis function
    organisation_kinds: list  # (kind label, organisations) in the order of OrganisationKind
    contacts: list  # everyone, sorted by name


def contact_row(contact) -> list:
    return [
        contact.last_name,
        contact.first_name,
        contact.profession_label,
        contact.job_title,
        ", ".join(o.name for o in contact.organisations.all()),
        contact.commune.name if contact.commune else "",
        str(contact.mobile_phone or ""),
        str(contact.work_phone or ""),
        contact.email,
        contact.mssante_email,
        ", ".join(contact.skill_list),
        "oui" if contact.is_volunteer else "non",
        contact.verified_on,
    ]


def organisation_row(organisation) -> list:
    return [
        organisation.name,
        organisation.get_kind_display(),
        organisation.commune.name if organisation.commune else "",
        organisation.address,
        organisation.postal_code,
        str(organisation.crisis_phone or ""),
        str(organisation.switchboard_phone or ""),
        organisation.crisis_email,
        organisation.website,
        organisation.finess_et,
        organisation.verified_on,
    ]


def contacts_csv(contacts) -> str:
    return french_csv(CONTACT_HEADER, ([_csv_cell(v) for v in contact_row(c)] for c in contacts))


def _csv_cell(value):
    if value is None:
        return ""
    return value if isinstance(value, str) else value.strftime("%d/%m/%Y")


def directory_xlsx(contacts, organisations) -> bytes:
    workbook = Workbook()
    _fill_sheet(workbook.active, "Contacts", CONTACT_HEADER, map(contact_row, contacts))
    sheet = workbook.create_sheet()
    _fill_sheet(sheet, "Organisations", ORGANISATION_HEADER, map(organisation_row, organisations))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_sheet(sheet, title, header, rows):
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.iter_cols():
        for cell in column:
            _as_text_or_date(cell)
        width = max(len(str(cell.value or "")) for cell in column) + 2
        sheet.column_dimensions[get_column_letter(column[0].column)].width = min(
            width, MAX_COLUMN_WIDTH
        )
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _as_text_or_date(cell):
    # openpyxl turns any string starting with "=" into a formula: keep what was typed as text.
    if cell.data_type == "f":
        cell.data_type = "s"
    elif cell.is_date:
        cell.number_format = "DD/MM/YYYY"


def contacts_vcard(contacts) -> str:
    """vCard 3.0, understood by every phone and address book; vobject escapes and folds lines."""
    return "".join(_vcard(contact).serialize() for contact in contacts)


def _vcard(contact):
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(family=contact.last_name, given=contact.first_name)
    card.add("fn").value = contact.full_name
    for organisation in contact.organisations.all():
        card.add("org").value = [organisation.name]
    if contact.job_title or contact.profession_label:
        card.add("title").value = contact.job_title or contact.profession_label
    if contact.profession_label:
        card.add("role").value = contact.profession_label
    _add_phone(card, contact.mobile_phone, "cell")
    _add_phone(card, contact.work_phone, "work")
    if contact.email:
        _add_email(card, contact.email, ["INTERNET"])
    if contact.mssante_email:
        # Address books show X-ABLabel as the address's name; an MSSanté address only accepts
        # mail from another MSSanté account, so the reader must be able to tell it apart.
        _add_email(card, contact.mssante_email, ["INTERNET", "X-MSSANTE"], group="item1")
        card.add("x-ablabel", group="item1").value = "MSSanté"
    if contact.skill_list:
        card.add("note").value = "Compétences : " + ", ".join(contact.skill_list)
    return card


def _add_phone(card, phone, kind):
    if phone:
        tel = card.add("tel")
        tel.value = phone.as_e164
        tel.params["TYPE"] = [kind]


def _add_email(card, address, types, group=None):
    email = card.add("email", group=group)
    email.value = address
    email.params["TYPE"] = types


def organisations_by_kind(organisations) -> list:
    """(kind label, organisations) pairs, kinds in the order of OrganisationKind."""
    rank = {kind: position for position, kind in enumerate(OrganisationKind.values)}
    ordered = sorted(organisations, key=lambda o: (rank.get(o.kind, len(rank)), o.name))
    groups = groupby(ordered, key=methodcaller("get_kind_display"))
    return [(label, list(rows)) for label, rows in groups]


def render_directory_html(cpts, sections: PrintSections, printed_at=None) -> str:
    context = {"cpts": cpts, "sections": sections, "printed_at": printed_at or timezone.now()}
    return render_to_string("directory/print.html", context)


def directory_pdf(cpts, sections: PrintSections) -> bytes:
    return HTML(string=render_directory_html(cpts, sections)).write_pdf()
