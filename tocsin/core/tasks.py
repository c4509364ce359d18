"""Background tasks of the core app (run by the db_worker, or inline in tests)."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(to: list[str], subject: str, body: str, html_body: str = "") -> None:
    """Send one e-mail outside the request, so a slow SMTP server never stalls a page."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
