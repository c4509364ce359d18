"""What the crisis pages read, in a fixed number of queries whatever the size of the log."""

from django.core.cache import cache
from django.db.models import Count, Q

from tocsin.crises import logbook
from tocsin.crises.enums import OPEN_TASK_STATUSES, TaskStatus
from tocsin.crises.models import Crisis

TIMELINE_LENGTH = 12
BOARD_LIMIT = 200  # tasks per column on the board; beyond, the list view pages them
INTEGRITY_CACHE_SECONDS = 300


def crisis_for_page(cpts, pk) -> Crisis:
    return Crisis.objects.select_related("risk", "signal", "plan_version").get(cpts=cpts, pk=pk)


def task_counts(crisis) -> dict:
    counts = crisis.tasks.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in TaskStatus.values},
        total=Count("pk"),
    )
    return counts


def integrity(crisis, *, fresh=False) -> logbook.Verification:
    """The chain check, kept a few minutes: it reads the whole log, the badge must not."""
    key = f"crises:integrity:{crisis.pk}:{crisis.log_head}"  # a new entry, a new check
    if fresh:
        result = logbook.verify(crisis)
        cache.set(key, result, INTEGRITY_CACHE_SECONDS)
        return result
    return cache.get_or_set(key, lambda: logbook.verify(crisis), INTEGRITY_CACHE_SECONDS)


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
    }
