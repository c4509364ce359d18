"""What the home page shows for one membership: only what exists, in a fixed number of queries."""

from django.db.models import Count
from django.utils import timezone

from tocsin.core.enums import Role
from tocsin.core.models import AuditEntry, Membership
from tocsin.crises.models import Crisis
from tocsin.exercises.models import Scenario
from tocsin.plans.models import PlanVersion
from tocsin.plans.reminders import update_due
from tocsin.retex.selectors import retex_followup
from tocsin.territory.selectors import territory_summary
from tocsin.training.selectors import training_followup, upcoming_sessions


def build_dashboard(membership) -> dict:
    cpts = membership.cpts
    context = {
        "membership": membership,
        "territory": territory_summary(cpts),
        "crisis_team": _crisis_team(cpts),
    }
    if membership.role in (Role.COORDINATOR, Role.REFERENT, Role.CELL_MEMBER):
        context["active_crises"] = list(Crisis.objects.for_cpts(cpts).active())
    if membership.role == Role.MEMBER:
        context["member_space"] = _member_space(cpts)
    if membership.role in (Role.COORDINATOR, Role.REFERENT):
        context["plan_due"] = update_due(cpts)
        context["retex"] = retex_followup(cpts)
        context["training"] = training_followup(cpts)
    if membership.role == Role.COORDINATOR:
        context["role_counts"] = _role_counts(cpts)
        context["recent_audit"] = list(AuditEntry.objects.for_cpts(cpts)[:8])
        context["gaps"] = _organisation_gaps(context["crisis_team"])
    return context


def _member_space(cpts) -> dict:
    """What a member professional keeps an eye on: the plan in force (its public view), the
    next training sessions, and the exercises being played or announced."""
    planned = Scenario.objects.for_cpts(cpts).planned(timezone.localdate())
    return {
        "plan": PlanVersion.objects.for_cpts(cpts).published().order_by("-number").first(),
        "sessions": list(upcoming_sessions(cpts)[:5]),
        "exercises": list(Crisis.objects.for_cpts(cpts).active().filter(is_exercise=True)),
        "planned_exercises": list(planned[:3]),
    }


def _crisis_team(cpts) -> list[Membership]:
    """Référents (titular first) then cell members: who leads in a crisis."""
    team = Membership.objects.for_cpts(cpts).with_role(Role.REFERENT, Role.CELL_MEMBER)
    return sorted(
        team.select_related("user"),
        key=lambda m: (m.role != Role.REFERENT, m.is_deputy, m.user.full_name),
    )


def _role_counts(cpts) -> list[tuple[str, int]]:
    rows = Membership.objects.for_cpts(cpts).values("role").annotate(n=Count("id"))
    counts = {row["role"]: row["n"] for row in rows}
    return [(label, counts.get(value, 0)) for value, label in Role.choices]


def _organisation_gaps(team) -> list[str]:
    """What the mission requires and the CPTS has not set up yet."""
    referents = [m for m in team if m.role == Role.REFERENT]
    gaps = []
    if not any(not m.is_deputy for m in referents):
        gaps.append("Aucun référent SSE titulaire n'est désigné.")
    if not any(m.is_deputy for m in referents):
        gaps.append("Aucun suppléant du référent SSE n'est désigné.")
    if not any(m.role == Role.CELL_MEMBER for m in team):
        gaps.append("La cellule de crise n'a encore aucun membre.")
    return gaps
