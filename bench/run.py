"""Benchmarks of the key pages, printed as ratios against a baseline measured in the same run.

The baseline is the login page (a template with no query of CPTS data). Each key page is
timed with the demo CPTS (300 members) and again with ten times as many members and audit
entries: a ratio that stays flat means the page does not grow with the data.
Run with `make bench`.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    TOCSIN_DATA_DIR=tempfile.mkdtemp(prefix="tocsin-bench-"),
    TASKS_BACKEND="immediate",
    ALLOWED_HOSTS="testserver",
)

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.conftest import login  # noqa: E402
from tocsin.core.audit import log_action  # noqa: E402
from tocsin.core.demo import DEMO_DOMAIN, DEMO_SLUG, load_demo  # noqa: E402
from tocsin.core.enums import Role  # noqa: E402
from tocsin.core.models import Cpts, Membership, User  # noqa: E402

PAGES = {"tableau de bord": "/", "membres": "/membres/", "journal": "/journal/",
         "territoire": "/territoire/"}  # fmt: skip
RUNS = 40


def median_ms(client, url) -> float:
    client.get(url)  # warm caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000


def grow(cpts, factor):
    """Multiply members and audit entries of the CPTS."""
    users = [
        User(email=f"bench{i}@{DEMO_DOMAIN}", full_name=f"Bench {i}", password=make_password(None))
        for i in range(300 * (factor - 1))
    ]
    User.objects.bulk_create(users)
    new = User.objects.filter(email__startswith="bench")
    Membership.objects.bulk_create(Membership(cpts=cpts, user=u, role=Role.MEMBER) for u in new)
    for _ in range(300 * (factor - 1)):
        log_action(None, cpts, "core.cpts.updated", cpts)


def measure(label, client, baseline):
    for name, url in PAGES.items():
        ms = median_ms(client, url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        ratio = ms / baseline
        print(f"{label:<15} {name:<16} {ms:7.2f} ms  ×{ratio:5.2f}  {len(queries):2d} requêtes")


def main():
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages as in production
    load_demo()
    cpts = Cpts.objects.get(slug=DEMO_SLUG)
    coordinator = User.objects.get(email=f"coordination@{DEMO_DOMAIN}")
    client = login(Client(), coordinator)
    baseline = median_ms(Client(), "/connexion/")
    print(f"référence : page de connexion {baseline:.2f} ms (médiane de {RUNS})")
    measure("300 membres", client, baseline)
    grow(cpts, 10)
    measure("3 000 membres", client, baseline)


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(os.environ["TOCSIN_DATA_DIR"], ignore_errors=True)
