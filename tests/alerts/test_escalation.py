"""Escalation on a frozen clock: next channel after N minutes (at once when the channel failed),
the backup after M minutes, and nothing more once the person has answered."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.alerts.factories import group_of, reachable_contact, sent
from tests.crises.factories import active_crisis
from tocsin.alerts import engine, escalation, services
from tocsin.alerts.enums import DeliveryReason, DeliveryState
from tocsin.alerts.models import Delivery
from tocsin.crises.models import LogEntry

START = timezone.now().replace(microsecond=0)


def at(minutes):
    return time_machine.travel(START + timedelta(minutes=minutes), tick=False)


@pytest.fixture
def martin(personas):
    """Reached by e-mail first, then SMS; Dubois stands in for him."""
    backup = reachable_contact(personas.cpts, last_name="Dubois", email="dubois@exemple.test",
                               mobile_phone="")  # fmt: skip
    return reachable_contact(personas.cpts, last_name="Martin", email="martin@exemple.test",
                             backup=backup)  # fmt: skip


@pytest.fixture
def campaign(personas, martin):
    with at(0):
        campaign = sent(personas.coordinator, personas.cpts, contacts=[martin],
                        next_channel_after=15, backup_after=30)  # fmt: skip
        engine.drain()
    return campaign


def reasons(campaign):
    return list(campaign.deliveries.order_by("pk").values_list("reason", "channel", "address"))


def test_without_an_answer_the_next_channel_is_tried_after_n_minutes(campaign):
    with at(14):
        escalation.tick()
    assert reasons(campaign) == [("initial", "email", "martin@exemple.test")]

    with at(15):
        assert escalation.tick() == {"next_channel": 1, "backups": 0}
        escalation.tick()  # a second worker ticking at the same moment changes nothing
    assert reasons(campaign)[1:] == [("next_channel", "sms", "+33612345678")]


def test_after_m_minutes_the_backup_is_alerted_and_told_who_did_not_answer(campaign, mailoutbox):
    with at(15):
        escalation.tick()
    with at(30):
        assert escalation.tick() == {"next_channel": 0, "backups": 1}
        escalation.tick()
        engine.drain()

    backup = campaign.recipients.get(backup_of__isnull=False)
    assert backup.name.endswith("Dubois")
    assert backup.backup_of.name.endswith("Martin")
    assert reasons(campaign)[-1] == ("backup", "email", "dubois@exemple.test")
    message = mailoutbox[-1]
    assert message.to == ["dubois@exemple.test"]
    assert "Sans réponse de votre binôme" in message.subject
    assert "Martin n'a pas répondu" in message.body


def test_an_answer_stops_the_escalation(campaign, martin):
    with at(10):
        services.record_answer(campaign.recipients.get(contact=martin), "available")
    with at(60):
        assert escalation.tick() == {"next_channel": 0, "backups": 0}
    assert len(reasons(campaign)) == 1


def test_an_answer_cancels_a_relaunch_already_queued(campaign, martin):
    with at(15):
        escalation.tick()
        services.record_answer(campaign.recipients.get(contact=martin), "unavailable")
        engine.drain()
    relaunch = campaign.deliveries.get(reason=DeliveryReason.NEXT_CHANNEL)
    assert relaunch.state == DeliveryState.CANCELLED


def test_a_failed_channel_moves_on_at_once(personas, smtp_server):
    martin = reachable_contact(personas.cpts, email="ancienne@exemple.test")
    smtp_server.replies["ancienne@exemple.test"] = ["550 5.1.1 Adresse inconnue"]
    with at(0):
        campaign = sent(personas.coordinator, personas.cpts, contacts=[martin])
        engine.drain()
    with at(1):
        assert escalation.tick()["next_channel"] == 1
    assert reasons(campaign)[-1] == ("next_channel", "sms", "+33612345678")


def test_without_a_backup_of_their_own_the_groups_deputy_is_alerted(personas):
    deputy = reachable_contact(personas.cpts, last_name="Adjointe", email="adj@exemple.test")
    martin = reachable_contact(personas.cpts, email="martin@exemple.test", mobile_phone="")
    group = group_of(personas.cpts, martin)
    group.deputy = deputy
    group.save()
    with at(0):
        campaign = sent(personas.coordinator, personas.cpts, groups=[group], backup_after=20)
    with at(20):
        assert escalation.tick()["backups"] == 1
    assert campaign.recipients.get(contact=deputy).backup_of.contact == martin


def test_escalation_is_written_to_the_main_courante(personas, martin):
    crisis = active_crisis(personas.cpts, personas.referent)
    with at(0):
        campaign = sent(personas.referent, personas.cpts, contacts=[martin], crisis=crisis,
                        next_channel_after=15, backup_after=None)  # fmt: skip
    with at(15):
        escalation.tick()
    last = LogEntry.objects.filter(crisis=crisis).order_by("-seq").first()
    assert (
        last.text == f"Alerte « {campaign.title} » sans réponse : 1 relance(s) sur le canal "
        "suivant."
    )
    assert Delivery.objects.filter(campaign=campaign).count() == 2
