"""What the alert pages read: campaigns with their totals, the roll-call of one campaign, and
the informations' follow-up and archive.

Every function runs a fixed number of queries whatever the number of recipients: totals and
breakdowns are aggregates, and each recipient's last delivery comes in the same query as the
recipient (a subquery), so the roll-call page costs the same for 3 people or 3,000.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from tocsin.alerts.enums import AVAILABLE_ANSWERS, Answer, CampaignStatus, Channel, DeliveryState
from tocsin.alerts.models import Campaign, Delivery

REACHABLE = Q(exclusion="")
PAGE_SIZE = 100


def answer_counts(prefix: str = "") -> dict:
    """Count expressions of the answers; `prefix` reaches the recipients from another model."""

    def count(condition=None):
        return Count(f"{prefix}pk", filter=condition)

    def on(**lookups):
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    reachable = on(exclusion="")
    return {
        "recipients": count(),
        "reachable": count(reachable),
        "excluded": count(~reachable),
        "answered": count(reachable & ~on(answer="")),
        "available": count(on(answer__in=AVAILABLE_ANSWERS)),
        "available_later": count(on(answer=Answer.AVAILABLE_FROM)),
        "unavailable": count(on(answer=Answer.UNAVAILABLE)),
        "acknowledged": count(on(answer=Answer.ACKNOWLEDGED)),
        "silent": count(reachable & on(answer="")),
    }


def with_totals(campaigns):
    """Campaigns annotated with their answer counts, in the query that lists them."""
    return campaigns.annotate(
        **{f"n_{name}": expr for name, expr in answer_counts("recipients__").items()}
    )


def campaign_list(cpts) -> dict:
    """The CPTS's campaigns by state, each with its totals: one query."""
    campaigns = Campaign.objects.for_cpts(cpts).alerts()
    rows = with_totals(campaigns.select_related("crisis", "created_by"))
    by_status = {status: [] for status in CampaignStatus.values}
    for campaign in rows:
        by_status[campaign.status].append(campaign)
    return {
        "drafts": by_status[CampaignStatus.DRAFT],
        "running": by_status[CampaignStatus.SENT],
        "closed": by_status[CampaignStatus.CLOSED],
    }


def crisis_campaigns(crisis) -> list:
    """The campaigns sent in a crisis, with their totals, for its dashboard: one query.

    Drafts are left out: the dashboard's live part is cached per crisis revision, which
    sending, answering and closing bump, but saving a draft does not.
    """
    sent = crisis.alert_campaigns.exclude(status=CampaignStatus.DRAFT).order_by("-sent_at", "-pk")
    return list(with_totals(sent))


def rollcall_totals(campaign) -> dict:
    """Answer counts and the earliest « disponible à partir de », in one query."""
    return campaign.recipients.aggregate(
        **answer_counts(),
        first_later=Min("available_from", filter=Q(answer=Answer.AVAILABLE_FROM)),
    )


def delivery_states(campaign) -> list[tuple[str, str, int]]:
    """(state, label, count) of the campaign's messages, in the states' order: one query."""
    rows = campaign.deliveries.order_by().values("state").annotate(n=Count("pk"))
    counts = {row["state"]: row["n"] for row in rows}
    return [(state, label, counts.get(state, 0)) for state, label in DeliveryState.choices]


def breakdown(campaign, field: str) -> list[dict]:
    """Counts per profession or per commune (`field`), one aggregate query."""
    rows = (
        campaign.recipients.order_by()
        .values(field)
        .annotate(
            reachable=Count("pk", filter=REACHABLE),
            available=Count("pk", filter=Q(answer__in=AVAILABLE_ANSWERS)),
            unavailable=Count("pk", filter=Q(answer=Answer.UNAVAILABLE)),
            silent=Count("pk", filter=REACHABLE & Q(answer="")),
            excluded=Count("pk", filter=~REACHABLE),
        )
        .order_by(field)
    )
    return [{"label": row.pop(field) or "Non renseignée", **row} for row in rows]


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    condition: Q
    total: str  # the rollcall_totals key that counts this tab's rows


