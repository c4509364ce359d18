"""Results of a questionnaire: per-question figures by kind of respondent, the category filter,
the CSV and XLSX exports (formula-safe), the charts, and a constant number of queries."""

import csv
import html
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from weasyprint import HTML

from tests.factories import ContactFactory, GroupFactory
from tests.surveys.factories import answers, opened
from tocsin.core.models import AuditEntry
from tocsin.surveys import services
from tocsin.surveys.results import survey_results

FORMULA = '=HYPERLINK("http://pirate.test","Cliquez")'


def by_kind(results) -> dict:
    return {item.question.kind: item for item in results.questions}


def bars(item) -> dict:
    return {bar.label: (bar.count, bar.percent) for bar in item.options}


@pytest.fixture
def answered(personas, asked):
    """Three invited have sent (the mairie, the nurse, the volunteer), one open-link visitor too."""
    survey = opened(personas.coordinator, personas.cpts, groups=[asked], allows_open_link=True)
    people = {r.kind: r for r in survey.respondents.all()}
    services.save_answers(people["Mairie"], answers(
        survey, yes_no="oui", single="Lundi", multiple=["E-mail", "SMS"], scale=5, number=4,
        text="Prévenir les mairies plus tôt",
    ), submit=True)  # fmt: skip
    services.save_answers(people["Infirmier"], answers(
        survey, yes_no="non", single="Mardi", multiple=["SMS"], scale=2, number=1, text=FORMULA,
    ), submit=True)  # fmt: skip
    services.save_answers(people["Autre"], answers(survey, yes_no="non", scale=3), submit=True)
    services.answer_open_link(survey, None, "Association", answers(survey, yes_no="oui"),
                              submit=True)  # fmt: skip
    # Saved for later, not sent: never counted.
    services.answer_open_link(survey, None, "Mairie", answers(survey, yes_no="non", number=99),
                              submit=False)  # fmt: skip
    return survey


def test_figures_per_question(answered):
    results = survey_results(answered)
    assert (results.invited, results.submitted, results.open_link_answers, results.rate) == (
        3, 3, 1, 100
    )  # fmt: skip
    assert results.kinds == ["Association", "Autre", "Infirmier", "Mairie"]
    items = by_kind(results)
    assert items["yes_no"].answered == 4
    assert bars(items["yes_no"]) == {"Oui": (2, 50), "Non": (2, 50)}
    assert bars(items["single"]) == {"Lundi": (1, 50), "Mardi": (1, 50)}
    # A multiple choice counts each option ticked, out of the people who answered.
    assert bars(items["multiple"]) == {"E-mail": (1, 50), "SMS": (2, 100), "Téléphone": (0, 0)}
    scale = items["scale"]
    assert [bar.count for bar in scale.options] == [0, 1, 1, 0, 1]
    assert round(scale.mean, 2) == 3.33
    assert items["number"].numbers == {"count": 2, "min": 1, "mean": 2.5, "median": 2.5, "max": 4}
    assert items["text"].texts == [("Mairie", "Prévenir les mairies plus tôt"),
                                   ("Infirmier", FORMULA)]  # fmt: skip


def test_the_category_filter_counts_one_kind_only(answered):
    results = survey_results(answered, "Mairie")
    assert (results.invited, results.submitted, results.open_link_answers, results.rate) == (
        1, 1, 0, 100
    )  # fmt: skip
    items = by_kind(results)
    assert bars(items["yes_no"]) == {"Oui": (1, 100), "Non": (0, 0)}
    assert items["text"].texts == [("Mairie", "Prévenir les mairies plus tôt")]
    association = survey_results(answered, "Association")
    assert (association.invited, association.open_link_answers, association.rate) == (0, 1, None)


