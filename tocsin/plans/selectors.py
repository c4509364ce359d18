"""Read-only queries of the crisis plan."""

from tocsin.plans.models import PlanVersion


def version_for_page(cpts, number):
    """A version with everything its page shows, in a fixed number of queries."""
    return (
        PlanVersion.objects.for_cpts(cpts)
        .select_related("referent", "deputy", "validated_by", "cpts")
        .prefetch_related(
            "sections",
            "cell_members__contact",
            "fiches__risk",
            "transmissions",
        )
        .get(number=number)
    )
