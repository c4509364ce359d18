"""E-mail through any Django e-mail backend: SMTP, file or console, or a provider's through
django-anymail, chosen by `TOCSIN_ALERTS_EMAIL_BACKEND` (the site's e-mail backend by default)."""

import contextlib
import smtplib
from email.header import Header
from email.utils import make_msgid
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

from tocsin.alerts.channels.base import ChannelBackend, Outcome, Outgoing


def smtp_outcome(error: Exception) -> Outcome:
    """A 5xx reply refuses the message for good; a 4xx or a network failure is worth a retry."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            return Outcome.refused(f"Adresse refusée par le serveur : {error.recipients}")
        return Outcome.transient(f"Adresse temporairement refusée : {error.recipients}")
    if isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600:
        return Outcome.refused(f"{error.smtp_code} {error.smtp_error!r}")
    # Anything else (network, a provider's API error) is retried, within the attempt limit.
    return Outcome.transient(f"{type(error).__name__} : {error}")


@lru_cache(maxsize=256)
def encoded_subject(subject: str) -> str:
    """The Subject as RFC 2047 words, computed once per campaign rather than per message.

    Django re-encodes a non-ASCII subject for every message, through the standard library's
    header folding, which re-measures the line at each character: the largest single cost of a
    mass send. An ASCII string is passed through untouched by Django.
    """
    if subject.isascii():
        return subject
    return Header(subject, "utf-8").encode(linesep=" ")


class EmailChannel(ChannelBackend):
    channel = "email"

    def __init__(self, backend: str = "", from_email: str = "", **connection_options):
        self.backend = backend or settings.ALERTS_EMAIL_BACKEND or settings.EMAIL_BACKEND
        self.provider = self.backend.rsplit(".", 2)[-2] if "." in self.backend else self.backend
        self.from_email = from_email or settings.DEFAULT_FROM_EMAIL
        self.connection_options = connection_options
        self.connection = None

    def open(self):
        self.connection = get_connection(self.backend, **self.connection_options)
        self.connection.open()

    def close(self):
        if self.connection is not None:
            # A failed QUIT must not fail a batch whose messages were all accepted.
            with contextlib.suppress(Exception):
                self.connection.close()
            self.connection = None

    def send(self, message: Outgoing) -> Outcome:
        if self.connection is None:
            try:
                self.open()
            except Exception as error:  # noqa: BLE001 — the server is down: retry later
                self.connection = None
                return smtp_outcome(error)
        message_id = make_msgid(domain="tocsin")
        # Only the SMTP backend writes the header as given; a provider's API backend (anymail)
        # takes the subject as text and would show the encoded words.
        smtp = isinstance(self.connection, SmtpBackend)
        mail = EmailMultiAlternatives(
            subject=encoded_subject(message.subject) if smtp else message.subject,
            body=message.text,
            from_email=self.from_email,
            to=[message.to],
            connection=self.connection,
            headers={"Message-ID": message_id, "X-Tocsin-Delivery": message.key},
        )
        if message.html:
            mail.attach_alternative(message.html, "text/html")
        try:
            sent = mail.send(fail_silently=False)
        except Exception as error:  # noqa: BLE001 — sorted into transient / permanent below
            # A broken connection is dropped so the next message reconnects.
            self.close()
            return smtp_outcome(error)
        if not sent:
            return Outcome.transient("Le serveur n'a pas accepté le message.")
        anymail_status = getattr(mail, "anymail_status", None)
        if anymail_status is not None and anymail_status.message_id:
            return Outcome.sent(str(anymail_status.message_id))
        return Outcome.sent(message_id.strip("<>"))
