"""The delivery engine: audience freezing, sending through a real SMTP server, retries with
backoff, permanent refusals, atomic claiming and leases, MSSanté for health data."""

import email
import email.policy
import json
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from tests import smtp
from tests.alerts.factories import draft, group_of, reachable_contact, sent
from tests.crises.factories import active_crisis
from tests.factories import ContactFactory
from tocsin.alerts import engine, services
from tocsin.alerts.channels import Outcome, Outgoing
from tocsin.alerts.channels.mssante import MssanteChannel
from tocsin.alerts.enums import DeliveryState, Exclusion
from tocsin.alerts.models import Delivery
from tocsin.core.errors import DomainError
from tocsin.crises.models import LogEntry


@pytest.fixture
def nurses(personas):
    cpts = personas.cpts
    people = [
        reachable_contact(cpts, last_name="Martin", email="martin@exemple.test"),
        reachable_contact(cpts, last_name="Bernard", email="", preferred_channels=["sms"]),
        reachable_contact(
            cpts, last_name="Petit", email="petit@exemple.test", preferred_channels=["sms", "email"]
        ),  # fmt: skip
        ContactFactory(cpts=cpts, last_name="Sanslien", consents_to_alerts=False),
        reachable_contact(cpts, last_name="Injoignable", email="", mobile_phone=""),
    ]
    return group_of(cpts, *people), people


def test_sending_freezes_the_audience_and_lists_who_cannot_be_reached(personas, nurses):
    group, _ = nurses
    campaign = sent(personas.coordinator, personas.cpts, groups=[group])

    by_name = {r.name.split()[-1]: r for r in campaign.recipients.all()}
    assert by_name["Martin"].routes == [["email", "martin@exemple.test"], ["sms", "+33612345678"]]
    assert by_name["Bernard"].routes == [["sms", "+33612345678"]]
    assert by_name["Petit"].routes[0] == ["sms", "+33612345678"]
    assert by_name["Sanslien"].exclusion == Exclusion.NO_CONSENT
    assert by_name["Injoignable"].exclusion == Exclusion.NO_CHANNEL
    queued = Delivery.objects.filter(campaign=campaign)
    assert sorted(queued.values_list("channel", flat=True)) == ["email", "sms", "sms"]
    assert set(queued.values_list("state", flat=True)) == {DeliveryState.QUEUED}
    assert services.totals(campaign)["excluded"] == 2


def test_a_campaign_leaves_once(personas, nurses):
    campaign = sent(personas.coordinator, personas.cpts, groups=[nurses[0]])
    with pytest.raises(DomainError):
        services.send_campaign(personas.coordinator, campaign)
    assert Delivery.objects.filter(campaign=campaign).count() == 3


def test_an_empty_audience_is_refused(personas):
    campaign = draft(personas.coordinator, personas.cpts)
    with pytest.raises(DomainError, match="au moins un destinataire"):
        services.send_campaign(personas.coordinator, campaign)


def test_messages_reach_a_real_smtp_server_with_their_answer_link(
    personas, nurses, smtp_server, settings
):
    campaign = sent(personas.coordinator, personas.cpts, groups=[nurses[0]])

    assert engine.drain() == 3

    messages = smtp_server.wait_for(1)
    assert [m.rcpt_tos for m in messages] == [["martin@exemple.test"]]
    text = smtp_server.texts()[0]
    assert "/r/" in text
    subject = email.message_from_bytes(messages[0].content, policy=email.policy.default)["Subject"]
    assert subject == "Renfort demandé au centre de vaccination"
    assert Delivery.objects.get(channel="email").state == DeliveryState.SENT
    sms_lines = [
        json.loads(line)
        for path in (settings.DATA_DIR / "sms").glob("*.jsonl")
        for line in path.read_text().splitlines()
    ]
    assert len(sms_lines) == 2
    assert all("Répondez : http" in line["text"] for line in sms_lines)
    assert campaign.deliveries.filter(state=DeliveryState.SENT).count() == 3


