"""Downloads of the plan: a version's PDF and DOCX, the crisis kit, and what an authority received.

Each one is audited: the documents carry the phone numbers of the people to mobilise. A
validated version is served from its stored PDF, so every reader gets the same file.
"""

from django.http import Http404
from django.utils import timezone
from django.views.decorators.http import require_GET

from tocsin.core.access import CRISIS_ROLES, cpts_view, get_for_cpts
from tocsin.core.audit import log_action
from tocsin.core.downloads import PDF, attachment, stored_pdf
from tocsin.core.enums import Role
from tocsin.plans import documents
from tocsin.plans.models import PlanVersion, Transmission

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@cpts_view(*CRISIS_ROLES)
@require_GET
def version_pdf(request, number):
    version = get_for_cpts(request, PlanVersion.objects.select_related("cpts"), number=number)
    if version.is_published:
        response = _stored_pdf(documents.store_plan_document(version))
    else:
        # A draft changes until it is submitted: rendered for this download, never stored.
        content = documents.render_plan_pdf(version)
        response = attachment(content, documents.document_name(version), PDF)
    log_action(request.user, request.cpts, "plans.document.downloaded", version, {"format": "PDF"})
    return response


@cpts_view(*CRISIS_ROLES)
@require_GET
def version_docx(request, number):
    version = get_for_cpts(request, PlanVersion.objects.select_related("cpts"), number=number)
    content = documents.render_plan_docx(version)
    response = attachment(content, documents.document_name(version, "docx"), DOCX)
    data = {"format": "DOCX"}
    log_action(request.user, request.cpts, "plans.document.downloaded", version, data)
    return response


@cpts_view(*CRISIS_ROLES)
@require_GET
def crisis_kit(request):
    content = documents.render_crisis_kit_pdf(request.cpts)
    filename = f"classeur-de-crise-{request.cpts.slug}-{timezone.localdate():%Y%m%d}.pdf"
    response = attachment(content, filename, PDF)
    log_action(request.user, request.cpts, "plans.kit.downloaded")
    return response


@cpts_view(Role.AUTHORITY)
@require_GET
def authority_pdf(request, pk):
    """An authority gets only the versions transmitted to its own body, in the current CPTS."""
    try:
        transmission = Transmission.objects.select_related("version__cpts").get(
            pk=pk, version__cpts=request.cpts, recipient=request.membership.authority_body
        )
    except Transmission.DoesNotExist as exc:
        raise Http404("Document introuvable.") from exc
    version = documents.store_plan_document(transmission.version)
    response = _stored_pdf(version)
    log_action(request.user, request.cpts, "plans.document.downloaded", version, {"format": "PDF"})
    return response


def _stored_pdf(version):
    # The SHA-256 lets the reader check that their copy is the document the COPIL validated.
    name = documents.document_name(version)
    return stored_pdf(version.document, name, version.document_sha256)
