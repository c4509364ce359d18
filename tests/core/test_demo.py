from tocsin.core.demo import DEMO_SLUG, load_demo
from tocsin.core.enums import Role
from tocsin.core.models import AuditEntry, Cpts, Membership, User
from tocsin.crises.demo import EXERCISE_TITLE
from tocsin.crises.models import Crisis
from tocsin.directory.models import Group
from tocsin.plans.models import PlanVersion
from tocsin.territory.models import TerritoryCommune
from tocsin.territory.selectors import territory_summary


def test_demo_cpts_matches_the_reference_territory(db):
    load_demo()
    cpts = Cpts.objects.get(slug=DEMO_SLUG)
    summary = territory_summary(cpts)
    assert 130_000 < summary["population"] < 145_000
    departments = set(
        TerritoryCommune.objects.for_cpts(cpts).values_list("commune__department_code", flat=True)
    )
    assert departments == {"44", "85"}
    roles = Membership.objects.for_cpts(cpts)
    assert roles.filter(role=Role.COORDINATOR).count() == 1
    assert roles.filter(role=Role.REFERENT, is_deputy=False).count() == 1
    assert roles.filter(role=Role.REFERENT, is_deputy=True).count() == 1
    assert roles.filter(role=Role.CELL_MEMBER).count() >= 3
    assert roles.filter(role=Role.AUTHORITY).exists()
    members = roles.filter(role=Role.MEMBER)
    assert 280 <= members.count() <= 320
    assert members.values("user__profession").distinct().count() >= 8


def test_loading_the_demo_twice_changes_nothing(db):
    load_demo()
    counts = (User.objects.count(), Membership.objects.count(), AuditEntry.objects.count(),
              TerritoryCommune.objects.count())  # fmt: skip
    load_demo()
    assert counts == (User.objects.count(), Membership.objects.count(),
                      AuditEntry.objects.count(), TerritoryCommune.objects.count())  # fmt: skip


def test_the_demo_exercise_runs_on_a_validated_plan_and_loads_once(db):
    cpts = load_demo(exercise=True)["cpts"]
    crisis = Crisis.objects.get(cpts=cpts)
    assert crisis.title == EXERCISE_TITLE and crisis.is_exercise and crisis.is_active
    assert crisis.plan_version == PlanVersion.objects.for_cpts(cpts).published().get()
    assert crisis.seats.filter(joined_at__isnull=False).count() == 4
    assert crisis.tasks.filter(status="done").count() == 1 and crisis.tasks.count() > 1
    assert crisis.entries.filter(text__startswith="EHPAD Les Tamaris joint").exists()
    mairies = Group.objects.get(cpts=cpts, name="Mairies du territoire").members
    assert mairies.count() == cpts.territory.count()
    assert all(c.email.endswith("@cpts-demo.test") for c in mairies.all())
    counts = (Crisis.objects.count(), PlanVersion.objects.count(), AuditEntry.objects.count())
    load_demo(exercise=True)
    assert counts == (Crisis.objects.count(), PlanVersion.objects.count(),
                      AuditEntry.objects.count())  # fmt: skip
