"""Campaign operations: prepare, send, remind, close, and record answers and provider events.

Sending freezes the audience into recipients and queues one delivery per reachable recipient
on their first channel; the worker (`manage.py run_alerts`) does the sending. In a crisis, each
campaign and its totals go to the main courante.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from tocsin.alerts import audience, selectors
from tocsin.alerts.enums import (
    Answer,
    CampaignStatus,
    Channel,
    DeliveryReason,
    DeliveryState,
    Severity,
)
from tocsin.alerts.models import Campaign, Delivery, ProviderEvent, Recipient
from tocsin.core.audit import log_action
from tocsin.core.errors import DomainError
from tocsin.crises import logbook
from tocsin.crises.enums import EntryKind

CAMPAIGN_FIELDS = ("kind", "title", "body", "severity", "ask_availability", "has_health_data",
                   "next_channel_after", "backup_after", "crisis", "meeting_at",
                   "meeting_place")  # fmt: skip


def audit_code(campaign: Campaign, action: str) -> str:
    """An information's entries read « information », an alert's « alerte »."""
    return f"alerts.{'information' if campaign.is_awareness else 'campaign'}.{action}"


def save_draft(actor, cpts, campaign: Campaign | None, *, criteria: dict, **fields) -> Campaign:
    if campaign is not None and not campaign.is_draft:
        raise DomainError("Une campagne envoyée ne se modifie plus.")
    crisis = fields.get("crisis")
    if crisis is not None and (crisis.cpts_id != cpts.pk or not crisis.is_active):
        raise DomainError("Choisissez une crise en cours de votre CPTS.")
    created = campaign is None
    campaign = campaign or Campaign(cpts=cpts, created_by=actor)
    was_awareness = campaign.is_awareness
    for name in CAMPAIGN_FIELDS:
        if name in fields:
            setattr(campaign, name, fields[name])
    if not created and campaign.is_awareness != was_awareness:
        raise DomainError("Une alerte ne devient pas une information : préparez-en une nouvelle.")
    if campaign.is_awareness:
        check_awareness(campaign)
        # Severity and escalation mean nothing for an information: none is kept.
        campaign.severity, campaign.ask_availability = Severity.INFO, False
        campaign.next_channel_after = campaign.backup_after = None
    if not campaign.is_meeting:
        campaign.meeting_at, campaign.meeting_place = None, ""
    campaign.audience = criteria
    with transaction.atomic():
        campaign.save()
        log_action(actor, cpts, audit_code(campaign, "created" if created else "saved"), campaign)
    return campaign


def check_awareness(campaign: Campaign):
    """An information is a plain e-mail to the professionals: refuse what it cannot carry."""
    if campaign.has_health_data:
        raise DomainError(
            "Une information ne contient jamais de données de santé : elle part par simple "
            "e-mail. Pour un message de santé, préparez une alerte (envoyée par MSSanté)."
        )
    if campaign.crisis_id:
        raise DomainError(
            "Une information ne se rattache pas à une crise : pour la crise, préparez une alerte."
        )
    if campaign.is_meeting and campaign.meeting_at is None:
        raise DomainError("Indiquez la date et l'heure de la réunion.")


def delete_draft(actor, campaign: Campaign) -> str:
    """Remove a draft never sent; a sent campaign stays, for its follow-up and the audit."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not locked.is_draft:
            noun = "une information envoyée" if locked.is_awareness else "une alerte envoyée"
            raise DomainError(f"Seul un brouillon se supprime : {noun} reste tracée.")
        log_action(actor, locked.cpts, audit_code(locked, "deleted"), locked)
        locked.delete()
    return campaign.title


def delivery_on_current_route(campaign, recipient, reason, now, suffix) -> Delivery:
    channel, address = recipient.routes[recipient.route_index]
    return Delivery(
        cpts_id=campaign.cpts_id, campaign=campaign, recipient=recipient, channel=channel,
        address=address, reason=reason, due_at=now, queued_at=now,
        idempotency_key=f"{campaign.pk}:{recipient.pk}:{suffix}:{channel}",
    )  # fmt: skip


