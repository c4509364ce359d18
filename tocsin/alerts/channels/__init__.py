"""The channels an alert goes out on, each a backend chosen by settings.

`backend_for(channel)` builds the configured backend: e-mail through a Django e-mail backend,
SMS through `TOCSIN_SMS_BACKEND`, MSSanté through SMTP with a client certificate.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from tocsin.alerts.channels.base import ChannelBackend, Outcome, Outgoing

SMS_BACKENDS = {
    "file": "tocsin.alerts.channels.sms.FileSms",
    "console": "tocsin.alerts.channels.sms.ConsoleSms",
    "ovh": "tocsin.alerts.channels.sms.OvhSms",
}

__all__ = ["ChannelBackend", "Outcome", "Outgoing", "backend_for"]


def backend_for(channel: str) -> ChannelBackend:
    if channel == "email":
        from tocsin.alerts.channels.email import EmailChannel

        return EmailChannel()
    if channel == "mssante":
        from tocsin.alerts.channels.mssante import MssanteChannel

        return MssanteChannel()
    if channel == "sms":
        path = SMS_BACKENDS.get(settings.SMS_BACKEND, settings.SMS_BACKEND)
        return import_string(path)()
    raise ValueError(f"Canal inconnu : {channel}")


def sms_supports_inbound() -> bool:
    return backend_for("sms").supports_inbound
