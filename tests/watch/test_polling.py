"""Polling feeds over HTTP against a local stand-in server: successes, failures, the worker."""

import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.watch.factories import ALERT_ID, FeedFactory, cap_alert, fixture
from tocsin.core.errors import DomainError
from tocsin.core.models import AuditEntry
from tocsin.watch import fetch, services
from tocsin.watch.enums import FeedKind, SignalSource
from tocsin.watch.management.commands import poll_watch
from tocsin.watch.models import Feed, Fetch, Signal
from tocsin.watch.tasks import poll_feed_task


def meteoalarm(stand_in) -> str:
    """The Atom fixture served with its CAP alerts: one for 44, one for 29; one link is dead."""
    stand_in.serve("/cap/canicule-44.xml", fixture("alerte_canicule_44.xml"))
    stand_in.serve("/cap/vent-29.xml", cap_alert("vent-29", area="<areaDesc>Finistère</areaDesc>"))
    atom = fixture("flux_meteoalarm.atom").replace(b"{base}", stand_in.base.encode())
    return stand_in.serve("/flux.atom", atom)


def test_a_feed_brings_the_territory_alerts_and_reports_the_rest(personas, stand_in):
    feed = FeedFactory(cpts=personas.cpts, url=meteoalarm(stand_in))
    reading = services.poll_feed(feed)
    signal = Signal.objects.get(cpts=personas.cpts, source=SignalSource.CAP)
    assert signal.identifier == ALERT_ID and signal.feed == feed
    assert signal.document_url == f"{stand_in.base}/cap/canicule-44.xml"
    # Finistère and the test message were skipped without downloading their alert.
    fetched = [path for path, _headers in stand_in.requests]
    assert "/cap/vent-29.xml" not in fetched and "/cap/test.xml" not in fetched
    # The dead link (404) makes the reading a failure that says which alert and why.
    assert not reading.ok and reading.new_signals == 1
    assert "Le serveur a répondu 404" in reading.message and "Orages" not in reading.message
    assert "hors du territoire de la CPTS : 1" in reading.message
    assert "message de test : 1" in reading.message
    feed.refresh_from_db()
    assert not feed.last_ok and feed.last_message == reading.message and feed.last_fetched_at


def test_a_second_reading_downloads_only_what_is_new(personas, stand_in):
    feed = FeedFactory(cpts=personas.cpts, url=meteoalarm(stand_in))
    stand_in.serve(
        "/cap/absent.xml", cap_alert("2.49.0.0.250.0.FR.20260715060000.44.3", severity="Moderate")
    )
    assert services.poll_feed(feed).ok
    stand_in.requests.clear()
    reading = services.poll_feed(feed)
    assert reading.ok and reading.new_signals == 0
    assert [path for path, _h in stand_in.requests] == ["/flux.atom"]
    assert Signal.objects.filter(cpts=personas.cpts, source=SignalSource.CAP).count() == 2


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [(b"<feed><entry>", 200, "pas du XML lisible"),
     (b"Erreur interne", 500, "Le serveur a répondu 500"),
     (b'{"product": 1}', 200, "pas du XML lisible")],
)  # fmt: skip
def test_failures_are_recorded_never_raised(personas, stand_in, body, status, message):
    feed = FeedFactory(cpts=personas.cpts, url=stand_in.serve("/flux", body, status))
    reading = services.poll_feed(feed)
    assert not reading.ok and message in reading.message
    assert reading.message.startswith("Échec : ")
    feed.refresh_from_db()
    assert not feed.last_ok
    entry = AuditEntry.objects.get(code="watch.feed.failed")
    assert entry.actor is None and entry.target_id == str(feed.pk)


def test_a_feed_that_recovers_is_audited_once(personas, stand_in):
    url = stand_in.serve("/flux", b"oops", 500)
    feed = FeedFactory(cpts=personas.cpts, url=url)
    services.poll_feed(feed)
    services.poll_feed(feed)
    stand_in.serve("/flux", cap_alert())
    services.poll_feed(feed)
    codes = list(
        AuditEntry.objects.filter(code__startswith="watch.feed").values_list("code", flat=True)
    )
    assert sorted(codes) == ["watch.feed.failed", "watch.feed.recovered"]
    assert list(feed.fetches.values_list("ok", flat=True)) == [True, False, False]


