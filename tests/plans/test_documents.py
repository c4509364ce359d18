"""The plan's documents: the stored PDF of a validated version, the DOCX, the crisis kit, the URL
fetcher that keeps rendering on this machine, and who may download what.

The views are routed here until they get named routes in tocsin/plans/urls.py.
"""

import datetime
import hashlib
import io
import socket
import urllib.request

import pytest
import weasyprint.urls
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from docx import Document

from tests.conftest import login
from tests.factories import ContactFactory, GroupFactory, OrganisationFactory
from tests.plans.factories import canicule, validated_version
from tocsin.core.errors import DomainError
from tocsin.core.models import AuditEntry
from tocsin.plans import documents, services
from tocsin.plans.enums import FicheKind, Section
from tocsin.plans.models import CellMember, Fiche, PlanVersion
from tocsin.territory.models import Risk

COPIL = datetime.date(2026, 11, 20)
VALIDATED = "Version 1 — validée le 20/11/2026"


def _draft(personas):
    """Version 1 in writing, with its organisation, cell, a crisis group and a SAMU."""
    cpts, actor = personas.cpts, personas.coordinator
    canicule(cpts)
    referent = ContactFactory(cpts=cpts, last_name="Trémeur", first_name="Gaël")
    deputy = ContactFactory(cpts=cpts, last_name="Guéhennec", first_name="Solenn")
    group = GroupFactory(cpts=cpts, name="Astreinte de crise", is_crisis_function=True)
    group.members.add(referent, deputy)
    OrganisationFactory(cpts=cpts, kind="samu", name="SAMU 44", crisis_phone="+33240080000")
    version = services.start_plan(actor, cpts)
    version.referent, version.deputy = referent, deputy
    version.cell_place = "Salle du conseil de la MSP"
    version.cell_fallback_place = "Mairie annexe"
    version.activation_procedure = "- Appeler le référent\n- Convoquer la cellule"
    version.change_summary = "Première version du plan."
    version.save()
    services.set_cell_members(actor, version, [("direction", referent, False)])
    return version


@pytest.fixture
def draft(personas):
    return _draft(personas)


@pytest.fixture
def plan(personas):
    version = _draft(personas)
    services.submit_version(personas.coordinator, version)
    services.validate_version(personas.coordinator, version, COPIL, "COPIL plénier")
    return PlanVersion.objects.get(pk=version.pk)


def page_text(page) -> str:
    """The text laid out on one page, running headers and footers included."""
    boxes = page._page_box.descendants()
    return " ".join(box.text for box in boxes if isinstance(getattr(box, "text", None), str))


# --- The PDF -----------------------------------------------------------------------------------


def test_the_plan_pdf_has_cover_contents_sections_and_annexes(plan):
    html = documents.render_plan_html(plan)
    assert "Plan de gestion des crises sanitaires" in html and "CPTS Côte de Test" in html
    for title in [*Section.labels, *documents.ANNEXES.values()]:
        assert escape(title) in html
    assert "Canicule" in html.split(documents.ANNEXES["risks"])[-1]
    assert "Référent SSE : déclencher et diriger" in html  # a fiche réflexe
    assert "☐" in html

    pdf = documents.pdf_document(html)
    pages = [page_text(page) for page in pdf.pages]
    total = len(pages)
    assert total >= 8
    for number, text in enumerate(pages, start=1):
        assert VALIDATED in text and f"page {number} / {total}" in text
    contents = pages[1]
    assert "Sommaire" in contents and documents.ANNEXES["actions"] in contents
    # target-counter() has put the page of section 1 in the table of contents.
    section_1 = next(n for n, t in enumerate(pages, 1) if "1. Organisation" in t and n > 2)
    entry = contents.split("1. Organisation de la gestion de crise")[1].split("2. Diagnostic")[0]
    assert entry.strip(" .") == str(section_1)
    assert pdf.write_pdf().startswith(b"%PDF")


def test_a_draft_says_brouillon_and_is_never_stored(draft):
    html = documents.render_plan_html(draft)
    assert "Brouillon — non validé" in html and "Version 1 — BROUILLON" in html
    assert documents.render_plan_pdf(draft).startswith(b"%PDF")
    with pytest.raises(DomainError, match="Seule une version validée"):
        documents.store_plan_document(draft)
    draft.refresh_from_db()
    assert not draft.document and draft.document_sha256 == ""


def test_the_pdf_of_a_validated_version_is_rendered_once(plan, monkeypatch):
    stored = documents.store_plan_document(plan)
    assert stored.document.name.startswith("plans/2026/plan-cote-de-test-v1")
    with stored.document.open("rb") as file:
        content = file.read()
    assert content.startswith(b"%PDF")
    assert stored.document_sha256 == hashlib.sha256(content).hexdigest()

    def render_again(version):
        raise AssertionError("Le PDF d'une version validée ne doit être rendu qu'une fois.")

    monkeypatch.setattr(documents, "render_plan_pdf", render_again)
    again = documents.store_plan_document(PlanVersion.objects.get(pk=plan.pk))
    assert (again.document.name, again.document_sha256) == (
        stored.document.name,
        stored.document_sha256,
    )