def send_campaign(actor, campaign: Campaign) -> dict:
    """Freeze the audience and queue the first messages. Returns the totals."""
    now = timezone.now()
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not locked.is_draft:
            raise DomainError("Cette campagne est déjà partie.")
        if audience.is_empty(locked.audience):
            raise DomainError("Choisissez au moins un destinataire avant d'envoyer.")
        if locked.crisis_id and not locked.crisis.is_active:
            raise DomainError("La crise de cette campagne est levée : l'alerte ne part pas.")
        if locked.is_awareness:
            check_awareness(locked)
        recipients = []
        for contact in audience.contacts(locked.cpts, locked.audience):
            routes, exclusion = audience.routes_for(contact, health_data=locked.has_health_data,
                                                    email_only=locked.is_awareness)  # fmt: skip
            recipients.append(new_recipient(locked, contact, routes, exclusion, now))
        if not recipients:
            raise DomainError("Aucun contact ne correspond à ces destinataires.")
        Recipient.objects.bulk_create(recipients, batch_size=500)
        reachable = [r for r in recipients if not r.exclusion]
        Delivery.objects.bulk_create(
            [delivery_on_current_route(locked, r, DeliveryReason.INITIAL, now, "initial")
             for r in reachable],
            batch_size=500,
        )  # fmt: skip
        locked.status, locked.sent_at = CampaignStatus.SENT, now
        locked.save(update_fields=["status", "sent_at"])
        totals = {"recipients": len(recipients), "reachable": len(reachable),
                  "excluded": len(recipients) - len(reachable)}  # fmt: skip
        log_action(actor, locked.cpts, audit_code(locked, "sent"), locked, totals)
        if locked.crisis_id:
            logbook.append(
                locked.crisis, EntryKind.SENT, sent_summary(locked, reachable, totals),
                author=actor, automatic=True,
            )  # fmt: skip
    campaign.refresh_from_db()
    return totals


def new_recipient(campaign, contact, routes, exclusion, now, backup_of=None) -> Recipient:
    return Recipient(
        campaign=campaign, contact=contact, name=contact.full_name,
        profession=contact.profession_label,
        commune=contact.commune.name if contact.commune else "",
        routes=routes, exclusion=exclusion, backup_of=backup_of,
        stage_started_at=None if exclusion else now,
    )  # fmt: skip


def sent_summary(campaign, reachable, totals) -> str:
    labels = dict(Channel.choices)
    by_channel = {}
    for recipient in reachable:
        label = labels[recipient.routes[0][0]]
        by_channel[label] = by_channel.get(label, 0) + 1
    channels = ", ".join(f"{label} {count}" for label, count in sorted(by_channel.items()))
    text = (f"Alerte « {campaign.title} » envoyée à {totals['reachable']} personne(s)"
            f"{f' ({channels})' if channels else ''}")  # fmt: skip
    if totals["excluded"]:
        text += f" ; {totals['excluded']} non joignable(s) (sans consentement ou sans canal)"
    return text + "."


def remind_non_responders(actor, campaign: Campaign) -> int:
    """Send the message again, on each person's current channel, to whoever has not answered."""
    if campaign.status != CampaignStatus.SENT:
        raise DomainError("Seule une campagne en cours peut être relancée.")
    now = timezone.now()
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        silent = list(locked.recipients.filter(exclusion="", answer=""))
        if not silent:
            raise DomainError("Tout le monde a répondu : personne à relancer.")
        locked.reminders += 1
        locked.save(update_fields=["reminders"])
        suffix = f"rappel{locked.reminders}"
        deliveries = [
            delivery_on_current_route(locked, r, DeliveryReason.REMINDER, now, suffix)
            for r in silent
        ]
        Delivery.objects.bulk_create(deliveries, batch_size=500, ignore_conflicts=True)
        log_action(actor, locked.cpts, "alerts.campaign.reminded", locked,
                   {"count": len(deliveries)})  # fmt: skip
        if locked.crisis_id and deliveries:
            logbook.append(
                locked.crisis, EntryKind.SENT,
                f"Rappel de l'alerte « {locked.title} » à {len(deliveries)} personne(s) sans "
                "réponse.",
                author=actor, automatic=True,
            )  # fmt: skip
    campaign.reminders = locked.reminders
    return len(deliveries)


def totals(campaign: Campaign) -> dict:
    """Answer counts of a campaign, in one query."""
    return campaign.recipients.aggregate(**selectors.answer_counts())


