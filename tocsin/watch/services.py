"""Operations of the watch log: record a signal, import CAP alerts and vigilance, poll feeds.

Each operation saves in a transaction and writes the audit trail; a new orange or red signal
e-mails the référent and the suppléant once committed. Parsing lives in cap.py, vigilance.py
and fetch.py, which raise DomainError with a French message; poll_feed turns any failure into
a failed `Fetch` row instead of raising, so the worker never crashes.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tocsin.core.audit import log_action
from tocsin.core.enums import Role
from tocsin.core.errors import DomainError
from tocsin.core.models import Membership
from tocsin.core.tasks import send_email
from tocsin.watch import cap, fetch, vigilance
from tocsin.watch.areas import Territory
from tocsin.watch.enums import FeedKind, Level, SignalSource
from tocsin.watch.models import Attachment, Feed, Fetch, Signal

logger = logging.getLogger(__name__)

IGNORED_STATUSES = {
    "Test": "message de test",
    "System": "message technique entre systèmes",
    "Draft": "brouillon",
}
IGNORED_TYPES = {"Ack": "accusé de réception", "Error": "message d'erreur de l'émetteur"}
# A feed may list many alerts: the rest is read at the next pass (the known ones are skipped).
MAX_DOCUMENTS_PER_READ = 50
FETCH_HISTORY = 200  # readings kept per feed
LIFTED = "vigilance levée par Météo-France"
CAP_ACCEPT = "application/cap+xml, application/atom+xml, application/rss+xml, application/xml"


@dataclass
class ImportReport:
    """What one import or one feed reading did, shown on the page and kept on the Fetch row."""

    created: list = field(default_factory=list)  # new signals
    superseded: list = field(default_factory=list)  # (old, new)
    cancelled: list = field(default_factory=list)  # (signal, reason)
    ignored: list = field(default_factory=list)  # (what, why)
    errors: list = field(default_factory=list)  # French messages
    unchanged: int = 0  # vigilance phenomena already on the log with the same colour

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new_signals(self) -> int:
        return len(self.created) + len(self.superseded)

    def ignore(self, what: str, why: str) -> None:
        self.ignored.append((what, why))

    def summary(self) -> str:
        parts = [
            _count(len(self.created), "nouveau signal", "nouveaux signaux"),
            _count(len(self.superseded), "signal mis à jour", "signaux mis à jour"),
            _count(len(self.cancelled), "signal terminé", "signaux terminés"),
        ]
        if self.unchanged:
            parts.append(_count(self.unchanged, "vigilance inchangée", "vigilances inchangées"))
        if self.ignored:
            reasons = Counter(why for _what, why in self.ignored)
            detail = " ; ".join(f"{why} : {n}" for why, n in reasons.most_common())
            parts.append(f"{_count(len(self.ignored), 'ignoré', 'ignorés')} ({detail})")
        text = ", ".join(parts) + "."
        if self.errors:
            more = f" (et {len(self.errors) - 3} autres)" if len(self.errors) > 3 else ""
            text = f"Échec : {' ; '.join(self.errors[:3])}{more}. {text}"
        return text


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n <= 1 else plural}"


# --- Manual entries -------------------------------------------------------------------------


def record_signal(actor, form, files=()) -> Signal:
    """A signal entered by hand (DGS-Urgent, ARS call, member's report) with its attachments."""
    with transaction.atomic():
        signal = form.save(commit=False)
        signal.source = SignalSource.MANUAL
        signal.created_by = actor
        signal.save()
        for upload in files:
            Attachment.objects.create(signal=signal, file=upload, name=Path(upload.name).name[:255])
        log_action(actor, signal.cpts, "watch.signal.recorded", signal,
                   {"level": signal.get_level_display(), "attachments": len(files)})  # fmt: skip
        _notify_if_serious(signal)
    return signal


# --- CAP ------------------------------------------------------------------------------------


def import_cap_document(actor, cpts, data: bytes, *, url: str = "") -> ImportReport:
    """An uploaded CAP alert or Atom/RSS feed of alerts (linked alerts are downloaded)."""
    return _import_cap(actor, cpts, data, url=url, audit=True)


def import_cap_url(actor, cpts, url: str) -> ImportReport:
    document = fetch.fetch(url, headers={"Accept": CAP_ACCEPT}, **_limits())
    return import_cap_document(actor, cpts, document.content, url=document.url)


def _limits() -> dict:
    return {"timeout": settings.WATCH_FETCH_TIMEOUT, "max_bytes": settings.WATCH_MAX_BYTES}


def _import_cap(actor, cpts, data: bytes, *, url: str, feed=None, audit=False) -> ImportReport:
    document = cap.read_document(data, settings.WATCH_MAX_BYTES)
    territory = Territory.of(cpts)
    report = ImportReport()
    if isinstance(document, cap.Alert):
        alerts = [(document, url)]
    else:
        alerts = _feed_alerts(cpts, document, url, territory, report)
    with transaction.atomic():
        # Oldest first, so that an Update or a Cancel finds the alert it refers to.
        for alert, alert_url in sorted(alerts, key=lambda pair: pair[0].sent):
            _import_alert(actor, cpts, alert, territory, report, url=alert_url, feed=feed)
        if audit:
            log_action(actor, cpts, "watch.cap.imported", None, {"summary": report.summary()})
    return report


def _feed_alerts(cpts, entries, feed_url, territory, report) -> list:
    """The alerts of a feed worth reading: neither known already nor outside the territory."""
    known = set(
        Signal.objects.filter(
            cpts=cpts, source=SignalSource.CAP, identifier__in=[e.identifier for e in entries]
        ).values_list("identifier", flat=True)
    )
    alerts, downloads = [], 0
    for entry in entries:
        label = entry.title or entry.identifier or entry.cap_url
        if entry.identifier and entry.identifier in known:
            report.ignore(label, "déjà enregistrée")
        elif entry.status in IGNORED_STATUSES:
            report.ignore(label, IGNORED_STATUSES[entry.status])
        elif entry.areas and not territory.departments_of(entry.areas):
            report.ignore(label, "hors du territoire de la CPTS")
        elif entry.error:
            report.errors.append(f"{label} : {entry.error}")
        elif entry.alert is not None:
            alerts.append((entry.alert, feed_url))
        elif not entry.cap_url:
            report.ignore(label, "aucun lien vers une alerte CAP")
        elif downloads >= MAX_DOCUMENTS_PER_READ:
            report.ignore(label, "lue au prochain passage (trop d'alertes à la fois)")
        else:
            downloads += 1
            alert = _download_alert(urljoin(feed_url, entry.cap_url), label, report)
            if alert:
                alerts.append(alert)
    return alerts


def _download_alert(url: str, label: str, report):
    try:
        document = fetch.fetch(url, headers={"Accept": CAP_ACCEPT}, **_limits())
        return cap.parse_alert(document.content, settings.WATCH_MAX_BYTES), document.url
    except DomainError as error:
        report.errors.append(f"{label} : {error.message}")
        return None


def _import_alert(actor, cpts, alert, territory, report, *, url, feed) -> None:
    referenced = _referenced(cpts, alert)
    own = territory.departments_of(alert.areas)
    reason = _reason_to_skip(cpts, alert, own, referenced)
    if reason:
        return report.ignore(_label(alert), reason)
    departments = own or {d for old in referenced for d in old.departments}
    signal = _create_cap_signal(cpts, alert, departments, referenced, url=url, feed=feed)
    if signal is None:
        return report.ignore(_label(alert), "déjà enregistrée")
    _log_received(actor, signal)
    in_force = [old for old in referenced if old.is_in_force]
    for old in in_force:
        if alert.msg_type == "Cancel":
            _end(actor, old, alert.sent, "alerte annulée par son émetteur", report)
        else:
            _supersede(actor, old, signal, report)
    if alert.msg_type != "Cancel":
        if not in_force:
            report.created.append(signal)
        _notify_if_serious(signal, replaced=in_force)
    return None


def _reason_to_skip(cpts, alert, departments, referenced) -> str:
    """Why this alert does not enter the log, or "" when it does.

    An Update or Cancel of an alert we hold is applied even outside the territory: it is
    about our alert.
    """
    if alert.status in IGNORED_STATUSES:
        return IGNORED_STATUSES[alert.status]
    if alert.msg_type in IGNORED_TYPES:
        return IGNORED_TYPES[alert.msg_type]
    known = Signal.objects.filter(cpts=cpts, source=SignalSource.CAP, identifier=alert.identifier)
    if known.exists():
        return "déjà enregistrée"
    if not departments and not referenced:
        return "hors du territoire de la CPTS"
    if alert.msg_type == "Cancel" and not referenced:
        return "annule une alerte que la veille n'a pas reçue"
    if alert.info is None and not referenced:
        return "aucun bloc d'information à afficher"
    return ""


def _label(alert) -> str:
    info = alert.info
    title = (info.headline or info.event) if info else ""
    return f"{title} ({alert.identifier})" if title else alert.identifier


def _referenced(cpts, alert) -> list[Signal]:
    """The signals of the log that an Update or Cancel names in its `references`."""
    senders = {ref.identifier: ref.sender for ref in alert.references}
    if not senders:
        return []
    found = Signal.objects.filter(cpts=cpts, source=SignalSource.CAP, identifier__in=senders)
    return [s for s in found if not s.sender or s.sender == senders[s.identifier]]


def _create_cap_signal(cpts, alert, departments, referenced, *, url, feed) -> Signal | None:
    info, first = alert.info, (referenced[0] if referenced else None)
    if info is not None:
        event, headline, level = info.event, info.headline or info.event, info.level
    else:
        event, headline, level = first.event, f"Annulation : {first.headline}", first.level
    signal = Signal(
        cpts=cpts,
        source=SignalSource.CAP,
        identifier=alert.identifier[:300],
        sender=alert.sender[:300],
        sent_at=alert.sent,
        is_exercise=alert.status == "Exercise",
        level=level,
        event=event[:300],
        headline=headline[:500],
        description=info.description if info else alert.note,
        instruction=info.instruction if info else "",
        areas=" ; ".join(dict.fromkeys(a.description for a in (info.areas if info else ()))),
        departments=sorted(departments),
        onset=info.onset if info else None,
        expires=info.expires if info else None,
        # A Cancel is kept in the log as evidence, never in force itself.
        cancelled_at=alert.sent if alert.msg_type == "Cancel" else None,
        feed=feed,
        message_type=alert.msg_type,
        document_url=url[:500],
        document=alert.xml,
    )
    try:
        with transaction.atomic():
            signal.save()
    except IntegrityError:  # the same alert imported at the same moment by another process
        return None
    return signal


# --- Météo-France vigilance -----------------------------------------------------------------


def import_vigilance(actor, cpts, data: bytes, *, url: str = "", feed=None) -> ImportReport:
    """One signal per domain × phenomenon × day at jaune or above; a colour change replaces it."""
    territory = Territory.of(cpts)
    carte = vigilance.parse_vigilance(data, territory.departments, settings.WATCH_MAX_BYTES)
    report = ImportReport()
    with transaction.atomic():
        for item in carte.items:
            _apply_vigilance(actor, cpts, item, carte, territory, report, url=url, feed=feed)
    return report


def _apply_vigilance(actor, cpts, item, carte, territory, report, *, url, feed) -> None:
    current = (
        Signal.objects.filter(
            cpts=cpts, source=SignalSource.VIGILANCE, identifier__startswith=f"{item.key}@"
        )
        .in_force()
        .first()
    )
    if item.colour < Level.YELLOW:
        if current:
            _end(actor, current, carte.updated_at, LIFTED, report)
    elif current and current.level == item.colour:
        report.unchanged += 1
    else:
        signal = _create_vigilance_signal(cpts, item, carte, territory, url, feed)
        _record_vigilance(actor, signal, current, item, report)


def _create_vigilance_signal(cpts, item, carte, territory, url, feed) -> Signal | None:
    stamp = carte.updated_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = territory.department_name(item.department)
    area = f"Littoral de {name}" if item.is_coastal else name
    local = timezone.localtime(carte.updated_at)
    signal = Signal(
        cpts=cpts,
        source=SignalSource.VIGILANCE,
        identifier=f"{item.key}@{stamp}",
        sender="Météo-France",
        sent_at=carte.updated_at,
        level=item.colour,
        event=item.phenomenon_label.capitalize(),
        headline=(
            f"Vigilance {item.colour_label} {item.phenomenon_label} le "
            f"{item.day:%d/%m/%Y} — {area} ({item.domain})"
        ),
        description=(
            f"Carte de vigilance Météo-France du {local:%d/%m/%Y à %H:%M} : vigilance "
            f"{item.colour_label} {item.phenomenon_label} pour {area}, journée du "
            f"{item.day:%d/%m/%Y} (échéance {'J' if item.period == 'J' else 'J+1'})."
        ),
        areas=area,
        departments=[item.department],
        onset=item.onset,
        expires=item.expires,
        feed=feed,
        document_url=url[:500],
    )
    try:
        with transaction.atomic():
            signal.save()
    except IntegrityError:
        return None
    return signal


def _record_vigilance(actor, signal, current, item, report) -> None:
    if signal is None:
        return report.ignore(f"{item.phenomenon_label} ({item.domain})", "déjà enregistrée")
    _log_received(actor, signal)
    if current:
        _supersede(actor, current, signal, report)
    else:
        report.created.append(signal)
    _notify_if_serious(signal, replaced=[current] if current else [])
    return None


# --- Shared steps ---------------------------------------------------------------------------


def _log_received(actor, signal) -> None:
    data = {"source": signal.get_source_display(), "level": signal.get_level_display()}
    log_action(actor, signal.cpts, "watch.signal.received", signal, data)


def _supersede(actor, old, new, report) -> None:
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    log_action(actor, old.cpts, "watch.signal.superseded", old, {"new": new.headline})
    report.superseded.append((old, new))


def _end(actor, signal, at, reason: str, report) -> None:
    signal.cancelled_at = at
    signal.save(update_fields=["cancelled_at"])
    log_action(actor, signal.cpts, "watch.signal.cancelled", signal, {"reason": reason})
    report.cancelled.append((signal, reason))


def _notify_if_serious(signal, replaced=()) -> None:
    """E-mail the référent and the suppléant about a new orange or red signal (or a rise)."""
    previous = max((old.level for old in replaced), default=0)
    if signal.level < Level.ORANGE or signal.level <= previous or not signal.is_in_force:
        return
    people = list(
        Membership.objects.filter(cpts=signal.cpts, role=Role.REFERENT).select_related("user")
    )
    if not people:
        return
    url = settings.SITE_URL + reverse("watch:signal_detail", kwargs={"pk": signal.pk})
    prefix = "EXERCICE — " if signal.is_exercise else ""
    level = signal.get_level_display().lower()
    subject = " ".join(f"{prefix}{signal.cpts} : signal {level} — {signal.headline}".split())[:200]
    for membership in people:
        body = render_to_string(
            "watch/emails/signal.txt",
            {"signal": signal, "url": url, "user": membership.user, "level": level},
        )
        to = [membership.user.email]
        transaction.on_commit(lambda to=to, body=body: send_email.enqueue(to, subject, body))
    names = ", ".join(str(m.user) for m in people)
    log_action(None, signal.cpts, "watch.signal.notified", signal, {"recipients": names})


# --- Feeds ----------------------------------------------------------------------------------


def due_feeds(now=None) -> list:
    now = now or timezone.now()
    return [feed for feed in Feed.objects.filter(enabled=True) if feed.is_due(now)]


def poll_feed(feed, actor=None) -> Fetch:
    """Read one feed now. Never raises: a failure is recorded on the feed and as a Fetch row."""
    try:
        report = _read_feed(feed, actor)
    except DomainError as error:
        report = ImportReport(errors=[error.message])
    except Exception:
        logger.exception("Watch feed %s: reading failed", feed.pk)
        report = ImportReport(
            errors=["erreur inattendue pendant la lecture (détail dans le journal technique)"]
        )
    return _record_fetch(feed, actor, report)


def _read_feed(feed, actor) -> ImportReport:
    if feed.kind == FeedKind.VIGILANCE:
        key = settings.METEOFRANCE_API_KEY
        headers = {"Accept": "application/json", **({"apikey": key} if key else {})}
        document = fetch.fetch(feed.url, headers=headers, **_limits())
        return import_vigilance(actor, feed.cpts, document.content, url=document.url, feed=feed)
    document = fetch.fetch(feed.url, headers={"Accept": CAP_ACCEPT}, **_limits())
    return _import_cap(actor, feed.cpts, document.content, url=document.url, feed=feed)


def _record_fetch(feed, actor, report) -> Fetch:
    summary = report.summary()
    with transaction.atomic():
        was_ok = feed.last_ok
        reading = Fetch.objects.create(
            feed=feed, ok=report.ok, message=summary, new_signals=report.new_signals
        )
        feed.last_fetched_at, feed.last_ok, feed.last_message = reading.at, report.ok, summary
        feed.save(update_fields=["last_fetched_at", "last_ok", "last_message"])
        if actor is not None:
            log_action(actor, feed.cpts, "watch.feed.polled", feed, {"summary": summary})
        if was_ok != report.ok:
            code = "watch.feed.recovered" if report.ok else "watch.feed.failed"
            log_action(None, feed.cpts, code, feed, {"summary": summary})
        old = feed.fetches.order_by("-at", "-pk").values_list("pk", flat=True)[FETCH_HISTORY:]
        Fetch.objects.filter(pk__in=list(old)).delete()
    return reading


def save_feed(actor, form):
    creating = form.instance.pk is None
    with transaction.atomic():
        feed = form.save()
        code = "watch.feed.created" if creating else "watch.feed.updated"
        log_action(actor, feed.cpts, code, feed, {"url": feed.url, "fields": form.changed_data})
    return feed


def delete_feed(actor, feed) -> None:
    """The feed and its readings go; the signals it brought stay in the log."""
    with transaction.atomic():
        log_action(actor, feed.cpts, "watch.feed.deleted", feed, {"url": feed.url})
        feed.delete()