def test_the_context_takes_the_same_queries_however_big_the_plan(plan, personas):
    def count():
        with CaptureQueriesContext(connection) as queries:
            documents.plan_context(plan)
        return len(queries)

    before = count()
    cold = Risk.objects.create(
        cpts=personas.cpts, code="sante.froid", name="Grand froid", source="health", crisis_type=2
    )
    cold.communes.set(personas.cpts.territory.values_list("commune", flat=True))
    for index in range(3):
        Fiche.objects.create(version=plan, kind=FicheKind.REFLEXE, title=f"Réflexe {index}")
        Fiche.objects.create(version=plan, kind=FicheKind.ACTION, risk=cold, title=f"Froid {index}")
    contact = ContactFactory(cpts=personas.cpts)
    CellMember.objects.create(version=plan, function="situation", contact=contact)
    OrganisationFactory.create_batch(3, cpts=personas.cpts, kind="ehpad")
    context = documents.plan_context(plan)
    assert [risk.name for risk, _ in context["fiches_action"]] == ["Canicule", "Grand froid"]
    assert count() == before


# --- The URL fetcher ---------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    """Records, then refuses, any attempt to open a URL, a socket or a file outside the static
    files. WeasyPrint swallows a fetcher's exceptions, so each test checks the record."""
    attempts = []

    def forbidden(*args, **kwargs):
        attempts.append(args)
        raise OSError("Accès interdit pendant le rendu")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", forbidden)
    monkeypatch.setattr(weasyprint.urls.URLFetcher, "fetch", forbidden)
    monkeypatch.setattr(socket, "create_connection", forbidden)
    return attempts


@pytest.mark.parametrize(
    "url",
    [
        "https://exemple.test/x.png",
        "http://127.0.0.1:8000/media/plans/2026/plan.pdf",
        "file:///etc/passwd",
        "ftp://exemple.test/x.css",
        "/static/%2e%2e/%2e%2e/config/settings.py",
        "/etc/passwd",
    ],
)
def test_the_url_fetcher_refuses_what_is_not_ours(url, no_network):
    with pytest.raises(ValueError, match="Ressource refusée"):
        documents.safe_url_fetcher(url)
    assert no_network == []


def test_rendering_fetches_only_data_urls_and_our_static_files(no_network, monkeypatch):
    calls = []
    fetch = documents.safe_url_fetcher

    def spy(url, **kwargs):
        try:
            response = fetch(url, **kwargs)
        except ValueError:
            calls.append((url, "refusée"))
            raise
        calls.append((url, "servie"))
        return response

    monkeypatch.setattr(documents, "safe_url_fetcher", spy)
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR4nGNgYAAA"
        "AAMAASsJTYQAAAAASUVORK5CYII="
    )
    html = (
        '<img src="/static/leaflet/images/marker-icon.png">'
        '<img src="https://exemple.test/x.png"><img src="file:///etc/passwd">'
        f'<img src="{pixel}"><p>Texte</p>'
    )
    assert documents.pdf_document(html).write_pdf().startswith(b"%PDF")
    assert dict(calls) == {
        "http://127.0.0.1:8000/static/leaflet/images/marker-icon.png": "servie",
        pixel: "servie",
        "https://exemple.test/x.png": "refusée",
        "file:///etc/passwd": "refusée",
    }
    assert no_network == []


def test_a_remote_image_in_a_section_is_never_fetched(draft, personas, no_network):
    section = draft.sections.get(key=Section.TRAINING)
    body = "![carte](https://exemple.test/x.png) [secret](file:///etc/passwd)"
    services.save_section(personas.coordinator, section, body)
    assert documents.render_plan_pdf(draft).startswith(b"%PDF")
    assert no_network == []


# --- DOCX and crisis kit -----------------------------------------------------------------------


