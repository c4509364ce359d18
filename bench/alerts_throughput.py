"""E-mail alert throughput, as `make bench` runs it: 5,000 recipients to a local SMTP server.

A throw-away database holds a CPTS and a group of 5,000 contacts who accept alerts by e-mail. An
SMTP server (aiosmtpd, in a process of its own so that it does not share a GIL with the sender)
listens on loopback and logs the arrival of each message.

1. Baseline: a bare `smtplib` loop sends 5,000 messages of the same size (the composer's own
   text and HTML, built beforehand) over one connection: the SMTP conversation alone.
2. Tocsin: the alert worker runs as in production (`manage.py run_alerts --loop`, a process of
   its own, warmed up by a one-recipient alert); the campaign is sent (`services.send_campaign`,
   which freezes the audience and queues one delivery each) and the worker sends it all, with
   every state change recorded (claim, lease, outcome per message).
Both are timed from the start to the arrival of the last message at the server; the figure is
Tocsin's rate as a share of the baseline's (target ≥ ×0.5). The baseline runs before and after
Tocsin and the two are averaged: on a shared host, speed drifts, and two baselines far apart
say so. The CPU the rest of the machine took meanwhile is shown too (it spoils the figures).
Every delivery must end « sent », each message received once: otherwise the script exits with an
error (a ratio under target is printed as FAIL but, a measure rather than a defect, does not
stop `make bench`).
The worker polls every 0.1 s when idle (1 s in production): the pick-up delay is shown apart.

Run alone: .venv/bin/python bench/alerts_throughput.py [--count 5000] [--postgres] [--profile]
"""

import argparse
import contextlib
import os
import pstats
import shutil
import smtplib
import statistics
import sys
import time
from collections import Counter
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000, help="destinataires (5000)")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="sur une base PostgreSQL neuve (127.0.0.1:5432, utilisateur postgres)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profiler le worker (cProfile) et afficher où passe son temps",
    )
    return parser.parse_args()


ARGS = parse_args()  # before Django starts: --postgres chooses the database
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_NAME = f"tocsin_bench_alerts_{os.getpid()}"
if ARGS.postgres:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{PG_NAME}"')
    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{PG_NAME}"

from bench._django_env import start  # noqa: E402

WORK = start("tocsin-bench-alerts-")

import psutil  # noqa: E402 — comes with locust (requirements-dev.txt)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench._alerts_campaign import Worker, draft_campaign, seed_audience  # noqa: E402
from bench._smtp_sink import Sink  # noqa: E402
from tocsin.alerts import services  # noqa: E402
from tocsin.alerts.composer import Composer  # noqa: E402
from tocsin.alerts.enums import DeliveryState  # noqa: E402
from tocsin.alerts.models import Delivery, Recipient  # noqa: E402
from tocsin.directory.models import Contact, Group  # noqa: E402

TARGET_RATIO = 0.5
OTHERS_LIMIT = 0.1  # share of one core the rest of the machine may use without spoiling figures
DRIFT_LIMIT = 0.15  # how far apart the two reference runs may be
TIMEOUT = 600  # seconds for either run to reach its last message


def baseline_messages(campaign, count) -> list[EmailMessage]:
    """What the composer writes for each recipient, as plain `email` messages."""
    composer = Composer()
    messages = []
    for i in range(count):
        recipient = Recipient(pk=1_000_000 + i, campaign=campaign)  # a link of realistic length
        delivery = Delivery(
            campaign=campaign, recipient=recipient, channel="email", reason="initial",
            address=f"contact{i}@banc.test", idempotency_key=f"reference:{i}",
        )  # fmt: skip
        outgoing = composer.compose(delivery)
        message = EmailMessage()
        message["Subject"] = outgoing.subject
        message["From"] = settings.DEFAULT_FROM_EMAIL
        message["To"] = outgoing.to
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = make_msgid(domain="tocsin")
        message["X-Tocsin-Delivery"] = outgoing.key
        message.set_content(outgoing.text, cte="8bit")  # as Django encodes them
        message.add_alternative(outgoing.html, subtype="html", cte="8bit")
        messages.append(message)
    return messages


