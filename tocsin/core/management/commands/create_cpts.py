"""Create a CPTS (tenant), optionally with the INSEE codes of its communes."""

from django.core.management.base import BaseCommand, CommandError

from tocsin.core.errors import DomainError
from tocsin.core.services import create_cpts
from tocsin.territory.services import add_communes, parse_insee_codes


class Command(BaseCommand):
    help = "Crée une CPTS. Exemple : create_cpts --name 'CPTS du Littoral' --slug littoral"

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Nom de la CPTS")
        parser.add_argument("--slug", required=True, help="Identifiant court (lettres, tirets)")
        parser.add_argument("--email", default="")
        parser.add_argument("--communes", default="", help="Codes INSEE séparés par des virgules")

    def handle(self, *args, **options):
        try:
            codes = parse_insee_codes(options["communes"]) if options["communes"] else []
            cpts = create_cpts(
                None, name=options["name"], slug=options["slug"], email=options["email"]
            )
            if codes:
                add_communes(None, cpts, codes)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"CPTS créée : {cpts} ({cpts.slug})"))
