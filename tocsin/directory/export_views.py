"""Downloads of the directory (CSV, XLSX, vCard, PDF) for the crisis team, each one audited.

Exporting personal data in bulk must be traceable: every download writes an audit entry.
"""

from django.utils import timezone
from django.views.decorators.http import require_GET

from tocsin.core.access import CRISIS_ROLES, cpts_view
from tocsin.core.audit import log_action
from tocsin.core.downloads import attachment
from tocsin.directory import exports
from tocsin.directory.models import Contact, Group, Organisation
from tocsin.directory.selectors import group_members

# Format (as recorded in the audit trail) → file extension and content type.
FORMATS = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "vcard": ("vcf", "text/vcard; charset=utf-8"),
    "pdf": ("pdf", "application/pdf"),
}


@cpts_view(*CRISIS_ROLES)
@require_GET
def export_csv(request):
    contacts = list(_contacts(Contact.objects.for_cpts(request.cpts)))
    return _download(request, exports.contacts_csv(contacts), "csv", len(contacts))


@cpts_view(*CRISIS_ROLES)
@require_GET
def export_xlsx(request):
    contacts = list(_contacts(Contact.objects.for_cpts(request.cpts)))
    organisations = list(_organisations(request.cpts))
    content = exports.directory_xlsx(contacts, organisations)
    return _download(request, content, "xlsx", len(contacts) + len(organisations))


@cpts_view(*CRISIS_ROLES)
@require_GET
def export_vcard(request):
    contacts = list(_contacts(Contact.objects.for_cpts(request.cpts)))
    return _download(request, exports.contacts_vcard(contacts), "vcard", len(contacts))


@cpts_view(*CRISIS_ROLES)
@require_GET
def export_pdf(request):
    sections = print_sections(request.cpts)
    content = exports.directory_pdf(request.cpts, sections)
    organisations = sum(len(rows) for _, rows in sections.organisation_kinds)
    return _download(request, content, "pdf", len(sections.contacts) + organisations)


def print_sections(cpts) -> exports.PrintSections:
    """Key contacts group by group, organisations by kind, then everyone."""
    crisis_groups = Group.objects.for_cpts(cpts).filter(is_crisis_function=True)
    key_groups = [(group, list(_contacts(group_members(group)))) for group in crisis_groups]
    return exports.PrintSections(
        key_groups=key_groups,
        organisation_kinds=exports.organisations_by_kind(_organisations(cpts)),
        contacts=list(_contacts(Contact.objects.for_cpts(cpts))),
    )


def _contacts(queryset):
    # Prefetched so that the number of queries does not grow with the number of contacts.
    rows = queryset.select_related("commune").prefetch_related("organisations")
    return rows.order_by("last_name", "first_name", "pk")


def _organisations(cpts):
    return Organisation.objects.for_cpts(cpts).select_related("commune").order_by("name", "pk")


def _download(request, content, file_format, rows):
    data = {"format": file_format, "rows": rows}
    log_action(request.user, request.cpts, "directory.export.downloaded", None, data)
    extension, content_type = FORMATS[file_format]
    filename = f"annuaire-{request.cpts.slug}-{timezone.localdate():%Y%m%d}.{extension}"
    return attachment(content, filename, content_type)