def run_baseline(sink, messages) -> dict:
    before = len(sink.poll())
    start = time.monotonic()
    with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
        for message in messages:
            smtp.send_message(message)
    assert sink.wait_for(before + len(messages), TIMEOUT), "le serveur n'a pas tout reçu"
    arrivals = sink.arrivals[before:]
    return {"seconds": arrivals[-1][0] - start, "bytes": mean_size(arrivals)}


def warm_up(coordinator, cpts, sink) -> None:
    """A one-recipient alert: the worker is up, its templates and SMTP code loaded."""
    contact = Contact.objects.create(
        cpts=cpts, last_name="Astreinte", email="astreinte@banc.test", consents_to_alerts=True
    )
    group = Group.objects.create(cpts=cpts, name="Astreinte")
    group.members.add(contact)
    before = len(sink.poll())
    services.send_campaign(coordinator, draft_campaign(coordinator, cpts, group))
    assert sink.wait_for(before + 1, 120), "le worker n'a pas envoyé l'alerte d'échauffement"


def run_tocsin(coordinator, campaign, sink, count) -> dict:
    before = len(sink.poll())
    start = time.monotonic()
    totals = services.send_campaign(coordinator, campaign)
    queued = time.monotonic()
    assert totals["reachable"] == count, totals
    assert sink.wait_for(before + count, TIMEOUT), (
        f"le serveur n'a reçu que {len(sink.arrivals) - before} messages sur {count}"
    )
    arrivals = sink.arrivals[before:]
    # The last outcome is recorded just after its message is accepted.
    deliveries = Delivery.objects.filter(campaign=campaign)
    deadline = time.monotonic() + 30
    while deliveries.exclude(state=DeliveryState.SENT).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return {
        "seconds": arrivals[-1][0] - start,
        "send_campaign": queued - start,
        "pickup": arrivals[0][0] - queued,
        "sending": arrivals[-1][0] - arrivals[0][0],
        "bytes": mean_size(arrivals),
        "states": Counter(deliveries.values_list("state", flat=True)),
        "keys": len({key for _, _, key in arrivals}),
    }


def mean_size(arrivals) -> float:
    return sum(size for _, size, _ in arrivals) / len(arrivals)


def measured(sink, worker, run, *args) -> dict:
    """Runs one phase; adds the CPU its processes used and what the rest of the machine took."""
    before = cpu_snapshot(sink, worker)
    result = run(*args)
    after = cpu_snapshot(sink, worker)
    used = {name: after[name] - before[name] for name in after}
    # On a shared machine, what the others take is missing from the figures.
    used["others"] = max(0.0, (used["machine"] - used["ours"]) / result["seconds"])
    return result | {"cpu": used}


