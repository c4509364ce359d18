"""Add communes, by INSEE code, to the territory of a CPTS."""

from django.core.management.base import BaseCommand, CommandError

from tocsin.core.errors import DomainError
from tocsin.core.models import Cpts
from tocsin.territory.services import add_communes, parse_insee_codes


class Command(BaseCommand):
    help = (
        "Ajoute des communes au territoire d'une CPTS. Exemple : add_communes littoral 44131 44154"
    )

    def add_arguments(self, parser):
        parser.add_argument("cpts", help="Identifiant court de la CPTS")
        parser.add_argument("codes", nargs="+", help="Codes INSEE")

    def handle(self, *args, **options):
        cpts = Cpts.objects.filter(slug=options["cpts"]).first()
        if cpts is None:
            raise CommandError(f"Aucune CPTS n'a l'identifiant « {options['cpts']} ».")
        try:
            added = add_communes(None, cpts, parse_insee_codes(" ".join(options["codes"])))
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"{len(added)} commune(s) ajoutée(s) à {cpts}."))
