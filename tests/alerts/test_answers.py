"""Answering: the signed one-click link (valid, forged, expired, closed) and the provider
callbacks (delivery receipts and SMS replies, replayed or malformed)."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.alerts.factories import reachable_contact, sent
from tocsin.alerts import engine, links, services
from tocsin.alerts.enums import Answer, DeliveryState
from tocsin.alerts.models import ProviderEvent
from tocsin.core.models import AuditEntry

TOKEN = "secret-de-rappel-du-fournisseur"


@pytest.fixture
def recipient(personas):
    martin = reachable_contact(personas.cpts, last_name="Martin")
    campaign = sent(personas.coordinator, personas.cpts, contacts=[martin])
    return campaign.recipients.get()


def answer_url(recipient):
    return reverse("alert_answer", kwargs={"token": links.token_for(recipient.pk)})


def test_opening_the_link_shows_the_alert_and_changes_nothing(client, recipient):
    response = client.get(answer_url(recipient))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Renfort demandé au centre de vaccination" in page
    assert "Je suis disponible" in page
    recipient.refresh_from_db()
    assert recipient.answer == ""


def test_answering_available_from_a_time(client, recipient):
    response = client.post(answer_url(recipient), {"answer": "available_from",
                                                   "available_from": "14:30",
                                                   "comment": "Sans véhicule"})  # fmt: skip

    assert "votre réponse « Disponible plus tard à 14:30 » est enregistrée" in (
        response.content.decode()
    )
    recipient.refresh_from_db()
    assert recipient.answer == Answer.AVAILABLE_FROM
    assert recipient.available_from.strftime("%H:%M") == "14:30"
    assert recipient.comment == "Sans véhicule"
    assert AuditEntry.objects.filter(code="alerts.answer.recorded").count() == 1


def test_available_from_needs_a_time(client, recipient):
    response = client.post(answer_url(recipient), {"answer": "available_from"})

    assert "Indiquez l&#x27;heure à partir de laquelle vous venez." in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.answer == ""


def test_a_second_answer_replaces_the_first(client, recipient):
    client.post(answer_url(recipient), {"answer": "available"})
    client.post(answer_url(recipient), {"answer": "unavailable"})

    recipient.refresh_from_db()
    assert recipient.answer == Answer.UNAVAILABLE
    assert services.totals(recipient.campaign)["answered"] == 1


@pytest.mark.parametrize(
    "mangle",
    [lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), lambda t: t[:10], lambda t: "x"],
    ids=["forged signature", "truncated", "garbage"],
)
def test_a_forged_link_is_refused_in_french_and_changes_nothing(client, recipient, mangle):
    token = mangle(links.token_for(recipient.pk))
    url = reverse("alert_answer", kwargs={"token": token})

    response = client.post(url, {"answer": "available"})

    assert response.status_code == 400
    assert "Ce lien n&#x27;est pas valide" in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.answer == ""


def test_an_expired_link_is_refused_and_changes_nothing(client, recipient, settings):
    url = answer_url(recipient)
    later = timezone.now() + timedelta(hours=settings.ALERTS_ANSWER_LINK_HOURS, minutes=1)

    with time_machine.travel(later):
        response = client.post(url, {"answer": "available"})

    assert response.status_code == 400
    assert "Ce lien a expiré" in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.answer == ""


def test_a_closed_campaign_takes_no_more_answers(client, recipient, personas):
    services.close_campaign(personas.coordinator, recipient.campaign)

    response = client.post(answer_url(recipient), {"answer": "available"})

    assert "Cette alerte est close" in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.answer == ""


# --- provider callbacks ---


@pytest.fixture
def webhooks(settings):
    settings.ALERTS_WEBHOOK_TOKEN = TOKEN


def post_json(client, name, data, token=TOKEN, provider="fichier"):
    url = reverse(f"alerts:{name}", kwargs={"provider": provider, "token": token})
    return client.post(url, json.dumps(data), content_type="application/json")


def test_a_delivery_receipt_marks_the_message_delivered_once(client, webhooks, recipient):
    engine.drain()
    delivery = recipient.deliveries.get()
    receipt = {"events": [{"message_id": delivery.provider_message_id, "status": "delivered"}]}

    first = post_json(client, "receipts", receipt, provider=delivery.provider)
    delivery.refresh_from_db()
    delivered_at = delivery.delivered_at
    replay = post_json(client, "receipts", receipt, provider=delivery.provider)

    assert first.json() == {"ok": True, "nouveaux": 1, "recus": 1}
    assert replay.json() == {"ok": True, "nouveaux": 0, "recus": 1}
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.delivered_at == delivered_at
    assert ProviderEvent.objects.count() == 1


def test_a_bounce_records_the_providers_reason(client, webhooks, recipient):
    engine.drain()
    delivery = recipient.deliveries.get()

    post_json(client, "receipts", {"message_id": delivery.provider_message_id,
                                   "status": "bounced", "reason": "Numéro inexistant"},
              provider=delivery.provider)  # fmt: skip

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.BOUNCED
    assert delivery.error == "Numéro inexistant"


def test_callbacks_with_a_wrong_secret_do_not_exist(client, webhooks, recipient):
    response = post_json(client, "receipts", {"message_id": "x", "status": "delivered"},
                         token="mauvais")  # fmt: skip
    assert response.status_code == 404
    assert ProviderEvent.objects.count() == 0


def test_callbacks_are_off_without_a_configured_secret(client, settings):
    settings.ALERTS_WEBHOOK_TOKEN = ""
    # Whatever a caller guesses, even the empty default.
    assert post_json(client, "receipts", {"message_id": "x"}, token="x").status_code == 404


@pytest.mark.parametrize(
    "body, message",
    [
        ("{pas du json", "JSON illisible."),
        ("[1, 2]", "Un objet JSON est attendu."),
        ('{"events": [{"status": "delivered"}]}', "Chaque accusé doit porter un « message_id »."),
        ('{"message_id": "a", "status": "perdu"}', "État de remise inconnu : perdu"),
    ],
)
def test_a_malformed_callback_gets_a_french_400(client, webhooks, body, message):
    url = reverse("alerts:receipts", kwargs={"provider": "ovh", "token": TOKEN})
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"ok": False, "erreur": message}


def test_an_sms_reply_1_answers_available_and_a_replay_changes_nothing(client, webhooks, personas):
    bernard = reachable_contact(personas.cpts, email="", mobile_phone="+33698765432")
    campaign = sent(personas.coordinator, personas.cpts, contacts=[bernard])
    engine.drain()
    reply = {"message_id": "in-1", "from": "06 98 76 54 32", "text": "1 j'arrive dans 20 min"}

    first = post_json(client, "inbound", reply, provider="ovh")
    recipient = campaign.recipients.get()
    answered_at = recipient.answered_at
    services.record_answer(recipient, "unavailable")  # changed their mind on the web page
    replay = post_json(client, "inbound", reply, provider="ovh")

    assert first.json() == {"ok": True, "resultat": "Réponse enregistrée."}
    assert replay.json() == {"ok": True, "resultat": "Réponse déjà reçue."}
    recipient.refresh_from_db()
    assert recipient.answer == Answer.UNAVAILABLE
    assert answered_at is not None


def test_an_sms_reply_that_is_not_understood_changes_nothing(client, webhooks, personas):
    bernard = reachable_contact(personas.cpts, email="", mobile_phone="+33698765432")
    campaign = sent(personas.coordinator, personas.cpts, contacts=[bernard])
    engine.drain()

    reply = {"message_id": "in-2", "from": "+33698765432", "text": "Qui êtes-vous ?"}
    response = post_json(client, "inbound", reply, provider="ovh")

    assert "Réponse non comprise" in response.json()["resultat"]
    assert campaign.recipients.get().answer == ""


def test_the_page_of_a_message_with_health_data_does_not_show_its_content(client, personas):
    martin = reachable_contact(personas.cpts, mssante_email="martin@infirmier.mssante.fr")
    campaign = sent(personas.coordinator, personas.cpts, contacts=[martin], has_health_data=True,
                    body="Mme Durand, dialysée, à rappeler avant 18 h.")  # fmt: skip

    page = client.get(answer_url(campaign.recipients.get())).content.decode()

    assert "Durand" not in page
    assert "son contenu est dans votre messagerie MSSanté" in page