def test_size_limit_and_timeout(personas, stand_in, settings):
    settings.WATCH_MAX_BYTES = 2000
    settings.WATCH_FETCH_TIMEOUT = 1
    big = FeedFactory(cpts=personas.cpts, url=stand_in.serve("/gros", b"x" * 5000))
    assert "dépasse la taille autorisée" in services.poll_feed(big).message

    def slow():
        time.sleep(2)
        return cap_alert()

    late = FeedFactory(cpts=personas.cpts, url=stand_in.serve("/lent", slow))
    assert "Pas de réponse en 1 secondes" in services.poll_feed(late).message


def test_only_http_urls_and_no_redirect_elsewhere(stand_in):
    for url in ("file:///etc/passwd", "ftp://exemple.test/a.xml", "http:///sans-hote"):
        with pytest.raises(DomainError, match="Adresse refusée"):
            fetch.fetch(url, timeout=1, max_bytes=1000)


def test_an_unreachable_host(personas):
    feed = FeedFactory(cpts=personas.cpts, url="http://127.0.0.1:9/flux.xml")
    assert "Adresse injoignable" in services.poll_feed(feed).message


def test_vigilance_feed_sends_the_api_key(personas, stand_in, settings):
    settings.METEOFRANCE_API_KEY = "cle-de-test"
    url = stand_in.serve("/vigilance", fixture("carte_vigilance.json"))
    feed = FeedFactory(cpts=personas.cpts, kind=FeedKind.VIGILANCE, url=url)
    reading = services.poll_feed(feed)
    assert reading.ok and reading.new_signals == 4
    assert stand_in.requests[0][1]["apikey"] == "cle-de-test"


def test_the_task_never_raises(personas, stand_in, monkeypatch):
    feed = FeedFactory(cpts=personas.cpts, url=stand_in.serve("/flux", b"<x/>"))

    def explode(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(services, "_import_cap", explode)
    poll_feed_task.enqueue(feed.pk)  # immediate backend: runs here
    reading = Fetch.objects.get(feed=feed)
    assert not reading.ok and "erreur inattendue" in reading.message
    monkeypatch.setattr(services, "poll_feed", explode)
    Feed.objects.filter(pk=feed.pk).update(last_fetched_at=None)
    poll_feed_task.enqueue(feed.pk)  # even a failure outside poll_feed is swallowed
    poll_feed_task.enqueue(123456)  # a deleted feed too


def test_poll_watch_queues_the_due_feeds_only(personas, stand_in):
    Feed.objects.all().delete()  # the personas' sample feeds point nowhere
    now = timezone.now()
    due = FeedFactory(cpts=personas.cpts, url=stand_in.serve("/a", cap_alert()))
    FeedFactory(cpts=personas.cpts, url=stand_in.serve("/b", cap_alert()), enabled=False)
    FeedFactory(cpts=personas.cpts, url=stand_in.serve("/c", cap_alert()),
                every_minutes=15, last_fetched_at=now - timedelta(minutes=5))  # fmt: skip
    late = FeedFactory(cpts=personas.other_cpts, url=stand_in.serve("/d", cap_alert()),
                       every_minutes=15, last_fetched_at=now - timedelta(minutes=16))  # fmt: skip
    out = StringIO()
    call_command("poll_watch", stdout=out)
    assert out.getvalue().strip() == "2 flux mis en file."
    assert sorted(path for path, _h in stand_in.requests) == ["/a", "/d"]
    assert Fetch.objects.filter(feed__in=[due, late], ok=True).count() == 2


class _StopLoop(BaseException):
    pass


def test_poll_watch_loop_survives_a_failing_pass(db, monkeypatch):
    passes, pauses = [], []

    def queue(self):
        passes.append(1)
        if len(passes) == 1:
            raise RuntimeError("base de données indisponible")
        return 0

    def sleep(seconds):
        pauses.append(seconds)
        if len(pauses) == 2:
            raise _StopLoop

    monkeypatch.setattr(poll_watch.Command, "queue_due_feeds", queue)
    monkeypatch.setattr(poll_watch.time, "sleep", sleep)
    with pytest.raises(_StopLoop):
        call_command("poll_watch", loop=60)
    assert len(passes) == 2 and pauses == [60, 60]