def test_a_temporary_refusal_is_retried_with_backoff(personas, smtp_server):
    martin = reachable_contact(personas.cpts, email="martin@exemple.test", mobile_phone="")
    smtp_server.replies["martin@exemple.test"] = ["451 4.3.0 Boîte pleine, réessayez", "250 OK"]
    sent(personas.coordinator, personas.cpts, contacts=[martin])

    engine.drain()

    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.QUEUED
    assert "451" in delivery.error
    assert delivery.attempts == 1
    assert delivery.due_at > timezone.now() + timedelta(seconds=20)
    assert smtp_server.messages == []

    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        engine.drain()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    assert delivery.attempts == 2
    assert len(smtp_server.wait_for(1)) == 1


def test_a_permanent_refusal_is_recorded_with_its_reason_and_never_retried(personas, smtp_server):
    martin = reachable_contact(personas.cpts, email="inconnu@exemple.test", mobile_phone="")
    smtp_server.replies["inconnu@exemple.test"] = ["550 5.1.1 Adresse inconnue"]
    sent(personas.coordinator, personas.cpts, contacts=[martin])

    engine.drain()
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert engine.drain() == 0

    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert "Adresse inconnue" in delivery.error
    assert delivery.failed_at is not None


def test_an_unreachable_server_fails_the_message_after_the_last_attempt(personas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    settings.ALERTS_MAX_ATTEMPTS = 3
    martin = reachable_contact(personas.cpts, mobile_phone="")
    sent(personas.coordinator, personas.cpts, contacts=[martin])

    moment = timezone.now()
    for _ in range(3):
        with time_machine.travel(moment):
            engine.drain()
        moment += timedelta(hours=1)

    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.attempts == 3
    assert "ConnectionRefused" in delivery.error


def test_two_workers_never_claim_the_same_delivery(personas):
    people = [reachable_contact(personas.cpts) for _ in range(6)]
    sent(personas.coordinator, personas.cpts, contacts=people)

    first = engine.claim("worker-a", 4)
    second = engine.claim("worker-b", 4)

    assert len(first) == 4 and len(second) == 2
    assert not {d.pk for d in first} & {d.pk for d in second}
    assert engine.claim("worker-c", 4) == []


def test_a_dead_workers_claim_is_taken_over_when_its_lease_runs_out(personas, settings):
    martin = reachable_contact(personas.cpts, mobile_phone="")
    sent(personas.coordinator, personas.cpts, contacts=[martin])
    [claimed] = engine.claim("worker-killed", 10)

    assert engine.claim("worker-b", 10) == []
    later = timezone.now() + timedelta(seconds=settings.ALERTS_CLAIM_LEASE_SECONDS + 1)
    with time_machine.travel(later):
        [taken] = engine.claim("worker-b", 10)
    assert taken.pk == claimed.pk and taken.attempts == 2

    # The dead worker's late outcome must not overwrite the new owner's claim.
    engine.record(claimed, Outcome.sent("late"), "test")
    taken.refresh_from_db()
    assert taken.state == DeliveryState.SENDING
    assert taken.claimed_by.startswith("worker-b")


def test_a_message_with_health_data_goes_by_mssante_only(personas, settings):
    with_box = reachable_contact(personas.cpts, mssante_email="dr.martin@medecin.mssante.fr")
    without_box = reachable_contact(personas.cpts, last_name="Sansboite")
    campaign = sent(personas.coordinator, personas.cpts, contacts=[with_box, without_box],
                    has_health_data=True)  # fmt: skip

    engine.drain()

    assert list(campaign.deliveries.values_list("channel", "address")) == [
        ("mssante", "dr.martin@medecin.mssante.fr")
    ]
    assert campaign.recipients.get(contact=without_box).exclusion == Exclusion.NO_MSSANTE
    written = list((settings.DATA_DIR / "mssante").glob("*.log"))
    assert len(written) == 1
    assert "dr.martin@medecin.mssante.fr" in written[0].read_text()


def test_mssante_goes_through_its_own_smtp_server_when_configured(personas, settings):
    inbox = smtp.Inbox()
    controller, port = smtp.start(inbox)
    try:
        settings.MSSANTE_HOST, settings.MSSANTE_PORT = "127.0.0.1", port
        settings.MSSANTE_FROM_EMAIL = "cpts-test@cpts.mssante.fr"
        # aiosmtpd on loopback offers no STARTTLS: plain SMTP for the stand-in.
        settings.MSSANTE_USE_SSL = False
        channel = MssanteChannel()
        channel.connection_options["use_tls"] = False
        channel.open()
        outcome = channel.send(Outgoing(to="dr@medecin.mssante.fr", subject="Essai",
                                               text="Patient à rappeler"))  # fmt: skip
        channel.close()
    finally:
        controller.stop()
    assert outcome.ok
    [message] = inbox.messages
    assert message.mail_from == "cpts-test@cpts.mssante.fr"
    assert message.rcpt_tos == ["dr@medecin.mssante.fr"]


def test_mssante_uses_the_cpts_client_certificate(settings):
    settings.MSSANTE_HOST = "mssante.example.test"
    settings.MSSANTE_CERTFILE, settings.MSSANTE_KEYFILE = "/etc/tocsin/cpts.crt", "/etc/tocsin/k"
    options = MssanteChannel().connection_options
    assert options["ssl_certfile"] == "/etc/tocsin/cpts.crt"
    assert options["ssl_keyfile"] == "/etc/tocsin/k"
    assert options["use_tls"] is True


def test_sending_in_a_crisis_writes_the_campaign_and_its_totals_to_the_main_courante(
    personas, nurses
):
    crisis = active_crisis(personas.cpts, personas.referent)
    campaign = sent(personas.referent, personas.cpts, groups=[nurses[0]], crisis=crisis)
    recipient = campaign.recipients.get(contact=nurses[1][0])
    services.record_answer(recipient, "available")
    services.close_campaign(personas.referent, campaign)

    texts = list(LogEntry.objects.filter(crisis=crisis).values_list("text", flat=True))
    assert any("envoyée à 3 personne(s)" in t and "2 non joignable(s)" in t for t in texts)
    assert any("Bilan de l'alerte" in t and "1 disponible(s)" in t for t in texts)


def test_an_exercise_says_so_in_every_message(personas, mailoutbox):
    crisis = active_crisis(personas.cpts, personas.referent, is_exercise=True)
    martin = reachable_contact(personas.cpts, mobile_phone="")
    sent(personas.referent, personas.cpts, contacts=[martin], crisis=crisis)

    engine.drain()

    [message] = mailoutbox
    assert message.subject.startswith("[EXERCICE]")
    assert "EXERCICE" in message.body


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite claims for one worker at a time (and its in-memory test database locks whole "
    "tables); concurrent claiming is PostgreSQL's, checked by the PostgreSQL run",
)
@pytest.mark.django_db(transaction=True)
def test_workers_claiming_at_the_same_time_share_the_rows_without_overlap(personas):
    people = [reachable_contact(personas.cpts) for _ in range(120)]
    sent(personas.coordinator, personas.cpts, contacts=people)
    claimed = {name: [] for name in ("a", "b", "c")}
    start = threading.Barrier(len(claimed))

    def work(name):
        try:
            start.wait()
            while rows := engine.claim(f"worker-{name}", 7):
                claimed[name].extend(d.pk for d in rows)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(name,)) for name in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    everything = [pk for pks in claimed.values() for pk in pks]
    assert len(everything) == len(set(everything)) == 120


def test_a_batch_that_outlives_half_its_lease_gives_its_rows_back_unsent(
    personas, settings, mailoutbox
):
    people = [reachable_contact(personas.cpts, mobile_phone="") for _ in range(3)]
    sent(personas.coordinator, personas.cpts, contacts=people)
    claimed = engine.claim("worker-slow", 10)

    late = timezone.now() + timedelta(seconds=settings.ALERTS_CLAIM_LEASE_SECONDS / 2 + 1)
    with time_machine.travel(late):
        engine.send(claimed)

    assert mailoutbox == []
    rows = Delivery.objects.all()
    assert {(d.state, d.claimed_by, d.attempts) for d in rows} == {(DeliveryState.QUEUED, "", 0)}
    assert len(engine.claim("worker-next", 10)) == 3
