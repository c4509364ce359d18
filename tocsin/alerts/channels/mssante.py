"""MSSanté: the health professionals' secure messaging, reached by SMTP with the CPTS's client
certificate (an operator's « boîte organisationnelle »). The only channel allowed for a message
that carries health data.

Without `TOCSIN_MSSANTE_HOST` the messages are written to `data/mssante/` instead, so that a
demo or a test machine never sends outside.
"""

from django.conf import settings

from tocsin.alerts.channels.email import EmailChannel


class MssanteChannel(EmailChannel):
    channel = "mssante"

    def __init__(self):
        if settings.MSSANTE_HOST:
            super().__init__(
                backend="django.core.mail.backends.smtp.EmailBackend",
                from_email=settings.MSSANTE_FROM_EMAIL,
                host=settings.MSSANTE_HOST,
                port=settings.MSSANTE_PORT,
                username=settings.MSSANTE_USER or None,
                password=settings.MSSANTE_PASSWORD or None,
                use_tls=not settings.MSSANTE_USE_SSL,
                use_ssl=settings.MSSANTE_USE_SSL,
                ssl_certfile=settings.MSSANTE_CERTFILE or None,
                ssl_keyfile=settings.MSSANTE_KEYFILE or None,
                timeout=settings.EMAIL_TIMEOUT,
            )
            self.provider = "mssante"
        else:
            super().__init__(
                backend="django.core.mail.backends.filebased.EmailBackend",
                file_path=str(settings.DATA_DIR / "mssante"),
            )
            self.provider = "mssante-fichier"
