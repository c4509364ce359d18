from tocsin.core.demo import DEMO_SLUG, load_demo
from tocsin.core.enums import Role
from tocsin.core.models import AuditEntry, Cpts, Membership, User
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
