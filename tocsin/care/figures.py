"""What the call campaigns of a crisis did, in counts only: the points de situation, the
dashboard and the RETEX read them; no name ever leaves the register this way."""

from django.db.models import Count, Q

from tocsin.care.enums import ESCALATED_OUTCOMES, REACHED_OUTCOMES, TO_CALL_OUTCOMES, Outcome
from tocsin.care.models import Call

EMPTY = {
    "patients_to_call": 0,
    "patients_reached": 0,
    "patients_needing_help": 0,
    "patients_not_reached": 0,
    "patients_escalated": 0,
}


def call_figures(crisis, *, campaigns=None) -> dict:
    """Patients in the crisis's campaigns and where their calls stand, in one query.

    A patient called in two campaigns counts twice: each campaign is a round of calls.
    """
    calls = Call.objects.filter(campaign__crisis=crisis)
    if campaigns is not None:
        calls = calls.filter(campaign__in=campaigns)
    figures = calls.aggregate(
        patients_to_call=Count("pk"),
        patients_reached=Count("pk", filter=Q(outcome__in=REACHED_OUTCOMES)),
        patients_needing_help=Count("pk", filter=Q(outcome=Outcome.NEEDS_HELP)),
        patients_not_reached=Count("pk", filter=Q(outcome=Outcome.NOT_REACHED)),
        patients_escalated=Count("pk", filter=Q(outcome__in=ESCALATED_OUTCOMES)),
    )
    return {**EMPTY, **{key: value or 0 for key, value in figures.items()}}


def campaign_figures(campaign) -> dict:
    figures = call_figures(campaign.crisis, campaigns=[campaign])
    by_outcome = dict(campaign.calls.values_list("outcome").annotate(n=Count("pk")).order_by())
    figures["by_outcome"] = [(value, label, by_outcome.get(value, 0))
                             for value, label in Outcome.choices]  # fmt: skip
    figures["done"] = sum(n for outcome, n in by_outcome.items()
                          if outcome not in TO_CALL_OUTCOMES)  # fmt: skip
    return figures
