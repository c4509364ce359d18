"""The yearly update: shown on the dashboard, e-mailed a month before and when late."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.plans.factories import validated_version
from tocsin.plans.reminders import update_due


@pytest.fixture
def validated_last_year(personas):
    version = validated_version(personas.cpts, personas.coordinator)
    version.validated_on = datetime.date.today() - datetime.timedelta(days=400)
    version.save(update_fields=["validated_on"])
    return version


def test_without_a_validated_plan_the_update_is_due_now(personas, client_for):
    html = client_for(personas.referent).get(reverse("core:dashboard")).content.decode()
    assert "La CPTS n&#x27;a pas encore de plan validé par son COPIL." in html


def test_an_old_plan_is_overdue_and_reminded_once_a_week(
    personas, validated_last_year, mailoutbox, django_capture_on_commit_callbacks
):
    due = update_due(personas.cpts)
    assert due.overdue and due.due_on == validated_last_year.validated_on.replace(
        year=validated_last_year.validated_on.year + 1
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_plan_reminders", stdout=io.StringIO())
        call_command("send_plan_reminders", stdout=io.StringIO())
    ours = [m for m in mailoutbox if personas.coordinator.email in m.to]
    assert len(ours) == 1  # the second run within a week sends nothing more
    assert sorted(ours[0].to) == sorted([personas.coordinator.email, personas.referent.email])
    assert "était due le" in ours[0].body
    # The other CPTS has no validated plan at all: it is reminded too, separately.
    assert any(personas.outsider.email in m.to for m in mailoutbox)


def test_a_recent_plan_sends_nothing(personas, mailoutbox, django_capture_on_commit_callbacks):
    validated_version(personas.cpts, personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_plan_reminders", stdout=io.StringIO())
    assert not [m for m in mailoutbox if personas.coordinator.email in m.to]
