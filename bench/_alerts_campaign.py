"""What the alert benchmarks share: an audience of consenting contacts, a campaign for them, and
the alert worker (`manage.py run_alerts`) as a process, as production runs it.

Import after `django.setup()`.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

from bench._smtp_sink import die_with_us
from tocsin.alerts import services
from tocsin.core.enums import Role
from tocsin.core.models import Cpts, Membership, User
from tocsin.directory.models import Contact, Group

ROOT = Path(__file__).resolve().parent.parent
TITLE = "Canicule : renforts demandés dans les EHPAD du littoral"
BODY = (
    "La préfecture a déclenché le niveau 3 du plan canicule pour le département. Plusieurs "
    "EHPAD du littoral signalent des résidents déshydratés et manquent d'infirmiers pour les "
    "tournées de nuit. Nous cherchons des volontaires pour des vacations de 4 heures entre "
    "20 h et 8 h, de ce soir à dimanche.\n\n"
    "Indiquez votre disponibilité par le lien ci-dessous ; la cellule de crise vous rappelle "
    "dans l'heure pour vous affecter à un établissement. Merci de votre aide."
)


def seed_audience(count: int) -> tuple[User, Cpts, Group]:
    """A CPTS, its coordinator and a group of `count` contacts who accept alerts by e-mail."""
    cpts = Cpts.objects.create(name="CPTS banc d'essai alertes", slug="banc-alertes")
    coordinator = User.objects.create_user("coordination@banc.test", None, full_name="Cora Ordo")
    Membership.objects.create(cpts=cpts, user=coordinator, role=Role.COORDINATOR)
    first = ["Camille", "Lou", "Yann", "Maëlle", "Erwan", "Anaïs", "Gaël", "Solenn", "Noé", "Inès"]
    last = ["Le Guen", "Quéméner", "Abgrall", "Kerbrat", "Prigent", "Hamon", "Riou", "Salaün"]
    Contact.objects.bulk_create(
        (
            Contact(
                cpts=cpts, last_name=f"{last[i % len(last)]}{i}", first_name=first[i % len(first)],
                profession_label="Infirmier" if i % 3 else "Pharmacien",
                email=f"contact{i}@banc.test", consents_to_alerts=True,
            )
            for i in range(count)
        ),
        batch_size=1000,
    )  # fmt: skip
    group = Group.objects.create(cpts=cpts, name="Infirmiers et pharmaciens")
    Group.members.through.objects.bulk_create(
        (Group.members.through(group=group, contact_id=pk)
         for pk in Contact.objects.filter(cpts=cpts).values_list("pk", flat=True)),
        batch_size=1000,
    )  # fmt: skip
    return coordinator, cpts, group


def draft_campaign(coordinator, cpts, group):
    return services.save_draft(
        coordinator, cpts, None, criteria={"groups": [group.pk]}, title=TITLE, body=BODY
    )


class Worker:
    """`manage.py run_alerts --loop` in its own process group, as `scripts/serve.sh` starts it."""

    def __init__(self, smtp_port: int, log_path: Path, *args: str, python_args=(), **env: str):
        self.env = {k: v for k, v in os.environ.items() if k != "TASKS_BACKEND"}  # production
        self.env.update(EMAIL_MODE="smtp", EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp_port))
        self.env.update(env)
        self.command = [sys.executable, *python_args, str(ROOT / "manage.py"), "run_alerts",
                        "--loop", *args]  # fmt: skip
        self.log_path = log_path
        self.process = None
        self.started = 0

    def start(self) -> None:
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(  # noqa: S603 — our own command line
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, preexec_fn=die_with_us,
            )  # fmt: skip
        self.started += 1

    def kill(self) -> None:
        """kill -9, as a power cut or the OOM killer would."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """SIGTERM: the worker ends after its current pass."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
