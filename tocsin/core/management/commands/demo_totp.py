"""Print the current TOTP code of a demo account, for trying Tocsin without a phone."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tocsin.core.demo import DEMO_DOMAIN


class Command(BaseCommand):
    help = "Affiche le code de double authentification actuel d'un compte de démonstration."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, **options):
        email = options["email"].lower()
        if not email.endswith(f"@{DEMO_DOMAIN}"):
            raise CommandError("Réservé aux comptes de démonstration.")
        device = TOTPDevice.objects.filter(user__email=email).order_by("-confirmed").first()
        if device is None:
            raise CommandError(
                "Ce compte n'a pas encore ouvert la page de double authentification."
            )
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
