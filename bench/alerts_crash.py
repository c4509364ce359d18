"""Crash safety of the alert worker, as `make bench` runs it: kill -9 during a campaign.

A throw-away database holds a group of 2,000 contacts who accept alerts by e-mail; an SMTP
server (aiosmtpd, a process of its own) on loopback logs the X-Tocsin-Delivery header of each
message it accepts: the delivery's idempotency key, one per message to send.

The campaign is sent and the worker runs as in production (`manage.py run_alerts --loop`), with
a 3-second lease so that the rows of a killed worker are soon claimed again, and 100 e-mails a
second so that the campaign lasts long enough. Five times, once the worker is sending, it is
killed with SIGKILL at a random moment (a random delay after its first message; `--seed`
replays the same delays) and started again at once. At the end, every key must have reached the
server (0 lost), and a message may have gone out twice only once per kill at most: the one in
flight, sent but not yet recorded. (At 100 a second the worker mostly waits between messages,
so a kill rarely lands in that window; at `--rate 0` duplicates do show up, one per unlucky
kill.)
Exits with an error on FAIL.

Run alone: .venv/bin/python bench/alerts_crash.py [--count 2000] [--kills 5] [--seed N]
"""

import argparse
import random
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._django_env import start  # noqa: E402

WORK = start("tocsin-bench-crash-")


from django.core.management import call_command  # noqa: E402

from bench._alerts_campaign import Worker, draft_campaign, seed_audience  # noqa: E402
from bench._smtp_sink import Sink  # noqa: E402
from tocsin.alerts import services  # noqa: E402
from tocsin.alerts.enums import DeliveryState  # noqa: E402
from tocsin.alerts.models import Delivery  # noqa: E402

LEASE_SECONDS = 3
UNFINISHED = (DeliveryState.QUEUED, DeliveryState.SENDING)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="destinataires (2000)")
    parser.add_argument("--kills", type=int, default=5, help="arrêts brutaux du worker (5)")
    parser.add_argument("--seed", type=int, default=None, help="graine des instants d'arrêt")
    parser.add_argument(
        "--rate", type=int, default=100, help="e-mails par seconde (100 ; 0 : sans limite)"
    )
    parser.add_argument("--timeout", type=float, default=300, help="attente maximale (s)")
    return parser.parse_args()


def kill_repeatedly(worker, sink, kills, rng, deadline) -> list[float]:
    """Kill the worker `kills` times while it sends; returns when (seconds after the send)."""
    start, moments = time.monotonic(), []
    for _ in range(kills):
        # A kill before the worker sends anything would test nothing: wait for its first message.
        if not sink.wait_for(len(sink.poll()) + 1, deadline - time.monotonic()):
            break
        time.sleep(rng.uniform(0, 2.0))
        if not Delivery.objects.filter(state__in=UNFINISHED).exists():
            break  # the campaign is over: a kill now would not be « during » it
        worker.kill()
        moments.append(time.monotonic() - start)
        worker.start()
    return moments


def wait_until_finished(deadline) -> bool:
    """Every delivery has an outcome: whatever a killed worker left has been sent again."""
    while Delivery.objects.filter(state__in=UNFINISHED).exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def report(args, seed, moments, expected, arrivals, finished) -> bool:
    received = Counter(key for _, _, key in arrivals if key in expected)
    distinct, total = len(received), sum(received.values())
    lost, duplicates = len(expected) - distinct, total - distinct
    states = Counter(Delivery.objects.values_list("state", flat=True))
    reclaimed = Delivery.objects.filter(attempts__gt=1).count()
    print(f"{len(expected):,} e-mails, worker à {args.rate} msg/s, bail de {LEASE_SECONDS} s, "
          f"graine {seed}")  # fmt: skip
    when = ", ".join(f"{moment:.1f}" for moment in moments)
    print(f"arrêts kill -9 : {len(moments)} (à {when} s après l'envoi), redémarré chaque fois")
    print(f"reçus par le serveur : {total:,} messages, {distinct:,} clés distinctes")
    print(f"perdus : {lost}   doublons : {duplicates} (au plus {len(moments)})")
    for key, count in received.most_common(10):
        if count > 1:
            print(f"  reçu {count} fois : {key}")
    print("envois en base : " + ", ".join(f"{s} {n}" for s, n in sorted(states.items())) +
          f" ; repris après un arrêt : {reclaimed}")  # fmt: skip
    problems = []
    if len(moments) < args.kills:
        problems.append(f"{len(moments)} arrêts seulement pendant la campagne (baisser --rate)")
    if not finished:
        problems.append("des envois restent en attente à l'échéance")
    if lost or duplicates > len(moments):
        problems.append("messages perdus ou doublons au-delà d'un par arrêt")
    verdict = "PASS" if not problems else "FAIL : " + " ; ".join(problems)
    print(f"{verdict} (cible : 0 perdu, doublons ≤ arrêts, idéalement 0)")
    return not problems


def main() -> bool:
    args = parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    rng = random.Random(seed)
    call_command("migrate", verbosity=0)
    coordinator, cpts, group = seed_audience(args.count)
    campaign = draft_campaign(coordinator, cpts, group)

    sink = Sink(WORK / "smtp.log")
    worker = Worker(
        sink.port, WORK / "worker.log", "--idle", "0.2",
        TOCSIN_ALERTS_CLAIM_LEASE_SECONDS=str(LEASE_SECONDS),
        TOCSIN_ALERTS_EMAIL_RATE=str(args.rate),
    )  # fmt: skip
    try:
        worker.start()
        services.send_campaign(coordinator, campaign)
        deadline = time.monotonic() + args.timeout
        moments = kill_repeatedly(worker, sink, args.kills, rng, deadline)
        finished = wait_until_finished(deadline)
        arrivals = sink.poll()
    finally:
        worker.stop()
        sink.stop()
    expected = set(campaign.deliveries.values_list("idempotency_key", flat=True))
    passed = report(args, seed, moments, expected, arrivals, finished)
    if not passed:
        print("fin du journal du worker :\n" + worker.log_path.read_text()[-3000:])
    return passed


if __name__ == "__main__":
    try:
        passed = main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(0 if passed else 1)
