"""The text of each message: the campaign's words, its answer link, and EXERCICE where it is one.

Rendering a template per message would dominate a 5,000-message send, so each campaign ×
channel × kind is rendered once and only the recipient's link and name are put in per message.
"""

from django.template.loader import render_to_string
from django.utils.html import escape

from tocsin.alerts import links
from tocsin.alerts.channels import Outgoing
from tocsin.alerts.enums import Channel, DeliveryReason, Severity

LINK = "\x00LINK\x00"
ABOUT = "\x00ABOUT\x00"
SMS_BODY_LENGTH = 280


def subject(campaign, reason=DeliveryReason.INITIAL) -> str:
    parts = []
    if campaign.is_exercise:
        parts.append("[EXERCICE]")
    if campaign.severity == Severity.URGENT and not campaign.is_awareness:
        parts.append("URGENT —")
    if reason == DeliveryReason.REMINDER:
        parts.append("Rappel :")
    if reason == DeliveryReason.BACKUP:
        parts.append("Sans réponse de votre binôme :")
    parts.append(campaign.title)
    return " ".join(parts)


class Composer:
    """Builds the messages of one batch, rendering each campaign × channel × kind once."""

    def __init__(self, *, sms_inbound: bool = False):
        self.sms_inbound = sms_inbound
        self.skeletons = {}

    def compose(self, delivery) -> Outgoing:
        campaign = delivery.campaign
        recipient = delivery.recipient
        key = (campaign.pk, delivery.channel, delivery.reason)
        if key not in self.skeletons:
            self.skeletons[key] = self._skeleton(campaign, delivery.channel, delivery.reason)
        title, text, html = self.skeletons[key]
        url = links.answer_url(recipient.pk)
        about = recipient.backup_of.name if recipient.backup_of_id else ""
        return Outgoing(
            to=delivery.address,
            subject=title,
            text=text.replace(LINK, url).replace(ABOUT, about),
            html=html.replace(LINK, url).replace(ABOUT, escape(about)),
            key=delivery.idempotency_key,
        )

    def _skeleton(self, campaign, channel, reason):
        """(subject, text, html) with placeholders for the link and the absent person."""
        context = {
            "campaign": campaign,
            "cpts": campaign.cpts,
            "link": LINK,
            "about": ABOUT,
            "is_backup": reason == DeliveryReason.BACKUP,
            "is_reminder": reason == DeliveryReason.REMINDER,
            "sms_inbound": self.sms_inbound,
        }
        if channel == Channel.SMS:
            body = campaign.body
            if len(body) > SMS_BODY_LENGTH:
                body = body[: SMS_BODY_LENGTH - 1].rstrip() + "…"
            context["sms_body"] = body
            text = render_to_string("alerts/message.sms.txt", context).strip()
            return subject(campaign, reason), text, ""
        text = render_to_string("alerts/message.email.txt", context)
        html = render_to_string("alerts/message.email.html", context)
        return subject(campaign, reason), text, html
