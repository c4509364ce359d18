"""The register's printable documents: each names, on every page, who printed it and when —
a paper list of patients that goes astray says whose it was."""

from django.template.loader import render_to_string
from django.utils import timezone

from tocsin.plans.documents import pdf_document


def render_patient_list(request, title, patients, *, crisis=None) -> bytes:
    """With a crisis, each patient carries `latest_call` (its latest call outcome)."""
    context = {
        "title": title,
        "patients": patients,
        "crisis": crisis,
        "cpts": request.cpts,
        "printed_by": request.user,
        "printed_at": timezone.now(),
    }
    return pdf_document(render_to_string("care/pdf/patients.html", context)).write_pdf()


def render_attestation(deletion, patient) -> bytes:
    context = {"deletion": deletion, "patient": patient, "cpts": deletion.cpts}
    return pdf_document(render_to_string("care/pdf/attestation.html", context)).write_pdf()


def file_name(stem, cpts, crisis=None) -> str:
    mode = "exercice-" if crisis is not None and crisis.is_exercise else ""
    return f"{stem}-{mode}{cpts.slug}-{timezone.localtime():%Y%m%d-%H%M}.pdf"
