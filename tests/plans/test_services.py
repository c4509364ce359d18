"""The plan's lifecycle: starter content, COPIL validation, immutability, copies, sending."""

import datetime

import pytest

from tests.plans.factories import canicule, validated_version
from tocsin.core.errors import DomainError
from tocsin.core.models import AuditEntry
from tocsin.plans import services
from tocsin.plans.completeness import check_version
from tocsin.plans.diff import compare
from tocsin.plans.enums import FicheKind, FicheRole, PlanStatus, Section
from tocsin.plans.models import Transmission


def test_first_version_follows_the_national_template(personas):
    risk = canicule(personas.cpts)
    version = services.start_plan(personas.coordinator, personas.cpts)
    assert [s.key for s in sorted(version.sections.all(), key=lambda s: s.position)] == list(
        Section.values
    )
    identity = version.sections.get(key=Section.IDENTITY).body
    assert "CPTS Côte de Test couvre 1 communes et 1\u202f000 habitants" in identity
    reflexes = version.fiches.filter(kind=FicheKind.REFLEXE)
    # One fiche réflexe per role, the member professionals' included.
    assert sorted(reflexes.values_list("role", flat=True)) == sorted(FicheRole.values)
    actions = version.fiches.filter(kind=FicheKind.ACTION, risk=risk)
    assert sorted(actions.values_list("alert_level", flat=True)) == ["alert", "crisis"]
    with pytest.raises(DomainError, match="déjà en cours"):
        services.start_plan(personas.coordinator, personas.cpts)


def test_a_validated_version_never_changes(personas):
    version = validated_version(personas.cpts, personas.coordinator)
    assert version.status == PlanStatus.VALIDATED
    section = version.sections.get(key=Section.TRAINING)
    with pytest.raises(DomainError, match="n'est plus modifiable"):
        services.save_section(personas.coordinator, section, "Autre texte")
    section.refresh_from_db()
    assert "AFGSU" in section.body


def test_validation_needs_the_copil_and_a_change_summary(personas):
    version = services.start_plan(personas.coordinator, personas.cpts)
    with pytest.raises(DomainError, match="Soumettez"):
        services.validate_version(personas.coordinator, version, datetime.date.today(), "")
    services.submit_version(personas.coordinator, version)
    with pytest.raises(DomainError, match="Résumez"):
        services.validate_version(personas.coordinator, version, datetime.date.today(), "")


def test_the_next_version_is_a_copy_and_the_diff_shows_the_change(personas):
    first = validated_version(personas.cpts, personas.coordinator)
    second = services.start_plan(personas.coordinator, personas.cpts)
    assert second.number == 2 and second.based_on == first
    assert second.referent == first.referent
    assert second.fiches.count() == first.fiches.count()
    section = second.sections.get(key=Section.TRAINING)
    services.save_section(
        personas.coordinator, section, section.body + "\nExercice annuel en mars."
    )
    changes = {c.title: c.lines for c in compare(first, second)}
    assert list(changes) == [Section.TRAINING.label]
    assert ("+", "Exercice annuel en mars.") in changes[Section.TRAINING.label]


def test_completeness_moves_as_gaps_are_fixed(personas):
    version = services.start_plan(personas.coordinator, personas.cpts)
    before = check_version(version)
    assert "Référent SSE désigné" in [c.label for c in before.todo]
    version.referent = personas.cpts.contacts.first()
    version.cell_place = "Salle du conseil de la maison de santé"
    version.save()
    after = check_version(version)
    assert after.score > before.score
    assert "Référent SSE désigné" not in [c.label for c in after.todo]
    canicule(personas.cpts)
    with_risk = check_version(version)
    assert "Fiche action pour le risque « Canicule »" in [c.label for c in with_risk.todo]
    services.add_missing_action_fiches(personas.coordinator, version)
    assert "Fiche action pour le risque « Canicule »" not in [
        c.label for c in check_version(version).todo
    ]


def test_transmission_emails_the_authority_and_is_acknowledged(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    version = validated_version(personas.cpts, personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.transmit_version(personas.coordinator, version, ["ars", "cpam"])
    assert [m.to for m in mailoutbox] == [[personas.authority.email]]  # the ARS persona
    assert "version 1" in mailoutbox[0].subject
    transmission = Transmission.objects.get(version=version, recipient="ars")
    services.acknowledge_transmission(personas.authority, transmission)
    with pytest.raises(DomainError, match="déjà confirmée"):
        services.acknowledge_transmission(personas.authority, transmission)
    with pytest.raises(DomainError, match="déjà été transmise"):
        services.transmit_version(personas.coordinator, version, ["ars"])
    codes = list(
        AuditEntry.objects.filter(code__startswith="plans.version").values_list("code", flat=True)
    )
    assert {"plans.version.transmitted", "plans.version.acknowledged"} <= set(codes)
