"""Two alert workers and a slow provider, as `make bench` runs it: nothing sent twice.

Several workers may run at once (`run_alerts --loop` on two machines, say). Each claims a batch
with a lease; if a batch took longer than its lease (a provider timing out on message after
message), the other worker could claim the same rows and send them too. Here two workers share
a 400-recipient campaign with a 3-second lease while each may send only 10 e-mails a second, so
a 50-message batch would take 5 s — longer than the lease. A worker must give back what it has
not sent once half its lease is spent. Every key must reach the SMTP server exactly once.
Exits with an error on FAIL.

Run alone: .venv/bin/python bench/alerts_two_workers.py [--count 400]
"""

import argparse
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._django_env import start  # noqa: E402

WORK = start("tocsin-bench-workers-")


from django.core.management import call_command  # noqa: E402

from bench._alerts_campaign import Worker, draft_campaign, seed_audience  # noqa: E402
from bench._smtp_sink import Sink  # noqa: E402
from tocsin.alerts import services  # noqa: E402
from tocsin.alerts.enums import DeliveryState  # noqa: E402
from tocsin.alerts.models import Delivery  # noqa: E402

UNFINISHED = (DeliveryState.QUEUED, DeliveryState.SENDING)


def main() -> bool:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=400, help="destinataires (400)")
    parser.add_argument("--timeout", type=float, default=300, help="attente maximale (s)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    coordinator, cpts, group = seed_audience(args.count)
    campaign = draft_campaign(coordinator, cpts, group)
    sink = Sink(WORK / "smtp.log")
    slow = {"TOCSIN_ALERTS_CLAIM_LEASE_SECONDS": "3", "TOCSIN_ALERTS_EMAIL_RATE": "10"}
    workers = [Worker(sink.port, WORK / f"worker{n}.log", "--idle", "0.2", **slow)
               for n in (1, 2)]  # fmt: skip
    started = time.monotonic()
    try:
        for worker in workers:
            worker.start()
        services.send_campaign(coordinator, campaign)
        deadline = started + args.timeout
        while Delivery.objects.filter(state__in=UNFINISHED).exists():
            if time.monotonic() > deadline:
                break
            time.sleep(0.3)
        time.sleep(1)  # the last message's arrival is logged just after its outcome
        arrivals = sink.poll()
    finally:
        for worker in workers:
            worker.stop()
        sink.stop()
    expected = set(campaign.deliveries.values_list("idempotency_key", flat=True))
    received = Counter(key for _, _, key in arrivals if key in expected)
    lost = len(expected - set(received))
    duplicates = sum(received.values()) - len(received)
    states = Counter(Delivery.objects.values_list("state", flat=True))
    print(f"{len(expected):,} e-mails, 2 workers à 10 msg/s chacun, bail de 3 s : "
          f"{time.monotonic() - started:.1f} s")  # fmt: skip
    print(f"perdus : {lost}   doublons : {duplicates}   états : {dict(states)}")
    passed = lost == 0 and duplicates == 0 and set(states) == {DeliveryState.SENT}
    print("PASS (cible : 0 perdu, 0 doublon)" if passed else "FAIL")
    return passed


if __name__ == "__main__":
    try:
        passed = main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(0 if passed else 1)
