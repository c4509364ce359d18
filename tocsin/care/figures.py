"""What the call campaigns of a crisis did, in counts only: the points de situation, the
dashboard and the RETEX read them; no name ever leaves the register this way."""

from django.db.models import Count, Q

from tocsin.care.enums import ESCALATED_OUTCOMES, REACHED_OUTCOMES, Outcome
from tocsin.care.models import Call


def call_figures(crisis, *, campaigns=None) -> dict:
    """Patients in the crisis's campaigns and where their calls stand, in one query.

    A patient called in two campaigns counts twice: each campaign is a round of calls.
    """
    calls = Call.objects.filter(campaign__crisis=crisis)
    if campaigns is not None:
        calls = calls.filter(campaign__in=campaigns)
    return calls.aggregate(
        patients_to_call=Count("pk"),
        patients_reached=Count("pk", filter=Q(outcome__in=REACHED_OUTCOMES)),
        patients_needing_help=Count("pk", filter=Q(outcome=Outcome.NEEDS_HELP)),
        patients_not_reached=Count("pk", filter=Q(outcome=Outcome.NOT_REACHED)),
        patients_escalated=Count("pk", filter=Q(outcome__in=ESCALATED_OUTCOMES)),
    )


def campaign_figures(campaign) -> dict:
    """One campaign's counts; a call is done once its patient is reached (the other outcomes,
    « à appeler » and « injoignable », are still to call)."""
    figures = call_figures(campaign.crisis, campaigns=[campaign])
    return {**figures, "done": figures["patients_reached"]}