def test_the_docx_has_word_headings_tables_and_the_markdown(draft, personas):
    section = draft.sections.get(key=Section.TRAINING)
    body = "Exercice **annuel** en *mars*.\n\n- AFGSU SSE\n- Exercice de table"
    services.save_section(personas.coordinator, section, body)
    document = Document(io.BytesIO(documents.render_plan_docx(draft)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Sommaire"
    assert headings[1:] == [*Section.labels, *documents.ANNEXES.values()]
    paragraphs = {p.text: p for p in document.paragraphs}
    runs = [
        (r.text, bool(r.bold), bool(r.italic)) for r in paragraphs["Exercice annuel en mars."].runs
    ]
    assert runs == [
        ("Exercice ", False, False),
        ("annuel", True, False),
        (" en ", False, False),
        ("mars", False, True),
        (".", False, False),
    ]
    assert paragraphs["AFGSU SSE"].style.name == "List Bullet"
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"Canicule", "Gaël Trémeur", "SAMU 44"} <= cells
    assert "Version 1 — BROUILLON" in document.sections[0].header.paragraphs[0].text


def test_the_crisis_kit_has_the_activation_checklist_fiches_and_contacts(plan, personas):
    html = documents.render_crisis_kit_html(personas.cpts)
    assert VALIDATED in html and "BROUILLON" not in html
    assert "Document confidentiel" in html
    assert "Salle du conseil de la MSP" in html and "Mairie annexe" in html
    assert "<li>Appeler le référent</li>" in html
    for fiche in plan.fiches.filter(kind=FicheKind.REFLEXE):
        assert escape(f"Fiche réflexe — {fiche.title}") in html
    assert "Astreinte de crise" in html and "TRÉMEUR" in html
    assert "SAMU 44" in html and "02 40 08 00 00" in html
    pages = documents.pdf_document(html).pages
    # First page, activation, one page per fiche réflexe, contacts, organisations.
    assert len(pages) >= 2 + plan.fiches.filter(kind=FicheKind.REFLEXE).count() + 2


def test_the_crisis_kit_of_a_draft_says_brouillon(draft, personas):
    html = documents.render_crisis_kit_html(personas.cpts)
    assert "BROUILLON — plan non validé par le COPIL" in html


def test_the_crisis_kit_without_a_plan_still_lists_the_contacts(personas):
    html = documents.render_crisis_kit_html(personas.cpts)
    assert "Aucune version du plan" in html and "Organisations" in html
    assert documents.render_crisis_kit_pdf(personas.cpts).startswith(b"%PDF")


# --- Views -------------------------------------------------------------------------------------


def _downloads(code):
    return AuditEntry.objects.filter(code=code).count()


@pytest.mark.parametrize("persona", ["coordinator", "referent", "cell_member"])
def test_the_crisis_team_downloads_the_plan_and_the_kit(plan, personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    response = client.get("/plan/v1/plan.pdf")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="plan-cote-de-test-v1.pdf"'
    assert response["X-Document-SHA256"] == hashlib.sha256(content).hexdigest()
    assert "no-store" in response["Cache-Control"]
    docx = client.get("/plan/v1/plan.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert 'filename="plan-cote-de-test-v1.docx"' in docx["Content-Disposition"]
    kit = client.get("/plan/classeur-de-crise.pdf")
    assert kit.status_code == 200 and kit.content.startswith(b"%PDF")
    assert _downloads("plans.document.downloaded") == 2
    assert _downloads("plans.kit.downloaded") == 1


def test_every_download_of_the_stored_pdf_is_the_same_file_and_is_audited(
    plan, personas, client_for
):
    client = client_for(personas.coordinator)
    first = b"".join(client.get("/plan/v1/plan.pdf").streaming_content)
    second = b"".join(client.get("/plan/v1/plan.pdf").streaming_content)
    assert first == second
    entries = AuditEntry.objects.filter(code="plans.document.downloaded", cpts=personas.cpts)
    assert entries.count() == 2
    assert entries.first().target_id == str(plan.pk)


def test_a_draft_downloads_as_brouillon_and_is_not_stored(draft, personas, client_for):
    response = client_for(personas.referent).get("/plan/v1/plan.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert 'filename="plan-cote-de-test-v1-brouillon.pdf"' in response["Content-Disposition"]
    draft.refresh_from_db()
    assert not draft.document
    assert _downloads("plans.document.downloaded") == 1


@pytest.mark.parametrize("persona", ["member", "authority"])
@pytest.mark.parametrize(
    "url", ["/plan/v1/plan.pdf", "/plan/v1/plan.docx", "/plan/classeur-de-crise.pdf"]
)
def test_members_and_authorities_cannot_download_the_working_documents(
    plan, personas, client_for, persona, url
):
    assert client_for(getattr(personas, persona)).get(url).status_code == 403
    assert not AuditEntry.objects.filter(code__endswith=".downloaded").exists()


def test_another_cpts_version_number_is_not_found(plan, personas, client_for):
    assert client_for(personas.outsider).get("/plan/v1/plan.pdf").status_code == 404


def test_an_authority_gets_only_what_was_transmitted_to_it(plan, personas, client_for):
    services.transmit_version(personas.coordinator, plan, ["ars", "cpam"])
    to_ars, to_cpam = (plan.transmissions.get(recipient=body) for body in ("ars", "cpam"))
    other = validated_version(personas.other_cpts, personas.outsider)
    services.transmit_version(personas.outsider, other, ["ars"])
    client = client_for(personas.authority)  # an ARS user of personas.cpts

    response = client.get(f"/plan/transmis/{to_ars.pk}/plan.pdf")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    plan.refresh_from_db()
    assert response["X-Document-SHA256"] == plan.document_sha256
    assert hashlib.sha256(content).hexdigest() == plan.document_sha256
    assert _downloads("plans.document.downloaded") == 1

    assert client.get(f"/plan/transmis/{to_cpam.pk}/plan.pdf").status_code == 404
    other_pk = other.transmissions.get().pk
    assert client.get(f"/plan/transmis/{other_pk}/plan.pdf").status_code == 404
    coordinator = login(client.__class__(), personas.coordinator)
    assert coordinator.get(f"/plan/transmis/{to_ars.pk}/plan.pdf").status_code == 403
    assert _downloads("plans.document.downloaded") == 1
