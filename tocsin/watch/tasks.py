"""Background tasks of the watch: one feed reading per task, run by the db_worker."""

import logging

from django_tasks import task

from tocsin.watch import services
from tocsin.watch.models import Feed

logger = logging.getLogger(__name__)


@task()
def poll_feed_task(feed_id: int) -> None:
    """Read a feed if it is still due (the poller may have queued it twice). Never raises."""
    try:
        feed = Feed.objects.select_related("cpts").filter(pk=feed_id).first()
        if feed is not None and feed.is_due():
            services.poll_feed(feed)
    except Exception:
        logger.exception("Watch feed %s: the polling task failed", feed_id)