TABS = (
    Tab("tous", "Tous", Q(), "recipients"),
    Tab("disponibles", "Disponibles", Q(answer__in=AVAILABLE_ANSWERS), "available"),
    Tab("indisponibles", "Indisponibles", Q(answer=Answer.UNAVAILABLE), "unavailable"),
    Tab("lus", "Ont pris connaissance", Q(answer=Answer.ACKNOWLEDGED), "acknowledged"),
    Tab("sans-reponse", "Sans réponse", REACHABLE & Q(answer=""), "silent"),
    Tab("non-joignables", "Non joignables", ~REACHABLE, "excluded"),
)


def tabs_for(campaign) -> list[Tab]:
    """An acknowledgement-only campaign has no (un)available answers; the others no « lus »."""
    hidden = {"disponibles", "indisponibles"} if not campaign.ask_availability else {"lus"}
    return [tab for tab in TABS if tab.key not in hidden]


def recipients(campaign, tab: Tab):
    """The tab's recipients, each with its last delivery's state and channel (same query)."""
    last = Delivery.objects.filter(recipient=OuterRef("pk")).order_by("-pk")
    return (
        campaign.recipients.filter(tab.condition)
        .select_related("backup_of")
        .annotate(
            last_state=Subquery(last.values("state")[:1]),
            last_channel=Subquery(last.values("channel")[:1]),
        )
        .order_by("name", "pk")
    )


CHANNEL_LABELS = dict(Channel.choices)
STATE_LABELS = dict(DeliveryState.choices)


def describe_one(row):
    """Set the labels the roll-call shows on a recipient, from what was already loaded."""
    current = row.routes[row.route_index] if row.route_index < len(row.routes) else None
    row.channel_label = CHANNEL_LABELS.get(current[0], "") if current else ""
    row.state_label = STATE_LABELS.get(row.last_state or "", "")
    row.phone = next((address for channel, address in row.routes if channel == Channel.SMS), "")
    return row


def describe(rows) -> list:
    return [describe_one(row) for row in rows]


# --- Informations (newsletters, information messages, invitations) ---


def information_list(cpts) -> dict:
    """The CPTS's informations: drafts, then the sent ones with their figures — one query."""
    opened = (
        Delivery.objects.filter(campaign=OuterRef("pk"), opened_at__isnull=False)
        .order_by()
        .values("campaign")
        .annotate(n=Count("recipient", distinct=True))
        .values("n")
    )
    rows = with_totals(Campaign.objects.for_cpts(cpts).awareness().select_related("created_by"))
    rows = rows.annotate(n_opened=Coalesce(Subquery(opened), 0))
    drafts, sent = [], []
    for campaign in rows.order_by("-sent_at", "-created_at", "-pk"):
        (drafts if campaign.is_draft else sent).append(campaign)
    return {"drafts": drafts, "sent": sent}


def email_figures(campaign) -> dict:
    """The e-mails of an information: sent, delivered, failed, waiting, and who opened them."""
    leaving = (DeliveryState.QUEUED, DeliveryState.SENDING)
    return campaign.deliveries.aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        delivered=Count("pk", filter=Q(state=DeliveryState.DELIVERED)),
        failed=Count("pk", filter=Q(state__in=(DeliveryState.FAILED, DeliveryState.BOUNCED))),
        waiting=Count("pk", filter=Q(state__in=leaving)),
        opened=Count("recipient", distinct=True, filter=Q(opened_at__isnull=False)),
    )


FOLLOWUP_TABS = (
    Tab("lus", "Ont confirmé la lecture", Q(answer=Answer.ACKNOWLEDGED), "acknowledged"),
    Tab("sans-confirmation", "Sans confirmation", REACHABLE & Q(answer=""), "silent"),
    Tab("non-joignables", "Non joignables", ~REACHABLE, "excluded"),
    Tab("tous", "Tous", Q(), "recipients"),
)


def followup_recipients(campaign, tab: Tab):
    """The tab's recipients with their e-mail's state and whether it was opened (same query)."""
    opened = Delivery.objects.filter(recipient=OuterRef("pk"), opened_at__isnull=False)
    return recipients(campaign, tab).annotate(opened=Exists(opened))


def archive(cpts):
    """The informations sent to the CPTS's professionals, newest first (never alerts)."""
    return (
        Campaign.objects.for_cpts(cpts)
        .awareness()
        .filter(crisis__isnull=True)
        .exclude(status=CampaignStatus.DRAFT)
        .order_by("-sent_at", "-pk")
    )
