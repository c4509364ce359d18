"""Daily: remind each CPTS whose plan update is near or overdue (at most once a week)."""

from django.core.management.base import BaseCommand

from tocsin.core.models import Cpts
from tocsin.plans.reminders import send_reminder


class Command(BaseCommand):
    help = "Envoie les rappels de mise à jour du plan (à lancer chaque jour)."

    def handle(self, *args, **options):
        sent = [cpts.name for cpts in Cpts.objects.all() if send_reminder(cpts)]
        self.stdout.write(
            f"{len(sent)} rappel(s) envoyé(s)" + (f" : {', '.join(sent)}" if sent else ".")
        )
