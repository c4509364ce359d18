"""The plan as documents: the PDF of a version (stored once validated), the same content as DOCX
for partners who edit, and the printable crisis kit to keep for when the network is down.

Rendering never reaches the network: WeasyPrint only gets data: URLs and our own static files.
"""

import hashlib
import io
import mimetypes
import posixpath
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

import lxml.html
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from tocsin.core.errors import DomainError
from tocsin.directory.export_views import print_sections
from tocsin.plans.enums import AlertLevel, CellFunction, FicheKind, Section
from tocsin.plans.markdown import render_markdown
from tocsin.plans.models import OPEN_STATUSES, PlanVersion
from tocsin.territory.models import Risk
from tocsin.territory.selectors import territory_summary

TITLE = "Plan de gestion des crises sanitaires"
ANNEXES = {
    "contacts": "Annexe A. Contacts clés",
    "risks": "Annexe B. Tableau des risques",
    "reflexes": "Annexe C. Fiches réflexe",
    "actions": "Annexe D. Fiches action",
}
NO_RISK = "Sans risque rattaché"


@dataclass(frozen=True)
class RenderedSection:
    key: str
    title: str
    html: str  # sanitised by render_markdown

    @property
    def anchor(self) -> str:
        return f"section-{self.key}"


@dataclass(frozen=True)
class RiskRow:
    name: str
    crisis_type: int
    crisis_type_label: str
    communes: int
    population: int


# ---------------------------------------------------------------------------------------------
# What the documents show


def plan_context(version) -> dict:
    """Everything the plan's templates need; the number of queries does not grow with the plan
    (only with the number of crisis groups of the directory, three queries each)."""
    version = _load_version(version.pk)
    cpts = version.cpts
    fiches = list(version.fiches.all())
    reflexes = [f for f in fiches if f.kind == FicheKind.REFLEXE]
    actions = _actions_by_risk(fiches)
    return {
        **_directory_context(cpts),
        "version": version,
        "version_label": version_label(version),
        "is_draft": not version.is_published,
        "title": TITLE,
        "annexes": ANNEXES,
        "territory": territory_summary(cpts),
        "history": _history(version),
        "sections": _sections(version),
        "referents": [("Référent SSE", version.referent), ("Suppléant", version.deputy)],
        "cell": _cell_by_function(version.cell_members.all()),
        "fiches_reflexe": reflexes,
        "fiches_action": actions,
        "fiche_annexes": _fiche_annexes(reflexes, actions),
        "risks": risk_table(cpts),
    }


def version_label(version) -> str:
    if version.is_published and version.validated_on:
        return f"Version {version.number} — validée le {version.validated_on:%d/%m/%Y}"
    return f"Version {version.number} — BROUILLON"


def _load_version(pk) -> PlanVersion:
    return (
        PlanVersion.objects.select_related("cpts", "referent", "deputy")
        .prefetch_related("sections", "cell_members__contact", "fiches__risk")
        .get(pk=pk)
    )


def _directory_context(cpts) -> dict:
    directory = print_sections(cpts)
    return {
        "cpts": cpts,
        "key_groups": directory.key_groups,
        "organisation_kinds": directory.organisation_kinds,
        "rendered_at": timezone.now(),
    }


def _history(version) -> list:
    """The published versions before this one, then this one (validated or not)."""
    earlier = PlanVersion.objects.for_cpts(version.cpts).published()
    rows = list(earlier.filter(number__lt=version.number).order_by("number"))
    return [*rows, version]


def _sections(version) -> list[RenderedSection]:
    ordered = sorted(version.sections.all(), key=attrgetter("position"))
    return [RenderedSection(s.key, s.get_key_display(), render_markdown(s.body)) for s in ordered]


def _cell_by_function(members) -> list:
    members = list(members)
    return [
        (label, [m for m in members if m.function == value])
        for value, label in CellFunction.choices
    ]


def _actions_by_risk(fiches) -> list:
    """(risk or None, fiches) by crisis type then risk name; fiches by alert level."""
    levels = {level: rank for rank, level in enumerate(AlertLevel.values)}

    def risk_order(fiche):
        risk = fiche.risk
        return (False, risk.crisis_type, risk.name, risk.pk) if risk else (True, 0, "", 0)

    actions = sorted(
        (f for f in fiches if f.kind == FicheKind.ACTION),
        key=lambda f: (risk_order(f), levels.get(f.alert_level, -1), f.position, f.pk),
    )
    return [(risk, list(rows)) for risk, rows in groupby(actions, key=attrgetter("risk"))]


