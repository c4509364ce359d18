"""The attendance certificate (PDF) of one participant marked present.

Rendered on each download from the registration's snapshot of the person, so it reads the same
whatever the directory becomes; each download is audited by the view that serves it.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from tocsin.core.errors import DomainError
from tocsin.plans.documents import pdf_document

NOT_PRESENT = "L'attestation de présence n'existe que pour une personne notée présente."


def certificate_html(registration) -> str:
    if not registration.attended:
        raise DomainError(NOT_PRESENT)
    session = registration.session
    context = {"registration": registration, "session": session, "training": session.training,
               "cpts": session.cpts, "generated_at": timezone.now()}  # fmt: skip
    return render_to_string("training/pdf/certificate.html", context)


def render_certificate_pdf(registration) -> bytes:
    return pdf_document(certificate_html(registration)).write_pdf()


def certificate_name(registration) -> str:
    session = registration.session
    person = slugify(registration.name) or "participant"
    return f"attestation-{session.cpts.slug}-{session.date:%Y%m%d}-{person}.pdf"
