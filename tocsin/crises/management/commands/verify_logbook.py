"""Check the hash chain of every main courante (or of one crisis); exit 1 if one is broken."""

from django.core.management.base import BaseCommand, CommandError

from tocsin.crises import logbook
from tocsin.crises.models import Crisis


class Command(BaseCommand):
    help = "Vérifie l'intégrité (chaînage des empreintes) des mains courantes."

    def add_arguments(self, parser):
        parser.add_argument("--crisis", type=int, help="numéro (identifiant) d'une seule crise")

    def handle(self, *args, crisis=None, **options):
        crises = Crisis.objects.select_related("cpts").order_by("pk")
        if crisis is not None:
            crises = crises.filter(pk=crisis)
            if not crises.exists():
                raise CommandError(f"Aucune crise n° {crisis}.")
        broken = 0
        for item in crises:
            result = logbook.verify(item)
            line = f"[{item.cpts.slug}] crise {item.pk} « {item} » : {result.sentence}"
            self.stdout.write(self.style.SUCCESS(line) if result.ok else self.style.ERROR(line))
            broken += not result.ok
        if broken:
            raise CommandError(f"{broken} main(s) courante(s) altérée(s).")