def _fiche_annexes(reflexes, actions) -> list:
    """(anchor key, title, [(heading, fiches)]) of annexes C and D, laid out the same way."""
    by_risk = [(risk.name if risk else NO_RISK, rows) for risk, rows in actions]
    return [
        ("reflexes", ANNEXES["reflexes"], [("", reflexes)] if reflexes else []),
        ("actions", ANNEXES["actions"], by_risk),
    ]


def risk_table(cpts) -> list[RiskRow]:
    risks = Risk.objects.for_cpts(cpts).major().prefetch_related("communes")
    return [
        RiskRow(
            name=risk.name,
            crisis_type=risk.crisis_type,
            crisis_type_label=risk.get_crisis_type_display(),
            communes=len(risk.communes.all()),
            population=sum(c.population for c in risk.communes.all()),
        )
        for risk in risks
    ]


# ---------------------------------------------------------------------------------------------
# PDF, with a URL fetcher that stays on this machine


def safe_url_fetcher(url, timeout=10, ssl_context=None) -> URLFetcherResponse:
    """Serve data: URLs and our static files; refuse everything else (remote, local files).

    A section's Markdown can carry any link: the plan must render the same offline and must
    never let a document read the server's files or call a third party.
    """
    if url.split(":", 1)[0].lower() == "data":
        # Only a data: URL reaches this line, and DataHandler decodes it without any I/O.
        with DataHandler().data_open(Request(url)) as response:  # noqa: S310
            return URLFetcherResponse(url, response.read(), dict(response.headers))
    path = _static_file(url)
    if path is None:
        raise ValueError(f"Ressource refusée : « {url} » n'est pas un fichier de Tocsin.")
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    with open(path, "rb") as file:
        return URLFetcherResponse(url, file.read(), {"Content-Type": content_type})


def _static_file(url) -> str | None:
    """The file behind `<site>/static/…` (or a bare `/static/…`), found by the static finders."""
    parts = urlsplit(url)
    site = urlsplit(settings.SITE_URL)
    if (parts.scheme, parts.netloc) not in {("", ""), (site.scheme, site.netloc)}:
        return None
    path = posixpath.normpath(unquote(parts.path))
    if not path.startswith(settings.STATIC_URL) or ".." in path.split("/"):
        return None
    try:
        return finders.find(path.removeprefix(settings.STATIC_URL))
    except SuspiciousFileOperation:
        return None


class LocalOnlyURLFetcher(URLFetcher):
    """WeasyPrint ≥ 66 wants a URLFetcher instance: this one only calls `safe_url_fetcher`."""

    def fetch(self, url, headers=None):
        return safe_url_fetcher(url)


def pdf_document(html: str):
    """The laid-out WeasyPrint document (its `pages` give the page count)."""
    # Relative links resolve against the site, so `/static/…` reaches the fetcher as our own.
    base_url = settings.SITE_URL + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=LocalOnlyURLFetcher()).render()


def render_plan_html(version) -> str:
    return render_to_string("plans/document.html", plan_context(version))


def render_plan_pdf(version) -> bytes:
    return pdf_document(render_plan_html(version)).write_pdf()


def document_name(version, extension="pdf") -> str:
    draft = "" if version.is_published else "-brouillon"
    return f"plan-{version.cpts.slug}-v{version.number}{draft}.{extension}"


def store_plan_document(version) -> PlanVersion:
    """The reference PDF of a validated version: rendered once, then always the same file."""
    if not version.is_published:
        raise DomainError(
            "Seule une version validée par le COPIL a un PDF de référence ; "
            "un brouillon se télécharge tel qu'il est au moment du téléchargement."
        )
    if not version.document:
        version.refresh_from_db(fields=["document", "document_sha256"])
    if version.document:
        return version
    pdf = render_plan_pdf(version)
    with transaction.atomic():
        # Two first downloads at once: the one that commits first wins, the other reuses it.
        stored = PlanVersion.objects.select_for_update().filter(pk=version.pk)
        if stored.exclude(document="").exists():
            version.refresh_from_db(fields=["document", "document_sha256"])
            return version
        # The one change a validated version accepts: its document, written once. It records
        # what the COPIL approved as sent to the authorities, and its hash lets anyone check
        # later that a copy is that document.
        version.document.save(document_name(version), ContentFile(pdf), save=False)
        version.document_sha256 = hashlib.sha256(pdf).hexdigest()
        version.save(update_fields=["document", "document_sha256"])
    return version


