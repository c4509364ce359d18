"""Crises in tests, built through the services the pages use."""

from django.utils import timezone

from tests.factories import ContactFactory
from tests.plans.factories import canicule, validated_version
from tocsin.crises import services
from tocsin.plans.enums import AlertLevel, CellFunction, FicheKind
from tocsin.plans.models import CellMember, Fiche


def plan_with_canicule(cpts, actor):
    """A validated plan whose cell has two people and whose canicule fiches have 2 + 1 steps."""
    risk = canicule(cpts)
    version = validated_version(cpts, actor)
    Fiche.objects.filter(version=version, kind=FicheKind.ACTION).delete()
    Fiche.objects.create(
        version=version,
        kind=FicheKind.ACTION,
        risk=risk,
        title="Canicule — alerte",
        alert_level=AlertLevel.ALERT,
        checklist="Appeler les EHPAD du territoire\nVérifier les stocks d'eau",
    )
    Fiche.objects.create(
        version=version,
        kind=FicheKind.ACTION,
        risk=risk,
        title="Canicule — crise",
        alert_level=AlertLevel.CRISIS,
        role="communication",
        checklist="Diffuser les consignes aux pharmacies",
    )
    CellMember.objects.create(
        version=version,
        function=CellFunction.DIRECTION,
        contact=ContactFactory(cpts=cpts, last_name="Lemoine", email="lemoine@example.test"),
    )
    CellMember.objects.create(
        version=version,
        function=CellFunction.SECRETARIAT,
        contact=ContactFactory(cpts=cpts, last_name="Guérin"),
    )
    return version, risk


def active_crisis(cpts, actor, *, risk=None, phase="alerte", is_exercise=True, **extra):
    return services.activate_crisis(
        actor,
        cpts,
        title=extra.pop("title", "Épisode caniculaire"),
        crisis_type=2,
        risk=risk,
        phase=phase,
        is_exercise=is_exercise,
        started_at=timezone.now(),
        **extra,
    )
