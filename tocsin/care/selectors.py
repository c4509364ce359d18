"""Read-only views of the call campaigns for other apps' pages: counts, never a patient."""

from django.db.models import Count, Q

from tocsin.care.enums import TO_CALL_OUTCOMES, Outcome


def call_campaigns(crisis) -> list:
    """The crisis's call campaigns with their progress, in one query (the crisis dashboard)."""
    return list(
        crisis.call_campaigns.annotate(
            n_calls=Count("calls"),
            n_done=Count("calls", filter=~Q(calls__outcome__in=TO_CALL_OUTCOMES)),
            n_help=Count("calls", filter=Q(calls__outcome=Outcome.NEEDS_HELP)),
            n_not_reached=Count("calls", filter=Q(calls__outcome=Outcome.NOT_REACHED)),
        ).order_by("-created_at", "-pk")
    )
