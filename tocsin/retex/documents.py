"""The RETEX report (PDF): summary, timeline, key figures, survey results with their charts,
findings and the action plan. Rendered once at validation and stored with its SHA-256."""

from django.template.loader import render_to_string
from django.utils import timezone

from tocsin.exercises.selectors import observations_of
from tocsin.plans.documents import pdf_document
from tocsin.retex.enums import Polarity
from tocsin.retex.figures import figure_rows, key_figures
from tocsin.surveys.results import survey_results


def report_context(review) -> dict:
    crisis = review.crisis
    findings = list(review.findings.all())
    return {
        "review": review,
        "crisis": crisis,
        "cpts": review.cpts,
        "figures": figure_rows(review.figures or key_figures(crisis)),
        "positives": [f for f in findings if f.polarity == Polarity.POSITIVE],
        "negatives": [f for f in findings if f.polarity == Polarity.NEGATIVE],
        "actions": review.actions.select_related("owner", "finding").order_by("due_on", "pk"),
        "results": survey_results(review.survey) if review.survey_id else None,
        "observations": observations_of(crisis),
        "generated_at": timezone.now(),
    }


def render_report_pdf(review) -> bytes:
    html = render_to_string("retex/pdf/report.html", report_context(review))
    return pdf_document(html).write_pdf()


def document_name(review) -> str:
    crisis = review.crisis
    mode = "exercice-" if crisis.is_exercise else ""
    draft = "-brouillon" if review.is_editable else ""
    return f"retex-{mode}{review.cpts.slug}-{crisis.pk}{draft}.pdf"
