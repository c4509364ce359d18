"""Write a consistent backup (database + uploaded files) while Tocsin runs."""

from pathlib import Path

from django.core.management.base import BaseCommand

from tocsin.core.backup import default_backup_path, write_backup


class Command(BaseCommand):
    help = "Sauvegarde la base de données et les fichiers dans une archive .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Fichier à écrire (par défaut data/backups/)")

    def handle(self, *args, **options):
        path = write_backup(Path(options["path"]) if options["path"] else default_backup_path())
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {path}"))
