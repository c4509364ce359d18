"""The session's calendar file, read back with icalendar, and the invitation as it reaches a
real SMTP server: the signed link in the text, the .ics attached as text/calendar."""

import datetime
import email
import re
from email import policy
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.factories import ContactFactory
from tests.training.factories import in_days, session, training
from tocsin.training import ics, links, services

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def afgsu_day(personas):
    personas.cpts.email = "contact@cpts-cote.test"
    personas.cpts.save()
    found = training(personas.coordinator, personas.cpts)
    return session(personas.coordinator, found, date=datetime.date(2026, 7, 3),
                   start_time=datetime.time(9, 30), end_time=datetime.time(12, 0),
                   online_url="https://visio.exemple.test/afgsu")  # fmt: skip


def event_of(content: str):
    [event] = Calendar.from_ical(content).walk("VEVENT")
    return event


def test_the_ics_event_has_the_session_in_paris_time_and_the_personal_link(afgsu_day):
    url = "https://tocsin.exemple.test/formations/inscription/abc/"
    event = event_of(ics.session_calendar(afgsu_day, url=url))

    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start == datetime.datetime(2026, 7, 3, 9, 30, tzinfo=PARIS)
    assert end == datetime.datetime(2026, 7, 3, 12, 0, tzinfo=PARIS)
    assert str(start.tzinfo) == "Europe/Paris"  # TZID kept, not converted to UTC
    assert str(event["summary"]) == "Formation : AFGSU SSE — module 1"
    assert str(event["location"]) == "Maison de santé, 2 rue du Port, Pornic"
    assert url in str(event["description"])
    assert "Dr Anne Formatrice" in str(event["description"])
    assert str(event["organizer"]) == "mailto:contact@cpts-cote.test"
    assert event["organizer"].params["cn"] == "CPTS Côte de Test"


def test_the_uid_is_stable_per_session(personas, afgsu_day):
    first = event_of(ics.session_calendar(afgsu_day, url="https://a.test/1/"))
    again = event_of(ics.session_calendar(afgsu_day, url="https://a.test/2/"))
    other = session(personas.coordinator, afgsu_day.training)
    assert str(first["uid"]) == str(again["uid"]) == ics.uid(afgsu_day)
    assert str(event_of(ics.session_calendar(other))["uid"]) != str(first["uid"])


def test_the_calendar_carries_the_paris_timezone_definition(afgsu_day):
    calendar = Calendar.from_ical(ics.session_calendar(afgsu_day))
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_the_invitation_reaches_the_smtp_server_with_the_link_and_the_ics(
    personas, smtp_server, django_capture_on_commit_callbacks
):
    nurse = ContactFactory(cpts=personas.cpts, last_name="Infirmière", email="ide@exemple.test")
    day = session(personas.coordinator, training(personas.coordinator, personas.cpts),
                  date=in_days(12))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_contacts(personas.coordinator, day, {"contacts": [nurse.pk]})

    [envelope] = smtp_server.wait_for(1)
    assert envelope.rcpt_tos == ["ide@exemple.test"]
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    text = message.get_body(("plain",)).get_content()
    token = re.search(r"/formations/inscription/([^/\s]+)/", text).group(1)
    assert links.registration_from_token(token).contact == nurse
    [calendar] = list(message.iter_attachments())
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_filename() == ics.file_name(day)
    event = event_of(calendar.get_content())
    assert str(event["uid"]) == ics.uid(day)
    assert token in str(event["description"])
