"""What the RETEX pages read, in a fixed number of queries whatever the number of rows."""

from django.db.models import Count, Q

from tocsin.crises.models import Crisis
from tocsin.retex.enums import OPEN_ACTION_STATUSES
from tocsin.retex.models import ImprovementAction, Review, ReviewTransmission


def overview(cpts) -> dict:
    """Lifted crises still waiting for their RETEX, the reviews, and every open action."""
    reviews = (
        Review.objects.for_cpts(cpts).select_related("crisis")
        .annotate(n_findings=Count("findings", distinct=True),
                  n_open=Count("actions", filter=Q(actions__status__in=OPEN_ACTION_STATUSES),
                               distinct=True))
    )  # fmt: skip
    waiting = Crisis.objects.for_cpts(cpts).filter(closed_at__isnull=False, review__isnull=True)
    actions = (
        ImprovementAction.objects.for_cpts(cpts).open()
        .select_related("review__crisis", "owner", "plan_version", "finding")
        .order_by("due_on", "pk")
    )  # fmt: skip
    return {"reviews": list(reviews), "waiting": list(waiting), "actions": list(actions)}


def retex_followup(cpts, limit=5) -> dict | None:
    """For the dashboard: lifted crises without a RETEX, and the late improvement actions
    (how many, and the most overdue ones). None when there is nothing to follow."""
    late = ImprovementAction.objects.for_cpts(cpts).overdue()
    overdue = list(late.select_related("owner", "review__crisis").order_by("due_on", "pk")[:limit])
    waiting = list(Crisis.objects.for_cpts(cpts).filter(closed_at__isnull=False,
                                                        review__isnull=True)[:limit])  # fmt: skip
    if not overdue and not waiting:
        return None
    return {"overdue": overdue, "overdue_count": late.count(), "waiting": waiting}


def transmitted_to(membership):
    """The RETEX reports sent to this authority member's body, in their CPTS."""
    return (
        ReviewTransmission.objects.filter(
            review__cpts=membership.cpts, recipient=membership.authority_body
        )
        .select_related("review__crisis")
        .order_by("-sent_at")
    )


def actions_by_section(version) -> dict[str, list]:
    """The improvement actions a plan version carries, keyed by the section they change."""
    grouped: dict[str, list] = {}
    for action in version.improvement_actions.select_related("review__crisis", "owner"):
        grouped.setdefault(action.plan_section, []).append(action)
    return grouped
