"""The calendar file (.ics) of a session, attached to each invitation and offered on the
registration page. One UID per session, so a second file updates the same agenda entry."""

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

ICS = "text/calendar"  # with str content, Django adds the charset


def uid(session) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "tocsin"
    return f"formation-session-{session.pk}@{host}"


def file_name(session) -> str:
    return f"formation-{session.date:%Y%m%d}-{session.pk}.ics"


def _description(session, url) -> str:
    training = session.training
    lines = [f"{training.title} ({training.get_kind_display()}), {session.cpts.name}."]
    if session.trainer:
        lines.append(f"Formateur : {session.trainer}.")
    if session.online_url:
        lines.append(f"En ligne : {session.online_url}")
    if url:
        lines.append(f"Votre inscription (s'inscrire, se désinscrire) : {url}")
    return "\n".join(lines)


def session_calendar(session, *, url: str = "") -> str:
    """The session as an iCalendar event, in Europe/Paris time; `url` is the person's link."""
    calendar = Calendar()
    calendar.add("prodid", "-//Tocsin//Formations//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid(session))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts)
    event.add("dtend", session.ends)
    event.add("summary", f"Formation : {session.training.title}")
    event.add("location", session.where)
    event.add("description", _description(session, url))
    address = session.cpts.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(session.cpts.name)
    event.add("organizer", organizer)
    if url:
        event.add("url", url)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()
