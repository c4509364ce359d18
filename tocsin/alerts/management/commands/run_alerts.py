"""The alert worker: escalate what waits for an answer, then send whatever is due.

`manage.py run_alerts` sends what is due and stops; `--loop` keeps going (started by
`make run`). Several workers may run at once: they never claim the same delivery.
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from tocsin.alerts import engine, escalation

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Envoie les alertes en attente et gère les relances (--loop pour tourner en continu)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="tourner en continu")
        parser.add_argument("--idle", type=float, default=1.0, help="pause sans travail (s)")
        parser.add_argument("--escalate-every", type=float, default=15.0,
                            help="intervalle des relances (s)")  # fmt: skip

    def handle(self, *args, loop=False, idle=1.0, escalate_every=15.0, **options):
        self.stopping = False
        signal.signal(signal.SIGTERM, self.stop)
        worker = engine.worker_name()
        pace = engine.Pace()
        last_escalation = 0.0
        while True:
            close_old_connections()
            try:
                if time.monotonic() - last_escalation >= escalate_every:
                    escalation.tick()
                    last_escalation = time.monotonic()
                handled = engine.drain(worker, pace=pace)
            except Exception:  # a database hiccup must not end the worker; it retries
                log.exception("Alert worker iteration failed")
                handled = 0
            if not loop or self.stopping:
                return
            if not handled:
                time.sleep(idle)

    def stop(self, *args):
        self.stopping = True
