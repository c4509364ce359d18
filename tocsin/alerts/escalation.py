"""Escalation, run by the worker every few seconds: without an answer after the campaign's N
minutes, the message goes out again on the person's next channel (at once if every message of
the current channel failed); after M minutes, their backup is alerted (the contact's own backup,
or else the deputy of a group of the audience they belong to). It stops as soon as they answer.

Every step is idempotent: deliveries carry unique keys, and a recipient's stage is moved on in
the same transaction that queues the step, so two workers ticking together do not double it.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from tocsin.alerts import audience
from tocsin.alerts.enums import CampaignStatus, DeliveryReason, DeliveryState
from tocsin.alerts.models import Campaign, Delivery, Recipient
from tocsin.alerts.services import delivery_on_current_route, new_recipient
from tocsin.crises import logbook
from tocsin.crises.enums import EntryKind
from tocsin.directory.models import Group
from tocsin.directory.selectors import group_members


def tick(now=None) -> dict:
    now = now or timezone.now()
    moved = next_channels(now)
    backups = alert_backups(now)
    _write_to_logbooks(moved, backups)
    return {"next_channel": sum(moved.values()), "backups": sum(backups.values())}


def _open_campaigns():
    return Campaign.objects.filter(status=CampaignStatus.SENT).select_related("cpts", "crisis")


def _silent(campaign):
    return campaign.recipients.filter(exclusion="", answer="").select_related("contact")


def next_channels(now) -> dict:
    """Recipients moved to their next channel, counted per campaign."""
    live = Delivery.objects.filter(
        recipient=OuterRef("pk"),
        state__in=[DeliveryState.QUEUED, DeliveryState.SENDING, DeliveryState.SENT,
                   DeliveryState.DELIVERED],
    )  # fmt: skip
    moved = {}
    for campaign in _open_campaigns():
        # Every message of the current channel failed: no need to wait.
        due = Q(has_live=False)
        if campaign.next_channel_after is not None:
            due |= Q(stage_started_at__lte=now - timedelta(minutes=campaign.next_channel_after))
        candidates = (
            _silent(campaign)
            .annotate(has_live=Exists(live))
            .filter(due, stage_started_at__isnull=False)
        )
        for recipient in candidates:
            if recipient.route_index + 1 >= len(recipient.routes):
                continue
            with transaction.atomic():
                stage = Recipient.objects.filter(
                    pk=recipient.pk, route_index=recipient.route_index, answer=""
                ).update(route_index=F("route_index") + 1, stage_started_at=now)
                if not stage:
                    continue  # answered, or moved on by another worker meanwhile
                recipient.route_index += 1
                delivery_on_current_route(
                    campaign, recipient, DeliveryReason.NEXT_CHANNEL, now,
                    f"canal{recipient.route_index}",
                ).save()  # fmt: skip
            moved[campaign] = moved.get(campaign, 0) + 1
    return moved


def backup_for(recipient):
    contact = recipient.contact
    if contact is None:
        return None
    if contact.backup_id:
        return contact.backup
    group_ids = recipient.campaign.audience.get("groups") or []
    for group in Group.objects.filter(pk__in=group_ids, deputy__isnull=False).select_related(
        "deputy"
    ):
        if group.deputy_id != contact.pk and group_members(group).filter(pk=contact.pk).exists():
            return group.deputy
    return None


def alert_backups(now) -> dict:
    alerted = {}
    for campaign in _open_campaigns():
        if campaign.backup_after is None:
            continue
        if campaign.sent_at > now - timedelta(minutes=campaign.backup_after):
            continue
        candidates = (
            _silent(campaign)
            .filter(backup_of__isnull=True, backup_alerted_at__isnull=True)
            .select_related("contact__backup")
        )
        for recipient in candidates:
            recipient.campaign = campaign
            if _alert_backup(campaign, recipient, now):
                alerted[campaign] = alerted.get(campaign, 0) + 1
    return alerted


def _alert_backup(campaign, recipient, now) -> bool:
    backup = backup_for(recipient)
    with transaction.atomic():
        if not Recipient.objects.filter(
            pk=recipient.pk, backup_alerted_at__isnull=True, answer=""
        ).update(backup_alerted_at=now):
            return False
        if backup is None:
            return False
        routes, exclusion = audience.routes_for(backup, health_data=campaign.has_health_data)
        try:
            with transaction.atomic():
                row = new_recipient(campaign, backup, routes, exclusion, now, backup_of=recipient)
                row.save()
        except IntegrityError:
            return False  # already in this campaign's audience: they have the message
        if exclusion:
            return False
        delivery_on_current_route(campaign, row, DeliveryReason.BACKUP, now, "suppleant").save()
    return True


def _write_to_logbooks(moved: dict, backups: dict):
    for campaign in {*moved, *backups}:
        if not campaign.crisis_id or not campaign.crisis.is_active:
            continue
        parts = []
        if moved.get(campaign):
            parts.append(f"{moved[campaign]} relance(s) sur le canal suivant")
        if backups.get(campaign):
            parts.append(f"{backups[campaign]} suppléant(s) alerté(s)")
        logbook.append(
            campaign.crisis, EntryKind.SENT,
            f"Alerte « {campaign.title} » sans réponse : {', '.join(parts)}.", automatic=True,
        )  # fmt: skip
