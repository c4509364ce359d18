"""E-mail providers' delivery webhooks (through django-anymail): verified, mapped onto the
delivery, replay-safe, and absent without a secret."""

import base64
import json

import pytest
from django.urls import reverse

from tests.alerts.factories import reachable_contact, sent
from tocsin.alerts import engine
from tocsin.alerts.enums import DeliveryState
from tocsin.alerts.models import Delivery

URL = reverse("anymail:brevo_tracking_webhook")
SECRET = "brevo:mot-de-passe-du-rappel"


@pytest.fixture
def brevo_delivery(personas, settings):
    """A message as the Brevo backend leaves it: provider « brevo » and Brevo's message id."""
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}
    martin = reachable_contact(personas.cpts, mobile_phone="")
    sent(personas.coordinator, personas.cpts, contacts=[martin])
    engine.drain()
    Delivery.objects.update(provider="brevo", provider_message_id="<202611231702.1@relay.brevo>")
    return Delivery.objects.get()


def brevo_post(client, event, secret=SECRET):
    auth = "Basic " + base64.b64encode(secret.encode()).decode()
    payload = {
        "event": event,
        "email": "martin@exemple.test",
        "ts_epoch": 1795000000000,
        "message-id": "<202611231702.1@relay.brevo>",
        "reason": "boîte inexistante",
    }
    return client.post(URL, json.dumps(payload), content_type="application/json",
                       HTTP_AUTHORIZATION=auth)  # fmt: skip


def test_a_providers_delivered_event_marks_the_message_delivered_once(client, brevo_delivery):
    assert brevo_post(client, "delivered").status_code == 200
    brevo_delivery.refresh_from_db()
    first = brevo_delivery.delivered_at
    assert brevo_post(client, "delivered").status_code == 200

    brevo_delivery.refresh_from_db()
    assert brevo_delivery.state == DeliveryState.DELIVERED
    assert brevo_delivery.delivered_at == first


def test_a_hard_bounce_is_recorded_with_the_providers_reason(client, brevo_delivery):
    brevo_post(client, "hard_bounce")

    brevo_delivery.refresh_from_db()
    assert brevo_delivery.state == DeliveryState.BOUNCED
    assert brevo_delivery.error == "boîte inexistante"


def test_a_call_without_the_providers_credentials_changes_nothing(client, brevo_delivery):
    assert brevo_post(client, "delivered", secret="brevo:devine").status_code == 400
    brevo_delivery.refresh_from_db()
    assert brevo_delivery.state == DeliveryState.SENT


def test_without_a_secret_the_webhooks_do_not_exist(client, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": ""}
    assert client.post(URL, "{}", content_type="application/json").status_code == 404
