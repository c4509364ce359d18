"""Load the demo CPTS (idempotent) and print the demo logins."""

from django.core.management.base import BaseCommand

from tocsin.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Charge la CPTS de démonstration (sans effet si elle existe déjà)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sans-exercice", action="store_true",
            help="Sans le plan validé ni l'exercice canicule en cours.",
        )  # fmt: skip

    def handle(self, *args, **options):
        result = load_demo(exercise=not options["sans_exercice"])
        cpts = result["cpts"]
        self.stdout.write(self.style.SUCCESS(f"Démonstration prête : {cpts}"))
        if not options["sans_exercice"]:
            self.stdout.write("Un exercice canicule est en cours : menu « Crises ».")
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for email, role in result["logins"]:
            self.stdout.write(f"  {email:<40} {role}")
        self.stdout.write(
            "Les rôles de crise activent la double authentification à la première connexion "
            "(QR code à scanner) ; sans téléphone : python manage.py demo_totp ADRESSE"
        )