# ---------------------------------------------------------------------------------------------
# Crisis kit


def crisis_kit_version(cpts) -> PlanVersion | None:
    """The latest validated version, else the version being written."""
    versions = PlanVersion.objects.for_cpts(cpts)
    return versions.published().first() or versions.filter(status__in=OPEN_STATUSES).first()


def crisis_kit_context(cpts) -> dict:
    """The plan's context, or only the directory's while no version of the plan exists."""
    version = crisis_kit_version(cpts)
    if version:
        context = plan_context(version)
    else:
        context = {**_directory_context(cpts), "version": None, "version_label": ""}
        context.update(is_draft=False, referents=[], cell=[], fiches_reflexe=[])
    procedure = version.activation_procedure if version else ""
    # One box per line of the procedure: on paper, each step is ticked as it is done.
    steps = [line.strip(" -*•\t") for line in procedure.splitlines()]
    context["activation_steps"] = [step for step in steps if step]
    context["printed_at"] = timezone.now()
    return context


def render_crisis_kit_html(cpts) -> str:
    return render_to_string("plans/crisis_kit.html", crisis_kit_context(cpts))


def render_crisis_kit_pdf(cpts) -> bytes:
    return pdf_document(render_crisis_kit_html(cpts)).write_pdf()


# ---------------------------------------------------------------------------------------------
# DOCX, for partners who edit: same content, Word styles so that Word builds the table of
# contents and the partner's own template applies.

DOCX_BLOCK_STYLES = {"h3": "Heading 3", "h4": "Heading 4", "blockquote": "Quote"}
CHECKBOX = "☐"


def render_plan_docx(version) -> bytes:
    context = plan_context(version)
    document = Document()
    _docx_page_frame(document, context)
    _docx_cover(document, context)
    _docx_toc(document)
    for section in context["sections"]:
        document.add_heading(section.title, level=1)
        add_html(document, section.html)
        _docx_section_extras(document, section.key, context)
    _docx_annexes(document, context)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_page_frame(document, context):
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = f"{context['cpts'].name} — {context['version_label']}"
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{TITLE} — document confidentiel — page ")
    _add_field(footer, "PAGE", "1")
    footer.add_run(" / ")
    _add_field(footer, "NUMPAGES", "1")


def _docx_cover(document, context):
    version = context["version"]
    document.add_paragraph(context["cpts"].name, style="Subtitle")
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(context["version_label"], style="Subtitle")
    if context["is_draft"]:
        document.add_paragraph().add_run("Brouillon — non validé").bold = True
    elif version.validation_note:
        document.add_paragraph(f"Validation : {version.validation_note}")
    territory = context["territory"]
    document.add_paragraph(
        f"Territoire : {territory['communes']} communes, {_number(territory['population'])} "
        "habitants."
    )
    document.add_paragraph(
        "Document confidentiel : il contient les coordonnées de personnes à mobiliser en crise."
    )
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _docx_toc(document):
    document.add_heading("Sommaire", level=1)
    paragraph = document.add_paragraph()
    _add_field(paragraph, 'TOC \\o "1-2" \\h \\z \\u', "Mettez le sommaire à jour (F9).")
    # Word then offers to update the fields on opening, which fills in the table of contents.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _add_field(paragraph, instruction, placeholder):
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _docx_section_extras(document, key, context):
    if key == Section.IDENTITY:
        _docx_table(
            document,
            ["Version", "Validée par le COPIL le", "Changements"],
            [[str(v.number), _date(v.validated_on), v.change_summary] for v in context["history"]],
        )
    elif key == Section.ORGANISATION:
        _docx_organisation(document, context)


def _docx_organisation(document, context):
    version = context["version"]
    _docx_table(
        document,
        ["Fonction", "Nom", "Portable", "Tél. professionnel"],
        [[label, *_person(contact)] for label, contact in context["referents"]],
    )
    for label, members in context["cell"]:
        names = ", ".join(_cell_name(m) for m in members) or "non attribuée"
        _labelled(document, f"Cellule — {label}", names)
    for label, text in [
        ("Rôle du référent", version.referent_role),
        ("Formations du référent", version.referent_training),
        ("Rôle du suppléant", version.deputy_role),
        ("Formations du suppléant", version.deputy_training),
        ("Lieu de réunion de la cellule", version.cell_place),
        ("Lieu de repli", version.cell_fallback_place),
        ("Procédure d'activation", version.activation_procedure),
        ("Chaîne d'alerte", version.alert_chain),
    ]:
        _labelled(document, label, text or "non renseigné")


