"""Background tasks of the core app (run by the db_worker, or inline in tests)."""

from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(
    to: list[str], subject: str, body: str, html_body: str = "", attachments: list | None = None,
    texts: list | None = None,
) -> None:  # fmt: skip
    """Send one e-mail outside the request, so a slow SMTP server never stalls a page.

    `attachments` are [file name, stored file path, MIME type] triples: task arguments must be
    JSON, so the worker reads the file from storage itself. `texts` are [file name, content,
    MIME type] triples for small files made for this message alone (a calendar .ics).
    """
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    for name, path, mimetype in attachments or []:
        with default_storage.open(path, "rb") as file:
            message.attach(name, file.read(), mimetype)
    for name, content, mimetype in texts or []:
        message.attach(name, content, mimetype)
    message.send()
