"""Queue a reading of every due watch feed; with --loop, again every N seconds, forever."""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from tocsin.watch.services import due_feeds
from tocsin.watch.tasks import poll_feed_task

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Met en file la lecture des flux de veille arrivés à échéance (--loop : en continu)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", type=int, metavar="SECONDES", help="recommencer toutes les N secondes"
        )

    def handle(self, *args, loop=None, **options):
        if not loop:
            self.stdout.write(f"{self.queue_due_feeds()} flux mis en file.")
            return
        while True:
            close_old_connections()
            try:
                self.queue_due_feeds()
            except Exception:  # a database hiccup must not stop the watch
                logger.exception("poll_watch: pass failed")
            time.sleep(loop)

    def queue_due_feeds(self) -> int:
        feeds = due_feeds()
        for feed in feeds:
            poll_feed_task.enqueue(feed.pk)
        return len(feeds)