def _docx_annexes(document, context):
    document.add_heading(ANNEXES["contacts"], level=1)
    for group, members in context["key_groups"]:
        document.add_heading(group.name, level=2)
        rows = [[c.full_name, c.job_title or c.profession_label, *_person(c)[1:]] for c in members]
        _docx_table(document, ["Nom", "Fonction", "Portable", "Tél. professionnel"], rows)
    for kind, organisations in context["organisation_kinds"]:
        document.add_heading(kind, level=2)
        rows = [[o.name, _phone(o.crisis_phone), _phone(o.switchboard_phone)]
                for o in organisations]  # fmt: skip
        _docx_table(document, ["Nom", "Crise 24 h/24", "Standard"], rows)
    document.add_heading(ANNEXES["risks"], level=1)
    rows = [[r.name, f"{r.crisis_type}. {r.crisis_type_label}", str(r.communes),
             _number(r.population)] for r in context["risks"]]  # fmt: skip
    _docx_table(document, ["Risque", "Type de crise", "Communes", "Population"], rows)
    document.add_heading(ANNEXES["reflexes"], level=1)
    for fiche in context["fiches_reflexe"]:
        _docx_fiche(document, fiche)
    document.add_heading(ANNEXES["actions"], level=1)
    for risk, fiches in context["fiches_action"]:
        document.add_heading(risk.name if risk else NO_RISK, level=2)
        for fiche in fiches:
            _docx_fiche(document, fiche)


def _docx_fiche(document, fiche):
    document.add_heading(fiche.title, level=3)
    if fiche.alert_level:
        _labelled(document, "Niveau", fiche.get_alert_level_display())
    if fiche.trigger:
        _labelled(document, "Déclenchement", fiche.trigger)
    for step in fiche.steps:
        document.add_paragraph(f"{CHECKBOX} {step}")
    for label, text in [("Qui", fiche.who), ("Moyens", fiche.resources),
                        ("Contacts", fiche.contacts), ("Messages", fiche.messages)]:  # fmt: skip
        if text:
            _labelled(document, label, text)


def _docx_table(document, header, rows):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text or "—"
    document.add_paragraph()


def _labelled(document, label, text):
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label} : ").bold = True
    paragraph.add_run(text)


def add_html(document, html: str):
    """Sanitised Markdown HTML as Word paragraphs: the few tags render_markdown lets through."""
    if not html.strip():
        return
    for element in lxml.html.fragments_fromstring(html):
        if isinstance(element, str):
            if element.strip():
                document.add_paragraph(element.strip())
        elif element.tag in ("ul", "ol"):
            _add_list(document, element, level=1)
        elif element.tag == "table":
            rows = [[cell.text_content().strip() for cell in tr] for tr in element.iter("tr")]
            if rows:
                _docx_table(document, rows[0], rows[1:])
        elif element.tag != "hr":
            paragraph = document.add_paragraph(style=DOCX_BLOCK_STYLES.get(element.tag))
            _add_runs(paragraph, element)


def _add_list(document, element, level):
    style = "List Number" if element.tag == "ol" else "List Bullet"
    style = f"{style} {level}" if level > 1 else style
    for item in element.iterchildren("li"):
        _add_runs(document.add_paragraph(style=style), item)
        for nested in item.iterchildren("ul", "ol"):
            _add_list(document, nested, min(level + 1, 3))


def _add_runs(paragraph, element, bold=False, italic=False):
    bold = bold or element.tag in ("strong", "b", "th")
    italic = italic or element.tag in ("em", "i")
    _add_run(paragraph, element.text, bold, italic)
    for child in element:
        if child.tag == "br":
            paragraph.add_run().add_break()
        elif child.tag not in ("ul", "ol"):  # nested lists become their own paragraphs
            _add_runs(paragraph, child, bold, italic)
        _add_run(paragraph, child.tail, bold, italic)


def _add_run(paragraph, text, bold, italic):
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold or None, italic or None


def _person(contact) -> list[str]:
    if contact is None:
        return ["non désigné", "—", "—"]
    return [contact.full_name, _phone(contact.mobile_phone), _phone(contact.work_phone)]


def _cell_name(member) -> str:
    return f"{member.contact.full_name}{' (en second)' if member.is_backup else ''}"


def _phone(number) -> str:
    # The same national format as on screen (PHONENUMBER_DEFAULT_FORMAT).
    return str(number) if number else "—"


def _date(value) -> str:
    return f"{value:%d/%m/%Y}" if value else "en rédaction"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")
