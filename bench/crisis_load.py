"""The crisis pages under load, as `make bench` runs them.

1. Seeds a throw-away database with one crisis (an exercise in the crisis phase) holding
   20,000 main courante entries (a valid hash chain), 500 tasks (some overdue), a cell and
   5,000 directory contacts, and a référent with a verified second factor.
2. Starts the production server (gunicorn, 2 workers, DEBUG off, as scripts/serve.sh) on
   loopback and sends it 50 simulated users (locust, headless, no think time) for 60 s per
   page: the health check first — the floor: Django, the middleware and the session of a
   logged-in user, no page work — then the crisis dashboard, then the main courante.
   Throughput is printed as a ratio of the floor's. Target: dashboard ≥ ×0.5, zero errors.
   The machine has 2 cores for the server and locust together: the « CPU autres » column says
   how much other processes took meanwhile, and figures are flagged beyond 10 % of a core.
3. Times appending to the main courante at ~100 and at ~20,000 entries: the ratio stays ≈ 1.
Run alone: .venv/bin/python bench/crisis_load.py [--seconds 60] [--users 50]
"""

import argparse
import contextlib
import csv
import ctypes
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._django_env import start  # noqa: E402

WORK = start("tocsin-bench-crisis-")

import psutil  # noqa: E402 — comes with locust (requirements-dev.txt)
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from tocsin.core.enums import Role  # noqa: E402
from tocsin.core.models import Cpts, Membership, User  # noqa: E402
from tocsin.crises import logbook  # noqa: E402
from tocsin.crises.enums import EntryKind, Phase, ReportStatus, TaskStatus  # noqa: E402
from tocsin.crises.models import CellSeat, Crisis, LogEntry, SituationReport, Task  # noqa: E402
from tocsin.directory.models import Contact  # noqa: E402
from tocsin.plans.enums import CellFunction  # noqa: E402
from tocsin.territory.enums import CrisisType  # noqa: E402

VENV_BIN = ROOT / ".venv" / "bin"
LOCUSTFILE = ROOT / "bench" / "crisis_locustfile.py"
ENTRIES, TASKS, CONTACTS = 20_000, 500, 5_000
APPENDS = 200
CRISIS_TITLE = "Canicule sur le littoral (banc d'essai)"
TARGET_RATIO = 0.5
OTHERS_LIMIT = 0.1  # share of one core the rest of the machine may use without spoiling figures
processes: list[subprocess.Popen] = []  # gunicorn and locust, stopped on the way out


# --- Seeding ---


def seed() -> tuple[Crisis, User, TOTPDevice]:
    cpts = Cpts.objects.create(name="CPTS banc d'essai crise", slug="banc-crise")
    referent = User.objects.create_user("referent@banc.test", None, full_name="Anne Référente")
    Membership.objects.create(cpts=cpts, user=referent, role=Role.REFERENT)
    device = TOTPDevice.objects.create(user=referent, name="banc", confirmed=True)
    contacts = seed_contacts(cpts)
    started = timezone.now() - timedelta(days=10)
    crisis = Crisis.objects.create(
        cpts=cpts, title=CRISIS_TITLE, crisis_type=CrisisType.MANY_SICK, phase=Phase.CRISIS,
        is_exercise=True, started_at=started, created_by=referent,
    )  # fmt: skip
    functions = list(CellFunction.values)
    CellSeat.objects.bulk_create(
        CellSeat(crisis=crisis, function=functions[i % len(functions)], contact=contacts[i],
                 is_backup=i >= len(functions), joined_at=started if i < 5 else None)
        for i in range(8)
    )  # fmt: skip
    seed_tasks(crisis, contacts, referent, started)
    seed_logbook(crisis, referent, started)
    SituationReport.objects.create(
        crisis=crisis, number=1, status=ReportStatus.VALIDATED, period_start=started,
        period_end=started + timedelta(days=9), professionals_mobilised=42, created_by=referent,
        validated_at=started + timedelta(days=9), validated_by=referent,
    )  # fmt: skip
    return crisis, referent, device


