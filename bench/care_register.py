"""The continuity-of-care register as it grows, as `make bench` runs it.

Every identifying field is decrypted on each read (Fernet), so the pages that list patients
cost something per row: this bench shows how much. The demo exercise is in progress; the
référent follows 200, then 2,000 patients, all in exposed communes. At each size: their own
list, the crisis list of exposed patients (a reason given), its printable PDF, a call
campaign started over all of them among 10 callers (one service call), one caller's share and
the campaign board; each as a ratio to the login page measured in the same run, with its
number of queries (which must not grow).
Run alone: .venv/bin/python bench/care_register.py
"""

import datetime
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import _measure as measure  # noqa: E402
from bench._django_env import start  # noqa: E402

WORK = start("tocsin-bench-care-", ALLOWED_HOSTS="testserver")

import logging  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.conftest import login  # noqa: E402
from tocsin.care import services  # noqa: E402
from tocsin.care.models import Patient  # noqa: E402
from tocsin.core.demo import DEMO_DOMAIN, load_demo  # noqa: E402
from tocsin.core.models import Membership, User  # noqa: E402
from tocsin.crises.models import Crisis  # noqa: E402
from tocsin.territory.selectors import territory_communes  # noqa: E402

RUNS = 9
SIZES = (200, 2_000)
NEEDS = (["oxygen"], ["isolated_elderly"], ["cold_chain", "home_care"], ["dialysis"])


def median_ms(action, runs=RUNS) -> float:
    return measure.median_ms(action, runs)


def add_patients(cpts, contact, count):
    communes = list(territory_communes(cpts))
    today = timezone.localdate()
    first = Patient.objects.for_cpts(cpts).count()
    for index in range(first, first + count):
        patient = Patient.objects.create(
            cpts=cpts, last_name=f"Patient{index}", first_name="Yvonne",
            birth_date=datetime.date(1940, 1 + index % 12, 1 + index % 28),
            address=f"{index} rue des Salines", commune=communes[index % len(communes)],
            phone=f"+336123{index:05d}", needs=NEEDS[index % len(NEEDS)],
            emergency_contact="Sa fille, 06 12 34 56 78", legal_basis="care",
            basis_recorded_on=today, verified_on=today,
        )  # fmt: skip
        patient.professionals.add(contact)


def main():
    logging.getLogger("django_tasks").setLevel(logging.WARNING)  # one line per e-mail otherwise
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    cpts = load_demo(exercise=True)["cpts"]
    referent = User.objects.get(email=f"referent@{DEMO_DOMAIN}")
    contact = Membership.objects.get(cpts=cpts, user=referent).contact
    Patient.objects.for_cpts(cpts).delete()
    crisis = Crisis.objects.get(cpts=cpts)
    callers = [m.user for m in Membership.objects.for_cpts(cpts).filter(role="member")[:9]]
    callers.append(referent)
    client = login(Client(), referent)
    client.post(f"/soins/crises/{crisis.pk}/motif/", {"reason": "calls"})
    baseline = median_ms(measure.get(Client(), "/connexion/"))
    print(f"référence : page de connexion {baseline:.2f} ms (médiane de {RUNS})")
    for size in SIZES:
        add_patients(cpts, contact, size - Patient.objects.for_cpts(cpts).count())
        began = time.perf_counter()
        campaign = services.start_call_campaign(referent, crisis, title=f"Appels {size}",
                                                needs=[], callers=callers)  # fmt: skip
        start_ms = (time.perf_counter() - began) * 1000
        pages = {
            "mes patients": "/soins/",
            "patients exposés": f"/soins/crises/{crisis.pk}/",
            "liste PDF": f"/soins/crises/{crisis.pk}/patients.pdf",
            "part d'un appelant": f"/soins/appels/{campaign.pk}/mes-appels/",
            "tableau des appels": f"/soins/appels/{campaign.pk}/",
        }
        label = f"{size:,} patients".replace(",", "\u202f")
        for name, url in pages.items():
            ms = median_ms(measure.get(client, url), runs=3 if "PDF" in name else RUNS)
            with CaptureQueriesContext(connection) as queries:
                measure.get(client, url)()
            print(f"{label:<16} {name:<20} {ms:9.2f} ms  ×{ms / baseline:7.1f}  "
                  f"{len(queries):2d} requêtes")  # fmt: skip
        print(f"{label:<16} {'lancer la campagne':<20} {start_ms:9.2f} ms  "
              f"×{start_ms / baseline:7.1f}")  # fmt: skip
        services.close_call_campaign(referent, campaign)


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
