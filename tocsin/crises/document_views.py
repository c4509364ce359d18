"""Downloads of a crisis: the main courante (CSV, PDF), a point de situation's PDF and the
closing evidence (CSV, PDF). Each is audited; none is cached by the browser."""

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from tocsin.core.access import CRISIS_ROLES, cpts_view
from tocsin.core.audit import log_action
from tocsin.core.downloads import CSV, PDF, attachment, stored_pdf
from tocsin.core.enums import Role
from tocsin.core.spreadsheets import french_csv
from tocsin.crises import figures, reports, selectors
from tocsin.crises.enums import ReportStatus
from tocsin.crises.models import SituationReport
from tocsin.crises.views import crisis_or_404, report_or_404
from tocsin.plans.documents import pdf_document


def _name(crisis, what, extension) -> str:
    mode = "exercice-" if crisis.is_exercise else ""
    return f"{what}-{mode}{crisis.cpts.slug}-{crisis.pk}-{timezone.localdate():%Y%m%d}.{extension}"


def _csv(header, rows) -> bytes:
    return french_csv(header, rows).encode()


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S") if moment else ""


@cpts_view(*CRISIS_ROLES)
@require_GET
def log_csv(request, pk):
    crisis = crisis_or_404(request, pk)
    entries = crisis.entries.select_related("corrects").order_by("seq")
    rows = (
        [e.seq, _local(e.at), e.author_name, e.get_kind_display(), e.text,
         e.corrects.seq if e.corrects else "", "oui" if e.automatic else "", e.hash]
        for e in entries.iterator(chunk_size=2000)
    )  # fmt: skip
    header = ["n°", "heure", "auteur", "nature", "texte", "corrige", "automatique", "empreinte"]
    content = _csv(header, rows)
    log_action(request.user, request.cpts, "crises.logbook.exported", crisis, {"format": "CSV"})
    return attachment(content, _name(crisis, "main-courante", "csv"), CSV)


@cpts_view(*CRISIS_ROLES)
@require_GET
def log_pdf(request, pk):
    crisis = crisis_or_404(request, pk)
    context = {
        "crisis": crisis,
        "cpts": crisis.cpts,
        "entries": crisis.entries.select_related("corrects").order_by("seq"),
        "integrity": selectors.integrity(crisis, fresh=True),
        "generated_at": timezone.now(),
    }
    content = pdf_document(render_to_string("crises/pdf/log.html", context)).write_pdf()
    log_action(request.user, request.cpts, "crises.logbook.exported", crisis, {"format": "PDF"})
    return attachment(content, _name(crisis, "main-courante", "pdf"), PDF)


@cpts_view(*CRISIS_ROLES)
@require_GET
def report_pdf(request, pk, number):
    crisis = crisis_or_404(request, pk)
    report = report_or_404(request, crisis, number)
    if report.document:
        response = _stored(report)
    else:  # a draft: rendered as it stands now, never stored
        response = attachment(reports.render_report_pdf(report), reports.document_name(report), PDF)
    log_action(request.user, request.cpts, "crises.report.downloaded", crisis,
               {"number": report.number})  # fmt: skip
    return response


def _stored(report):
    """The PDF validated once: every reader gets the same file, with its fingerprint."""
    return stored_pdf(report.document, reports.document_name(report), report.document_sha256)


@cpts_view(*CRISIS_ROLES)
@require_GET
def evidence_csv(request, pk):
    crisis = crisis_or_404(request, pk)
    proof = figures.evidence(crisis)
    rows = [
        ["CPTS", crisis.cpts.name],
        ["Crise", crisis.title],
        ["Mode", "EXERCICE" if crisis.is_exercise else "Crise réelle"],
        ["Type (ACI)", crisis.get_crisis_type_display()],
        ["Début", _local(crisis.started_at)],
        ["Levée", _local(crisis.closed_at)],
        *([label, value] for label, value in proof.rows()),
    ]
    content = _csv(["indicateur", "valeur"], rows)
    log_action(request.user, request.cpts, "crises.evidence.exported", crisis, {"format": "CSV"})
    return attachment(content, _name(crisis, "bilan", "csv"), CSV)


@cpts_view(*CRISIS_ROLES)
@require_GET
def evidence_pdf(request, pk):
    crisis = crisis_or_404(request, pk)
    context = {
        "crisis": crisis,
        "cpts": crisis.cpts,
        "evidence": figures.evidence(crisis),
        "reports": crisis.reports.exclude(status="draft").order_by("number"),
        "generated_at": timezone.now(),
    }
    content = pdf_document(render_to_string("crises/pdf/evidence.html", context)).write_pdf()
    log_action(request.user, request.cpts, "crises.evidence.exported", crisis, {"format": "PDF"})
    return attachment(content, _name(crisis, "bilan", "pdf"), PDF)


@cpts_view(Role.AUTHORITY)
@require_GET
def authority_report_pdf(request, pk):
    try:
        report = SituationReport.objects.select_related("crisis__cpts").get(
            pk=pk, crisis__cpts=request.cpts, status=ReportStatus.SENT
        )
    except SituationReport.DoesNotExist as exc:
        raise Http404("Point de situation introuvable.") from exc
    response = _stored(report)
    log_action(request.user, request.cpts, "crises.report.downloaded", report.crisis,
               {"number": report.number})  # fmt: skip
    return response