def cpu_snapshot(sink, worker) -> dict:
    """CPU seconds used so far by the whole machine, by us (this script, its children and, with
    --postgres, the database server), and by the SMTP server, the worker and the database."""
    me = psutil.Process()
    children = [child.pid for child in me.children(recursive=True)]
    database = []
    if ARGS.postgres:
        database = [p.pid for p in psutil.process_iter(["name"]) if p.info["name"] == "postgres"]
    machine = psutil.cpu_times()
    return {
        "machine": machine.user + machine.nice + machine.system,
        "ours": sum(map(cpu_seconds, [me.pid, *children, *database])),
        "sink": cpu_seconds(sink.process.pid),
        "worker": cpu_seconds(worker.process.pid) if worker.process else 0.0,
        "database": sum(map(cpu_seconds, database)),
    }


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a process; 0 once it is gone."""
    with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
        times = psutil.Process(pid).cpu_times()
        return times.user + times.system
    return 0.0


def report(count, references, tocsin) -> bool:
    """Prints the figures; returns whether every message went out once and was recorded."""
    reference = statistics.mean(run["seconds"] for run in references)
    ratio = reference / tocsin["seconds"]
    database = "PostgreSQL" if ARGS.postgres else "SQLite"
    print(f"{count:,} e-mails vers un serveur SMTP local (aiosmtpd, 127.0.0.1), base {database}")
    for label, run in zip(("avant", "après"), references, strict=True):
        print(f"{'référence smtplib, ' + label:<31} : {run['seconds']:6.2f} s  "
              f"{count / run['seconds']:5.0f} msg/s  ({run['bytes']:.0f} o/message, CPU serveur "
              f"SMTP {run['cpu']['sink']:.1f} s)")  # fmt: skip
    print(f"Tocsin (send_campaign + worker) : {tocsin['seconds']:6.2f} s  "
          f"{count / tocsin['seconds']:5.0f} msg/s  ({tocsin['bytes']:.0f} o/message)")  # fmt: skip
    print(f"  dont send_campaign {tocsin['send_campaign']:.2f} s, prise en charge par le worker "
          f"{tocsin['pickup']:.2f} s, envois {tocsin['sending']:.2f} s "
          f"({count / tocsin['sending']:.0f} msg/s)")  # fmt: skip
    cpu = tocsin["cpu"]
    print(f"  CPU : worker {cpu['worker']:.1f} s, serveur SMTP {cpu['sink']:.1f} s"
          + (f", PostgreSQL {cpu['database']:.1f} s" if ARGS.postgres else ""))  # fmt: skip
    states = ", ".join(f"{state} {n}" for state, n in sorted(tocsin["states"].items()))
    print(f"  envois en base : {states} ; clés distinctes reçues : {tocsin['keys']:,}")
    warn_if_disturbed(references, tocsin)
    complete = tocsin["states"] == Counter({DeliveryState.SENT: count}) and tocsin["keys"] == count
    verdict = "PASS" if ratio >= TARGET_RATIO and complete else "FAIL"
    print(f"ratio ×{ratio:.2f} du débit de référence (moyenne avant/après) : {verdict} "
          f"(cible ≥ ×{TARGET_RATIO}, tous les envois « sent »)")  # fmt: skip
    return complete


def warn_if_disturbed(references, tocsin) -> None:
    before, after = references
    busy = [run["cpu"]["others"] for run in (before, tocsin, after)]
    shares = " / ".join(f"{share:.0%}" for share in busy)
    print(f"  autres processus de la machine : {shares} d'un cœur (référence, Tocsin, référence)")
    if max(busy) > OTHERS_LIMIT:
        print(
            f"attention : d'autres processus ont pris plus de {OTHERS_LIMIT:.0%} d'un cœur "
            "pendant la mesure : relancez au calme"
        )
    first, last = before["seconds"], after["seconds"]
    if abs(first - last) / min(first, last) > DRIFT_LIMIT:
        print(
            f"attention : les deux références diffèrent de plus de {DRIFT_LIMIT:.0%} : "
            "la machine a changé de régime pendant la mesure, relancez"
        )


def print_profile(path: Path) -> None:
    print("\nprofil du worker (cProfile, 25 fonctions les plus coûteuses en temps cumulé) :")
    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative").print_stats(25)


def main() -> bool:
    """Returns whether every message went out once and was recorded."""
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    coordinator, cpts, group = seed_audience(ARGS.count)
    campaign = draft_campaign(coordinator, cpts, group)
    messages = baseline_messages(campaign, ARGS.count)
    print(f"préparation : {time.perf_counter() - start:.1f} s")

    sink = Sink(WORK / "smtp.log")
    profile = WORK / "worker.prof"
    python_args = ("-m", "cProfile", "-o", str(profile)) if ARGS.profile else ()
    worker = Worker(sink.port, WORK / "worker.log", "--idle", "0.1", python_args=python_args)
    try:
        # The reference runs before and after Tocsin: a machine that speeds up or slows down
        # during the measure (a shared host) shows as two different references.
        references = [measured(sink, worker, run_baseline, sink, messages)]
        worker.start()
        warm_up(coordinator, cpts, sink)
        tocsin = measured(sink, worker, run_tocsin, coordinator, campaign, sink, ARGS.count)
        worker.stop()
        references.append(measured(sink, worker, run_baseline, sink, messages))
    finally:
        worker.stop()
        sink.stop()
    complete = report(ARGS.count, references, tocsin)
    if ARGS.profile:
        print_profile(profile)
    return complete


def drop_database() -> None:
    connection.close()
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    try:
        complete = main()
    finally:
        if ARGS.postgres:
            drop_database()
        shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(0 if complete else 1)
