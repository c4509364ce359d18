"""SMS backends: the file backend (default, never sends) and OVHcloud's API through its
official client, against a local stand-in of the API."""

import json

import pytest

from tests.alerts.factories import reachable_contact, sent
from tests.standin import start_stand_in
from tocsin.alerts import engine
from tocsin.alerts.channels import Outgoing, backend_for
from tocsin.alerts.enums import DeliveryState
from tocsin.alerts.models import Delivery


@pytest.fixture
def ovh_api(settings):
    stand_in, stop = start_stand_in()
    settings.SMS_BACKEND = "ovh"
    settings.SMS_OVH_ENDPOINT = stand_in.base + "/1.0"
    settings.SMS_OVH_SERVICE = "sms-ab12345-1"
    settings.SMS_OVH_APPLICATION_KEY = "cle-application"
    settings.SMS_OVH_APPLICATION_SECRET = "secret-application"
    settings.SMS_OVH_CONSUMER_KEY = "cle-consommateur"
    settings.SMS_SENDER = "CPTSTEST"
    stand_in.serve("/1.0/auth/time", b"1700000000", content_type="application/json")
    yield stand_in
    stop()


def jobs_answer(body):
    sent = json.loads(body)
    return json.dumps({"ids": [424242], "validReceivers": sent["receivers"],
                       "invalidReceivers": [], "totalCreditsRemoved": 1}).encode()  # fmt: skip


def test_an_alert_goes_out_through_ovh_with_a_signed_request(personas, ovh_api):
    ovh_api.serve("/1.0/sms/sms-ab12345-1/jobs", jobs_answer, content_type="application/json")
    bernard = reachable_contact(personas.cpts, email="", mobile_phone="+33698765432")
    sent(personas.coordinator, personas.cpts, contacts=[bernard])

    engine.drain()

    [job] = [r for r in ovh_api.requests if r.method == "POST"]
    payload = json.loads(job.body)
    assert payload["receivers"] == ["+33698765432"]
    assert payload["sender"] == "CPTSTEST"
    assert "Renfort demandé" in payload["message"] and "/r/" in payload["message"]
    assert job[1]["x-ovh-application"] == "cle-application"
    assert job[1]["x-ovh-signature"].startswith("$1$")
    delivery = bernard_delivery()
    assert (delivery.state, delivery.provider, delivery.provider_message_id) == (
        DeliveryState.SENT,
        "ovh",
        "424242",
    )


def bernard_delivery():
    return Delivery.objects.get()


def test_a_number_ovh_refuses_is_a_permanent_failure(personas, ovh_api):
    answer = json.dumps({"ids": [], "validReceivers": [], "invalidReceivers": ["+33698765432"]})
    ovh_api.serve("/1.0/sms/sms-ab12345-1/jobs", answer.encode(), content_type="application/json")
    bernard = reachable_contact(personas.cpts, email="", mobile_phone="+33698765432")
    sent(personas.coordinator, personas.cpts, contacts=[bernard])

    engine.drain()

    delivery = bernard_delivery()
    assert delivery.state == DeliveryState.FAILED
    assert "Numéro refusé par OVH" in delivery.error


def test_an_ovh_outage_is_retried(personas, ovh_api):
    ovh_api.serve("/1.0/sms/sms-ab12345-1/jobs", b'{"message": "Service indisponible"}', 503,
                  content_type="application/json")  # fmt: skip
    bernard = reachable_contact(personas.cpts, email="", mobile_phone="+33698765432")
    sent(personas.coordinator, personas.cpts, contacts=[bernard])

    engine.drain()

    delivery = bernard_delivery()
    assert delivery.state == DeliveryState.QUEUED
    assert "OVH" in delivery.error


def test_the_default_backend_writes_sms_to_a_file_and_never_sends(settings):
    backend = backend_for("sms")
    backend.open()
    outcome = backend.send(Outgoing(to="+33698765432", subject="", text="Essai", key="k1"))
    backend.close()

    [path] = (settings.DATA_DIR / "sms").glob("*.jsonl")
    line = json.loads(path.read_text())
    assert (line["to"], line["text"], line["key"]) == ("+33698765432", "Essai", "k1")
    assert outcome.ok and outcome.provider_message_id == line["id"]
