"""Points de situation: prefilled from what happened since the previous one, validated by the
cell, stored as a PDF once, then sent to the authorities (each sending logged).
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from tocsin.core.audit import log_action
from tocsin.core.enums import Role
from tocsin.core.errors import DomainError
from tocsin.core.models import Membership
from tocsin.core.tasks import send_email
from tocsin.crises import figures, logbook
from tocsin.crises.enums import EntryKind, ReportStatus
from tocsin.crises.models import ReportSend, SituationReport
from tocsin.plans.documents import pdf_document

PDF = "application/pdf"
NARRATIVE_FIELDS = ["situation", "actions", "needs", "outlook"]
FIGURE_FIELDS = ["professionals_mobilised", "patients_contacted", "patients_needing_help",
                 "patients_not_reached", "patients_escalated", "resources_engaged",
                 "tasks_open", "tasks_done", "alerts_sent", "people_alerted", "alert_answers",
                 "people_available"]  # fmt: skip


def _lines(entries) -> str:
    return "\n".join(f"- {timezone.localtime(e.at):%d/%m %H:%M} — {e.text}" for e in entries)


def prepare_report(actor, crisis) -> SituationReport:
    """The draft point de situation, prefilled from the logbook and tasks since the last one."""
    if not crisis.is_active:
        raise DomainError("Cette crise est levée : les points de situation sont clos.")
    draft = crisis.reports.filter(status=ReportStatus.DRAFT).first()
    if draft is not None:
        return draft
    previous = crisis.reports.order_by("-number").first()
    start = previous.period_end if previous else crisis.started_at
    end = timezone.now()
    entries = list(crisis.entries.filter(at__gt=start, at__lte=end).order_by("seq"))
    received = [e for e in entries if e.kind == EntryKind.RECEIVED]
    done = [e for e in entries if e.kind in (EntryKind.DECISION, EntryKind.ACTION, EntryKind.SENT)]
    open_tasks = list(crisis.tasks.filter(status__in=["todo", "doing"]).order_by("due_at", "pk"))
    overdue = [t for t in open_tasks if t.is_overdue]
    situation = previous.situation if previous else (crisis.signal.description
                                                     if crisis.signal else "")  # fmt: skip
    if received:
        situation = (situation + "\n\nMessages reçus :\n" + _lines(received)).strip()
    report = SituationReport(
        crisis=crisis,
        number=(previous.number + 1) if previous else 1,
        period_start=start,
        period_end=end,
        resources_engaged=previous.resources_engaged if previous else 0,
        situation=situation,
        actions=_lines(done),
        needs="\n".join(f"- En retard : {t.title}" for t in overdue),
        outlook="\n".join(f"- {t.title}" for t in open_tasks[:15]),
        created_by=actor,
        **figures.period_figures(crisis, start, end),
    )
    with transaction.atomic():
        report.save()
        log_action(actor, crisis.cpts, "crises.report.prepared", crisis, {"number": report.number})
        crisis.touch()
    return report


def save_report(actor, form):
    report = form.instance
    if report.status != ReportStatus.DRAFT:
        raise DomainError("Un point de situation validé ne se modifie plus.")
    with transaction.atomic():
        form.save()
        log_action(actor, report.crisis.cpts, "crises.report.saved", report.crisis,
                   {"number": report.number})  # fmt: skip
        report.crisis.touch()
    return report


def render_report_pdf(report) -> bytes:
    context = {"report": report, "crisis": report.crisis, "cpts": report.crisis.cpts,
               "generated_at": timezone.now()}  # fmt: skip
    html = render_to_string("crises/pdf/report.html", context)
    return pdf_document(html).write_pdf()


def document_name(report) -> str:
    crisis = report.crisis
    mode = "exercice-" if crisis.is_exercise else ""
    return f"point-de-situation-{mode}{crisis.cpts.slug}-{crisis.pk}-n{report.number}.pdf"


def validate_report(actor, report):
    """Freeze the point: its PDF is rendered once and every recipient gets that same file."""
    if report.status != ReportStatus.DRAFT:
        raise DomainError("Ce point de situation est déjà validé.")
    report.validated_at, report.validated_by = timezone.now(), actor
    pdf = render_report_pdf(report)
    with transaction.atomic():
        report.status = ReportStatus.VALIDATED
        report.document_sha256 = hashlib.sha256(pdf).hexdigest()
        report.document.save(document_name(report), ContentFile(pdf), save=False)
        report.save()
        logbook.append(report.crisis, EntryKind.DECISION, automatic=True, author=actor,
                       text=f"Point de situation n° {report.number} validé.")  # fmt: skip
        log_action(actor, report.crisis.cpts, "crises.report.validated", report.crisis,
                   {"number": report.number})  # fmt: skip
    return report


def authority_recipients(cpts) -> list[tuple[str, str]]:
    """(e-mail, label) of the authority members of the CPTS: ARS, Préfecture, CPAM."""
    members = Membership.objects.filter(cpts=cpts, role=Role.AUTHORITY).select_related("user")
    return sorted((m.user.email, f"{m.get_authority_body_display()} — {m.user}") for m in members)


def parse_addresses(text: str) -> list[str]:
    addresses = [a.strip() for a in text.replace(";", ",").replace("\n", ",").split(",")]
    addresses = [a for a in addresses if a]
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise DomainError(f"Adresse e-mail invalide : « {address} ».") from exc
    return addresses


def send_report(actor, report, recipients: list[str]) -> int:
    """E-mail the validated PDF to each address not yet sent to; returns how many were new."""
    if report.status == ReportStatus.DRAFT:
        raise DomainError("Validez le point de situation avant de l'envoyer.")
    already = set(report.sends.values_list("recipient", flat=True))
    new = sorted({r.lower() for r in recipients} - already)
    if not new:
        raise DomainError("Choisissez au moins un destinataire qui ne l'a pas encore reçu.")
    crisis = report.crisis
    mode = "[EXERCICE] " if crisis.is_exercise else ""
    subject = f"{mode}{crisis.cpts} — point de situation n° {report.number} : {crisis.title}"
    body = render_to_string("crises/emails/report.txt", {
        "report": report, "crisis": crisis, "site_url": settings.SITE_URL,
    })  # fmt: skip
    attachment = [document_name(report), report.document.name, PDF]
    with transaction.atomic():
        ReportSend.objects.bulk_create(
            ReportSend(report=report, recipient=r, sent_by=actor) for r in new
        )
        report.status = ReportStatus.SENT
        report.save(update_fields=["status"])
        listed = ", ".join(new)
        logbook.append(
            crisis,
            EntryKind.SENT,
            automatic=True,
            author=actor,
            text=f"Point de situation n° {report.number} envoyé à {listed}.",
        )
        log_action(actor, crisis.cpts, "crises.report.sent", crisis,
                   {"number": report.number, "recipients": listed})  # fmt: skip
        for recipient in new:
            transaction.on_commit(
                lambda r=recipient: send_email.enqueue([r], subject, body, "", [attachment])
            )
    return len(new)
