"""Fire the injects whose time has come in the exercises played on schedule.

`--loop N` keeps going, every N seconds (started by scripts/serve.sh); a failure in one tick is
logged and the next tick runs.
"""

import logging
import time

from django.core.management.base import BaseCommand

from tocsin.exercises.services import fire_due_injects

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Déclenche les injects arrivés à l'heure dans les exercices joués à l'heure prévue."

    def add_arguments(self, parser):
        every = "Recommencer toutes les N secondes (0 : une seule fois)."
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDES", help=every)

    def handle(self, *args, loop, **options):
        while True:
            try:
                fired = fire_due_injects()
            except Exception:  # a bad tick must not stop the exercises that follow
                logger.exception("Échec du déclenchement des injects")
                fired = 0
            if fired or not loop:
                self.stdout.write(f"{fired} inject(s) déclenché(s).")
            if not loop:
                return
            time.sleep(loop)
