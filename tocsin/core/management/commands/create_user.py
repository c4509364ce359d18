"""Create a user (or reuse an existing one) and give them a role in a CPTS."""

import sys

from django.core.management.base import BaseCommand, CommandError

from tocsin.core.enums import AuthorityBody, Role
from tocsin.core.errors import DomainError
from tocsin.core.models import Cpts, User
from tocsin.core.services import add_member, create_user


class Command(BaseCommand):
    help = "Crée un compte et lui donne un rôle dans une CPTS. Le mot de passe est lu sur stdin."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="Prénom et nom")
        parser.add_argument("--cpts", help="Identifiant court de la CPTS")
        parser.add_argument("--role", choices=Role.values)
        parser.add_argument("--deputy", action="store_true", help="Suppléant du référent SSE")
        parser.add_argument("--authority-body", choices=AuthorityBody.values, default="")
        parser.add_argument(
            "--password-stdin", action="store_true", help="Lire le mot de passe sur stdin"
        )

    def handle(self, *args, **options):
        password = sys.stdin.readline().rstrip("\n") if options["password_stdin"] else None
        try:
            user = User.objects.filter(email=options["email"].lower()).first()
            if user is None:
                user = create_user(
                    None, email=options["email"], full_name=options["name"], password=password
                )
            if options["cpts"]:
                cpts = Cpts.objects.filter(slug=options["cpts"]).first()
                if cpts is None:
                    raise CommandError(f"Aucune CPTS n'a l'identifiant « {options['cpts']} ».")
                if not options["role"]:
                    raise CommandError("Indiquez le rôle avec --role.")
                add_member(
                    None,
                    cpts,
                    user,
                    options["role"],
                    is_deputy=options["deputy"],
                    authority_body=options["authority_body"],
                )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"Compte prêt : {user.email}"))
