"""E-mail providers' delivery receipts and openings, through django-anymail.

Anymail verifies each provider's webhook (basic auth, and the provider's signature where it
has one) and turns its payload into a normalised tracking event; here the event becomes a
receipt on the matching delivery, exactly like an SMS provider's, and an « opened » event
marks the delivery opened (once: informations count who opened them). Only the tracking webhooks
are mounted, each behind the access helper, and none exists without a webhook secret.
"""

from functools import wraps

from anymail import urls as anymail_urls
from anymail.signals import EventType
from django.conf import settings
from django.http import Http404
from django.urls import path

from tocsin.alerts import services
from tocsin.core.access import public_view

EVENT_STATES = {
    EventType.DELIVERED: "delivered",
    EventType.BOUNCED: "bounced",
    EventType.REJECTED: "bounced",
    EventType.FAILED: "failed",
}


def provider_name(esp_name: str) -> str:
    """Anymail's « Amazon SES » is the `amazon_ses` of the backend path the delivery records."""
    return esp_name.lower().replace(" ", "_")


def reports_opens() -> bool:
    """Whether the e-mail channel can say who opened a message: an anymail provider's backend
    whose tracking webhooks are mounted (SMTP, file or console backends never know)."""
    backend = settings.ALERTS_EMAIL_BACKEND or settings.EMAIL_BACKEND
    return backend.startswith("anymail.") and bool(settings.ANYMAIL.get("WEBHOOK_SECRET"))


def on_tracking(sender, event, esp_name, **kwargs):
    if not event.message_id:
        return
    if event.event_type == EventType.OPENED:
        services.record_open(provider_name(esp_name), str(event.message_id)[:200],
                             payload={"event": event.event_type})  # fmt: skip
        return
    status = EVENT_STATES.get(event.event_type)
    if status is None:
        return  # clicks, queued…: nothing the follow-up uses
    reason = event.mta_response or event.description or ""
    services.record_receipt(provider_name(esp_name), str(event.message_id)[:200], status,
                            str(reason)[:500], payload={"event": event.event_type})  # fmt: skip


def _guarded(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
            raise Http404("Adresse inconnue.")
        return view(request, *args, **kwargs)

    return public_view(guarded)


urlpatterns = [
    path(str(pattern.pattern), _guarded(pattern.callback), name=pattern.name)
    for pattern in anymail_urls.urlpatterns
    if pattern.name and pattern.name.endswith("_tracking_webhook")
]
