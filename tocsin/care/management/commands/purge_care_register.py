"""Daily: remove from the register the patients nobody verified in time (with their proofs)."""

from django.core.management.base import BaseCommand

from tocsin.care.services import purge_unverified


class Command(BaseCommand):
    help = "Supprime les patients du registre non vérifiés depuis trop longtemps (quotidien)."

    def handle(self, *args, **options):
        count = purge_unverified()
        self.stdout.write(f"{count} patient(s) retiré(s) du registre faute de vérification.")