def seed_contacts(cpts) -> list[Contact]:
    first = ["Camille", "Lou", "Yann", "Maëlle", "Erwan", "Anaïs", "Gaël", "Solenn", "Noé", "Inès"]
    last = ["Le Guen", "Quéméner", "Abgrall", "Kerbrat", "Prigent", "Hamon", "Riou", "Salaün"]
    contacts = [
        Contact(
            cpts=cpts,
            last_name=f"{last[i % len(last)]}{i}",
            first_name=first[i % len(first)],
            profession_label="Infirmier" if i % 3 else "Pharmacien",
            email=f"contact{i}@banc.test",
        )
        for i in range(CONTACTS)
    ]
    for contact in contacts:
        contact.search_text = contact.build_search_text(["CPTS banc d'essai"])
    Contact.objects.bulk_create(contacts, batch_size=1000)
    return list(Contact.objects.filter(cpts=cpts).order_by("pk"))


def seed_tasks(crisis, contacts, author, started) -> None:
    """A realistic board: a third done, some dropped, the open ones partly overdue."""
    now = timezone.now()
    statuses = [TaskStatus.TODO, TaskStatus.DOING, TaskStatus.DONE, TaskStatus.DONE,
                TaskStatus.TODO, TaskStatus.DROPPED]  # fmt: skip
    functions = list(CellFunction.values)
    tasks = []
    for i in range(TASKS):
        status = statuses[i % len(statuses)]
        due = None if i % 4 == 3 else now + timedelta(hours=(i % 48) - 12)  # ¼ already overdue
        tasks.append(Task(
            crisis=crisis, title=f"Appeler l'EHPAD n° {i} et faire le point sur l'eau",
            function=functions[i % len(functions)], assignee=contacts[i % 300],
            status=status, due_at=due, done_at=now if status == TaskStatus.DONE else None,
            created_at=started + timedelta(minutes=i), created_by=author, position=i,
        ))  # fmt: skip
    Task.objects.bulk_create(tasks, batch_size=500)


