"""Restore a backup written by the backup command; replaces all current data."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tocsin.core.backup import restore_backup
from tocsin.core.errors import DomainError


class Command(BaseCommand):
    help = "Restaure une sauvegarde : TOUTES les données actuelles sont remplacées."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="Ne pas demander de confirmation")

    def handle(self, *args, **options):
        if not options["yes"]:
            answer = input("Toutes les données actuelles seront remplacées. Continuer ? [oui/non] ")
            if answer.strip().lower() not in {"oui", "o", "yes", "y"}:
                raise CommandError("Restauration annulée.")
        try:
            manifest = restore_backup(Path(options["path"]))
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde du {manifest['created_at']} restaurée."))
