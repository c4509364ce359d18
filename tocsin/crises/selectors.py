"""What the crisis pages read, in a fixed number of queries whatever the size of the log."""

import time

from django.core.cache import cache
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from tocsin.alerts.selectors import crisis_campaigns
from tocsin.care.selectors import call_campaigns
from tocsin.crises import logbook
from tocsin.crises.enums import OPEN_TASK_STATUSES, TaskStatus
from tocsin.crises.models import Crisis

TIMELINE_LENGTH = 12
BOARD_LIMIT = 200  # tasks per column on the board; beyond, the list view pages them
FULL_CHECK_SECONDS = 600
LIVE_CACHE_SECONDS = 30  # what changes with time alone: overdue tasks


def crisis_for_page(cpts, pk) -> Crisis:
    return Crisis.objects.select_related("risk").get(cpts=cpts, pk=pk)


def task_counts(crisis) -> dict:
    counts = crisis.tasks.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in TaskStatus.values},
        total=Count("pk"),
    )
    return counts


def integrity(crisis, *, fresh=False) -> logbook.Verification:
    """The chain check behind the badge, without reading the whole log on every page.

    Each process keeps its last result and, while the chain holds, only checks the entries
    appended since; the whole chain is walked again every FULL_CHECK_SECONDS, on demand
    (« Vérifier maintenant ») and by `manage.py verify_logbook`.
    """
    key = f"crises:integrity:{crisis.pk}"
    state, now = cache.get(key), time.monotonic()
    if fresh or state is None or now - state[1] > FULL_CHECK_SECONDS:
        result, checked_at = logbook.verify(crisis), now
    else:
        last, checked_at = state
        if not last.ok or (last.checked, last.head) == (crisis.log_length, crisis.log_head):
            result = last
        elif crisis.log_length < last.checked:
            result, checked_at = logbook.verify(crisis), now
        else:
            result = logbook.verify(crisis, after=last.checked, prev_hash=last.head)
    cache.set(key, (result, checked_at), 2 * FULL_CHECK_SECONDS)
    return result


def dashboard(crisis) -> dict:
    timeline = list(crisis.entries.select_related("corrects").order_by("-seq")[:TIMELINE_LENGTH])
    open_tasks = list(
        crisis.tasks.filter(status__in=OPEN_TASK_STATUSES)
        .select_related("assignee")
        .order_by("due_at", "position", "pk")[:10]
    )
    seats = list(crisis.seats.select_related("contact"))
    return {
        "timeline": timeline,
        "open_tasks": open_tasks,
        "counts": task_counts(crisis),
        "seats": seats,
        "present": [s for s in seats if s.is_present],
        "last_report": crisis.reports.order_by("-number").first(),
        "integrity": integrity(crisis),
        # Answers, sending and closing bump the revision: the cached totals stay right.
        "campaigns": crisis_campaigns(crisis),
        "call_campaigns": call_campaigns(crisis),
    }


def live_html(crisis) -> str:
    """The live part of the dashboard, rendered once per change of the crisis.

    Every open dashboard reloads it every few seconds: the cache key is the crisis's revision,
    which each change bumps, so a cached copy is never older than the last change, and it
    expires anyway after LIVE_CACHE_SECONDS for what time alone changes (overdue tasks).
    """
    key = f"crises:live:{crisis.pk}:{crisis.revision}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("crises/_live.html", {"crisis": crisis, **dashboard(crisis)})
        cache.set(key, html, LIVE_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 — our own template's output
