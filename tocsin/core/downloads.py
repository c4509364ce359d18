"""File responses for documents that carry personal data: downloaded, never cached.

Every export and document view answers through these, so no copy of a contact list, a plan or
a main courante stays in a shared or browser cache.
"""

from django.http import FileResponse, HttpResponse
from django.utils.cache import add_never_cache_headers

PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"


def private(response):
    add_never_cache_headers(response)
    return response


def attachment(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return private(response)


def stored_pdf(field_file, filename, sha256):
    """A PDF rendered once and stored; the header lets readers check their copy is that file."""
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=filename, content_type=PDF
    )
    response["X-Document-SHA256"] = sha256
    return private(response)