def test_the_results_page_shows_rate_charts_and_figures_as_text(personas, client_for, answered):
    response = client_for(personas.cell_member).get(reverse("surveys:results", args=[answered.pk]))
    page = html.unescape(response.content.decode())
    assert "100 %" in page and "Réponses par le lien ouvert" in page
    svgs = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert len(svgs) == 4  # yes/no, single, multiple, scale
    for svg in svgs:
        assert "style=" not in svg and "<script" not in svg
        assert "<title>" in svg and 'aria-label="' in svg
    assert "Avez-vous été alerté à temps ? — Oui : 2 (50 %) ; Non : 2 (50 %)" in svgs[0]
    assert "Moyenne : 3,3 sur 5" in " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert "Prévenir les mairies plus tôt" in page
    filtered = html.unescape(client_for(personas.cell_member).get(
        reverse("surveys:results", args=[answered.pk]), {"categorie": "Mairie"}
    ).content.decode())  # fmt: skip
    assert "Prévenir les mairies plus tôt" in filtered and FORMULA not in filtered
    assert 'value="Mairie" selected' in filtered


def test_the_results_include_renders_in_a_pdf(answered):
    from django.template.loader import render_to_string

    fragment = render_to_string("surveys/_results.html", {"results": survey_results(answered)})
    pdf = HTML(string=f"<html><body>{fragment}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF")


def test_exports_have_one_row_per_sender_and_keep_formulas_as_text(personas, client_for, answered):
    client = client_for(personas.cell_member)
    response = client.get(reverse("surveys:results_csv", args=[answered.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="reponses-cote-de-test-')
    assert "no-cache" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, *lines = rows
    assert header[:4] == ["Personne", "Catégorie", "Reçu par", "Réponses envoyées le"]
    assert header[4:] == list(answered.questions.values_list("text", flat=True))
    assert [line[:3] for line in lines] == [
        ["Camille Mairie", "Mairie", "Invitation personnelle"],
        ["Camille Infirmière", "Infirmier", "Invitation personnelle"],
        ["Camille Bénévole", "Autre", "Invitation personnelle"],
        ["Réponse anonyme", "Association", "Lien ouvert"],
    ]
    assert lines[0][4:] == ["oui", "Lundi", "E-mail, SMS", "5", "4",
                            "Prévenir les mairies plus tôt"]  # fmt: skip
    assert lines[1][-1] == "'" + FORMULA
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", lines[0][3])

    xlsx_url = reverse("surveys:results_xlsx", args=[answered.pk])
    xlsx = client.get(xlsx_url, {"categorie": "Infirmier"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert len(values) == 2 and values[1][:2] == ("Camille Infirmière", "Infirmier")
    text_cell = sheet.cell(row=2, column=len(values[0]))
    assert text_cell.value == FORMULA and text_cell.data_type == "s"
    assert values[1][7:9] == (2, 1)  # scale and number stay numbers
    formats = list(AuditEntry.objects.filter(code="surveys.results.exported").order_by("pk")
                   .values_list("data", flat=True))  # fmt: skip
    assert formats == [{"format": "CSV", "kind": ""}, {"format": "XLSX", "kind": "Infirmier"}]


def _survey_of(personas, size):
    people = [ContactFactory(cpts=personas.cpts, last_name=f"Nom{n}") for n in range(size)]
    group = GroupFactory(cpts=personas.cpts)
    group.members.add(*people)
    survey = opened(personas.coordinator, personas.cpts, groups=[group], allows_open_link=True)
    for n, person in enumerate(survey.respondents.all()):
        values = answers(survey, yes_no="oui" if n % 2 else "non", scale=1 + n % 5,
                         multiple=["SMS"], number=n, text=f"Remarque {n}")  # fmt: skip
        services.save_answers(person, values, submit=n % 3 != 0)
    services.answer_open_link(survey, None, "Mairie", answers(survey, yes_no="oui"), submit=True)
    return survey


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("query", ["", "?categorie=Infirmier"])
def test_the_results_page_costs_the_same_for_3_or_30_respondents(personas, client_for, query):
    client = client_for(personas.referent)
    small, large = _survey_of(personas, 3), _survey_of(personas, 30)
    _queries(client, reverse("surveys:results", args=[small.pk]))  # sessions, caches: warmed up
    counts = [_queries(client, reverse("surveys:results", args=[s.pk]) + query)
              for s in (small, large)]  # fmt: skip
    assert counts[0] == counts[1]
    assert by_kind(survey_results(large))["text"].answered == 20
