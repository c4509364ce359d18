"""Background tasks of the core app (run by the db_worker, or inline in tests)."""

from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(
    to: list[str], subject: str, body: str, html_body: str = "", attachments: list | None = None
) -> None:
    """Send one e-mail outside the request, so a slow SMTP server never stalls a page.

    `attachments` are [file name, stored file path, MIME type] triples: task arguments must be
    JSON, so the worker reads the file from storage itself.
    """
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    for name, path, mimetype in attachments or []:
        with default_storage.open(path, "rb") as file:
            message.attach(name, file.read(), mimetype)
    message.send()