def seed_logbook(crisis, author, started) -> None:
    """Entries as `logbook.append` writes them, hashed the same way, in bulk for speed.

    One entry in 250 corrects the entry three before it, as a cell does after a wrong number.
    """
    kinds = list(EntryKind.values)
    next_id = (LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    entries, prev = [], logbook.GENESIS
    for seq in range(1, ENTRIES + 1):
        automatic = seq % 10 == 0
        corrects = entries[seq - 4] if seq % 250 == 0 else None
        entry = LogEntry(
            id=next_id + seq - 1, crisis_id=crisis.pk, seq=seq,
            at=started + timedelta(seconds=40 * seq),
            author=None if automatic else author,
            author_name="Tocsin" if automatic else str(author),
            kind=kinds[seq % len(kinds)],
            text=f"Appel n° {seq} : l'EHPAD des Mimosas signale {seq % 7} résident(s) "
                 "déshydraté(s) ; le médecin coordonnateur est prévenu, rappel dans l'heure.",
            corrects=corrects, automatic=automatic, prev_hash=prev,
        )  # fmt: skip
        entry.hash = logbook.entry_hash(entry, corrects.seq if corrects else None)
        prev = entry.hash
        entries.append(entry)
    LogEntry.objects.bulk_create(entries, batch_size=2000)
    Crisis.objects.filter(pk=crisis.pk).update(log_length=ENTRIES, log_head=prev)
    crisis.refresh_from_db()
    check = logbook.verify(crisis)
    assert check.ok and check.checked == ENTRIES, check.sentence


def session_keys(user, device, count) -> list[str]:
    """Sessions as a sign-in with the second factor leaves them (see tests/conftest.py login)."""
    keys = []
    for _ in range(count):
        session = SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        keys.append(session.session_key)
    return keys


# --- The server and the load ---


def die_with_us() -> None:
    """In the child, on Linux: receive SIGTERM if this script dies without cleaning up."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port, workers) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TASKS_BACKEND"}  # production default
    env.update(DEBUG="0", TOCSIN_HTTPS="0")
    command = [
        str(VENV_BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--timeout", "600", "--log-level", "warning",
        "--access-logfile", str(WORK / "access.log"), "--error-logfile", str(WORK / "server.log"),
    ]  # fmt: skip
    server = subprocess.Popen(  # noqa: S603 — our own command line
        command, cwd=ROOT, env=env, start_new_session=True, preexec_fn=die_with_us
    )
    processes.append(server)


def fetch(url, session_key="") -> tuple[int, str]:
    cookie = {"Cookie": f"sessionid={session_key}"}
    request = urllib.request.Request(url, headers=cookie)  # noqa: S310 — our own http:// server
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_until_up(base) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if processes[0].poll() is not None:
            raise RuntimeError(f"gunicorn s'est arrêté :\n{(WORK / 'server.log').read_text()}")
        try:
            if fetch(f"{base}/sante/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn ne répond pas après 60 s")


def check_page(base, path, expect, session_key) -> None:
    """The page answers 200 with its content for one user, twice (one per worker, likely)."""
    for _ in range(4):
        status, body = fetch(base + path, session_key)
        assert status == 200 and expect in body, (path, status, body[:300])


def run_locust(base, label, path, expect, sessions_file, seconds, users) -> dict:
    prefix = WORK / f"locust-{label}"
    env = dict(
        os.environ,
        TOCSIN_BENCH_PATH=path,
        TOCSIN_BENCH_EXPECT=expect,
        TOCSIN_BENCH_SESSIONS=str(sessions_file) if sessions_file else "",
    )
    command = [
        str(VENV_BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--only-summary",
        "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", base,
        "--csv", str(prefix), "--exit-code-on-error", "0", "--loglevel", "WARNING",
    ]  # fmt: skip
    with open(f"{prefix}.log", "w") as log:
        locust = subprocess.Popen(  # noqa: S603 — our own command line
            command, cwd=WORK, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=die_with_us,
        )  # fmt: skip
        processes.append(locust)
        time.sleep(min(2, seconds / 4))  # the users are all started
        before, start = cpu_snapshot(), time.monotonic()
        with contextlib.suppress(subprocess.TimeoutExpired):
            locust.wait(timeout=max(1, seconds - 4))
        others = max(0.0, cpu_of_others(before, cpu_snapshot()) / (time.monotonic() - start))
        code = locust.wait(timeout=120)
        processes.remove(locust)
    output = Path(f"{prefix}.log").read_text()
    if code != 0:
        raise RuntimeError(f"locust a échoué ({code}) :\n{output[-3000:]}")
    return read_stats(prefix, output) | {"others": others}


def read_stats(prefix, output) -> dict:
    with open(f"{prefix}_stats.csv", newline="") as file:
        total = next(row for row in csv.DictReader(file) if row["Name"] == "Aggregated")
    with open(f"{prefix}_failures.csv", newline="") as file:
        failures = [f"{row['Occurrences']} × {row['Error']}" for row in csv.DictReader(file)]
    return {
        "requests": int(total["Request Count"]),
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "errors": int(total["Failure Count"]),
        "failures": failures,
        "saturated": "CPU usage" in output,  # the load generator itself was the limit
    }


def cpu_snapshot() -> tuple[float, float]:
    """CPU seconds used so far by the whole machine, and by us (this script, the server and
    locust): on a shared machine, what the others take is missing from the figures."""
    ours = 0.0
    me = psutil.Process()  # the server and locust are our children
    for process in [me, *me.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            ours += times.user + times.system
    machine = psutil.cpu_times()
    return machine.user + machine.nice + machine.system, ours


def cpu_of_others(before, after) -> float:
    return (after[0] - before[0]) - (after[1] - before[1])


# --- Appending to the main courante ---


def timed_append(crisis, author, n) -> float:
    start = time.perf_counter()
    logbook.append(crisis, EntryKind.INFORMATION, f"Point téléphonique n° {n}", author=author)
    return (time.perf_counter() - start) * 1000


def bench_appends(crisis, author) -> None:
    """Appends alternate between a short log and the long one, so that both see the same
    machine: a burst of activity elsewhere cannot pass for a cost of the log's length."""
    small = Crisis.objects.create(
        cpts=crisis.cpts, title="Petite crise", crisis_type=CrisisType.MANY_SICK,
        phase=Phase.ALERT, is_exercise=True, started_at=timezone.now(), created_by=author,
    )  # fmt: skip
    for n in range(100):
        logbook.append(small, EntryKind.INFORMATION, f"Entrée n° {n}", author=author)
    crisis.refresh_from_db()
    length = crisis.log_length
    short, long = [], []
    for n in range(APPENDS):
        short.append(timed_append(small, author, n))
        long.append(timed_append(crisis, author, n))
    start = time.perf_counter()
    check = logbook.verify(crisis)
    verify_ms = (time.perf_counter() - start) * 1000
    assert check.ok and check.checked == length + APPENDS, check.sentence
    assert logbook.verify(small).ok
    ratio = statistics.median(long) / statistics.median(short)
    print(
        f"\najout à la main courante ({APPENDS} ajouts de chaque côté, alternés, logbook.append) :"
    )
    for label, times in (("à ~100 entrées", short), (f"à ~{length:,} entrées", long)):
        p95 = statistics.quantiles(times, n=20)[18]
        print(f"  {label:<22} médiane {statistics.median(times):6.2f} ms  p95 {p95:6.2f} ms")
    print(f"  ratio {ratio:.2f} (cible ≈ 1 : le coût d'un ajout ne croît pas avec la longueur)")
    print(
        f"  pour mémoire, vérifier toute la chaîne ({check.checked:,} entrées) : {verify_ms:.0f} ms"
    )


# --- The report ---


def print_table(results, seconds, users, workers, floor_label) -> None:
    floor = results[0][2]["rps"]
    print(
        f"\ncharge : {users} utilisateurs simultanés sans temps de réflexion, {seconds} s par "
        f"page, gunicorn {workers} workers sur 127.0.0.1 ; plancher = {floor_label}"
    )
    print(
        f"{'page':<42} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'erreurs':>8} "
        f"{'× plancher':>11} {'CPU autres':>11}"
    )
    for label, path, stats in results:
        name = f"{label} ({path})"
        print(
            f"{name:<42} {stats['rps']:7.1f} {stats['p50']:7.0f} {stats['p95']:7.0f} "
            f"{stats['errors']:8d} {stats['rps'] / floor:11.2f} {stats['others']:10.0%}"
        )
        for failure in stats["failures"][:5]:
            print(f"    erreur : {failure}")
        if stats["saturated"]:
            print("    attention : locust a dépassé 90 % d'un cœur, le générateur limite la mesure")
    busy = max(stats["others"] for _, _, stats in results)
    if busy > OTHERS_LIMIT:
        print(
            f"attention : d'autres processus ont pris jusqu'à {busy:.0%} d'un cœur pendant la "
            "mesure (colonne « CPU autres ») : les chiffres sont faussés, relancez au calme"
        )
    dashboard = results[1][2]
    ratio = dashboard["rps"] / floor
    errors = sum(stats["errors"] for _, _, stats in results)
    verdict = "PASS" if ratio >= TARGET_RATIO and errors == 0 else "FAIL"
    print(
        f"tableau de bord ×{ratio:.2f} du plancher, {errors} erreur(s) en tout : {verdict} "
        f"(cible ≥ ×{TARGET_RATIO}, 0 erreur)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="durée de chaque page (60)")
    parser.add_argument("--users", type=int, default=50, help="utilisateurs simultanés (50)")
    parser.add_argument("--workers", type=int, default=2, help="workers gunicorn (2)")
    parser.add_argument(
        "--anonymous-floor",
        action="store_true",
        help="mesurer le plancher sans session (comme un répartiteur de charge)",
    )
    args = parser.parse_args()

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages as in production
    crisis, referent, device = seed()
    sessions = WORK / "sessions.json"
    keys = session_keys(referent, device, args.users)
    sessions.write_text(json.dumps(keys))
    print(
        f"données : 1 crise, {crisis.entries.count():,} entrées de main courante (chaîne "
        f"vérifiée), {crisis.tasks.count()} tâches, {Contact.objects.count():,} contacts ; "
        f"préparées en {time.perf_counter() - start:.0f} s"
    )
    connection.close()  # the server has the database to itself during the load

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    start_server(port, args.workers)
    wait_until_up(base)
    floor_label = "/sante/ sans session" if args.anonymous_floor else "/sante/ avec la session"
    pages = [
        ("plancher", "/sante/", "ok", None if args.anonymous_floor else sessions),
        ("tableau de bord", f"/crises/{crisis.pk}/", "integrity-ok", sessions),
        ("main courante", f"/crises/{crisis.pk}/main-courante/", "integrity-ok", sessions),
    ]
    for _label, path, expect, _sessions in pages:
        check_page(base, path, expect, keys[0])
    results = []
    for label, path, expect, sessions_file in pages:
        stats = run_locust(base, label.replace(" ", "-"), path, expect, sessions_file,
                           args.seconds, args.users)  # fmt: skip
        results.append((label, path, stats))
    stop_processes()
    print_table(results, args.seconds, args.users, args.workers, floor_label)
    bench_appends(crisis, referent)


def stop_processes() -> None:
    """Gunicorn and locust run in their own process groups: stop each group, ours only."""
    while processes:
        process = processes.pop()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def exit_on_signal(signum, frame):
    raise SystemExit(128 + signum)  # through the `finally` below, which stops the processes


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, exit_on_signal)
    signal.signal(signal.SIGHUP, exit_on_signal)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in background
    try:
        main()
    finally:
        stop_processes()
        shutil.rmtree(WORK, ignore_errors=True)
