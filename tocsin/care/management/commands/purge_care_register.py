"""Daily: remind the professionals of the patients to verify, and remove from the register the
patients nobody verified in time (each with its proof of deletion)."""

from django.core.management.base import BaseCommand

from tocsin.care.services import purge_unverified, remind_unverified


class Command(BaseCommand):
    help = "Rappelle les patients à vérifier et retire ceux non vérifiés à temps (quotidien)."

    def handle(self, *args, **options):
        told = remind_unverified()
        self.stdout.write(f"{told} professionnel(s) prévenu(s) de patients à vérifier.")
        count = purge_unverified()
        self.stdout.write(f"{count} patient(s) retiré(s) du registre faute de vérification.")