def close_campaign(actor, campaign: Campaign) -> dict:
    """Stop the campaign: nothing more is sent, answers are no longer taken."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != CampaignStatus.SENT:
            raise DomainError("Seule une campagne en cours peut être clôturée.")
        locked.status, locked.closed_at = CampaignStatus.CLOSED, timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        locked.deliveries.filter(state=DeliveryState.QUEUED).update(
            state=DeliveryState.CANCELLED, failed_at=locked.closed_at
        )
        figures = totals(locked)
        log_action(actor, locked.cpts, "alerts.campaign.closed", locked, figures)
        if locked.crisis_id:
            logbook.append(locked.crisis, EntryKind.INFORMATION, closing_summary(locked, figures),
                           author=actor, automatic=True)  # fmt: skip
    campaign.status, campaign.closed_at = locked.status, locked.closed_at
    return figures


def closing_summary(campaign, figures) -> str:
    text = (
        f"Bilan de l'alerte « {campaign.title} » : {figures['reachable']} alerté(s), "
        f"{figures['answered']} réponse(s) — {figures['available']} disponible(s), "
        f"{figures['unavailable']} indisponible(s), {figures['silent']} sans réponse"
    )
    if figures["excluded"]:
        text += f", {figures['excluded']} non joignable(s)"
    return text + "."


def record_answer(recipient: Recipient, answer: str, *, available_from=None, comment="",
                  via="lien") -> Recipient:  # fmt: skip
    """The person's answer (from their link or an SMS reply). Stops any escalation for them."""
    campaign = recipient.campaign
    if campaign.status != CampaignStatus.SENT:
        raise DomainError("Cette alerte est close : votre réponse n'est plus attendue. Merci.")
    if answer not in Answer.values or answer == Answer.NONE:
        raise DomainError("Choisissez une réponse.")
    if answer == Answer.AVAILABLE_FROM and available_from is None:
        raise DomainError("Indiquez l'heure à partir de laquelle vous êtes disponible.")
    if answer != Answer.AVAILABLE_FROM:
        available_from = None
    if not campaign.ask_availability and answer != Answer.ACKNOWLEDGED:
        answer = Answer.ACKNOWLEDGED
    now = timezone.now()
    with transaction.atomic():
        recipient.answer, recipient.available_from = answer, available_from
        recipient.comment = comment.strip()[:500]
        recipient.answered_at, recipient.answered_via = now, via
        recipient.save(update_fields=["answer", "available_from", "comment", "answered_at",
                                      "answered_via"])  # fmt: skip
        # Pending relaunches (next channel, reminders, backup) are pointless now.
        Delivery.objects.filter(
            recipient__in=[recipient.pk, *recipient.backups.values_list("pk", flat=True)],
            state=DeliveryState.QUEUED,
        ).exclude(reason=DeliveryReason.INITIAL).update(
            state=DeliveryState.CANCELLED, failed_at=now
        )
        log_action(None, campaign.cpts, "alerts.answer.recorded", campaign,
                   {"person": recipient.name, "answer": recipient.get_answer_display(),
                    "via": via}, actor_label=recipient.name)  # fmt: skip
        if campaign.crisis_id:
            campaign.crisis.touch()
    return recipient


# Replies to an SMS: "1" available, "2" unavailable (« oui » / « non » understood too).
SMS_REPLIES = {"1": Answer.AVAILABLE, "oui": Answer.AVAILABLE, "2": Answer.UNAVAILABLE,
               "non": Answer.UNAVAILABLE}  # fmt: skip


def record_inbound_sms(provider: str, message_id: str, sender: str, text: str) -> str:
    """Apply an SMS reply to the sender's latest open alert. Returns what happened, in French."""
    words = text.strip().lower().split()
    answer = SMS_REPLIES.get(words[0].strip(".!")) if words else None
    if not _first_time(provider, message_id, "inbound", {"from": sender, "text": text[:500]}):
        return "Réponse déjà reçue."
    delivery = (
        Delivery.objects.filter(
            channel=Channel.SMS, address=sender, campaign__status=CampaignStatus.SENT
        )  # fmt: skip
        .select_related("recipient__campaign__cpts", "recipient__campaign__crisis")
        .order_by("-queued_at", "-pk")
        .first()
    )
    if delivery is None:
        return "Aucune alerte en cours pour ce numéro."
    if answer is None:
        return "Réponse non comprise (1 = disponible, 2 = indisponible)."
    record_answer(delivery.recipient, answer, comment=" ".join(words[1:]), via="sms")
    return "Réponse enregistrée."


RECEIPT_STATES = {"delivered": DeliveryState.DELIVERED, "failed": DeliveryState.FAILED,
                  "bounced": DeliveryState.BOUNCED}  # fmt: skip


def record_receipt(provider: str, message_id: str, status: str, reason: str = "",
                   payload=None) -> bool:  # fmt: skip
    """A provider's delivery receipt. A replay changes nothing; returns whether it was new."""
    state = RECEIPT_STATES.get(status)
    if state is None:
        raise DomainError(f"État de remise inconnu : {status}")
    delivery = Delivery.objects.filter(provider=provider, provider_message_id=message_id).first()
    if not _first_time(provider, message_id, status, payload or {}, delivery):
        return False
    if delivery is None:
        return True
    now = timezone.now()
    changes = {"state": state}
    if state == DeliveryState.DELIVERED:
        changes["delivered_at"] = now
    else:
        changes.update(failed_at=now, error=(reason or "Refusé par l'opérateur")[:500])
    # A late "delivered" never overrides a bounce; the receipt only moves a sent message on.
    Delivery.objects.filter(
        pk=delivery.pk, state__in=[DeliveryState.SENT, DeliveryState.DELIVERED]
    ).update(**changes)
    return True


def record_open(provider: str, message_id: str, payload=None) -> bool:
    """A provider saw the e-mail opened: the first opening is kept; returns whether it was new."""
    delivery = Delivery.objects.filter(provider=provider, provider_message_id=message_id).first()
    if not _first_time(provider, message_id, "opened", payload or {}, delivery):
        return False
    if delivery is not None:
        Delivery.objects.filter(pk=delivery.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
    return True


def _first_time(provider, message_id, event, payload, delivery=None) -> bool:
    try:
        with transaction.atomic():
            ProviderEvent.objects.create(provider=provider, message_id=message_id, event=event,
                                         payload=payload, delivery=delivery)  # fmt: skip
    except IntegrityError:
        return False
    return True
