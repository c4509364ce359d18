"""RPPS import and directory search benchmarks, as `make bench` runs them.

1. Generates a synthetic national RPPS extraction (2,000,000 rows, real column layout) and
   times a full import of one CPTS's subset — analysis (the preview) then applying it — against
   a bare `csv.reader` pass over the same file, measured in the same run. Peak memory is the
   process's maximum resident size.
2. Fills the directory with 20,000 contacts and times searches (p50 / p95), exact and with a
   typo, against the cost of one trivial query.
Run alone: .venv/bin/python bench/directory_import.py [rows]
"""

import os
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._django_env import start  # noqa: E402

WORK = start("tocsin-bench-import-")


from django.core.management import call_command  # noqa: E402

from bench.rpps_synthetic import BENCH_TERRITORY, csv_reader_pass, write_synthetic_rpps  # noqa: E402
from tocsin.core.models import Cpts  # noqa: E402
from tocsin.directory.enums import ImportKind, ImportStatus  # noqa: E402
from tocsin.directory.imports import analyse_import, apply_import  # noqa: E402
from tocsin.directory.models import Contact, ImportRun, Organisation  # noqa: E402
from tocsin.directory.search import search  # noqa: E402
from tocsin.territory.services import add_communes  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_rpps_import(rows: int) -> None:
    cpts = Cpts.objects.create(name="CPTS banc d'essai", slug="banc")
    add_communes(None, cpts, BENCH_TERRITORY)
    path = WORK / "media" / "imports" / "PS_LibreAcces_Personne_activite_synthetique.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    write_synthetic_rpps(path, rows, BENCH_TERRITORY)
    written = time.perf_counter() - start
    size_mb = path.stat().st_size / 1e6
    print(f"fichier RPPS synthétique : {rows:,} lignes, {size_mb:.0f} Mo, écrit en {written:.1f} s")

    start = time.perf_counter()
    csv_reader_pass(path)
    baseline = time.perf_counter() - start
    rss_before = peak_rss_mb()

    run = ImportRun.objects.create(cpts=cpts, kind=ImportKind.RPPS)
    run.file.name = str(path.relative_to(WORK / "media"))
    run.save()
    start = time.perf_counter()
    analyse_import(run)
    analysed = time.perf_counter() - start
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.CONFIRMED)
    start = time.perf_counter()
    apply_import(ImportRun.objects.get(pk=run.pk), None)
    applied = time.perf_counter() - start
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE, run.error
    total = analysed + applied
    print(f"référence csv.reader       : {baseline:6.2f} s")
    print(f"analyse (aperçu)           : {analysed:6.2f} s  ×{analysed / baseline:.2f}")
    print(f"application                : {applied:6.2f} s  ×{applied / baseline:.2f}")
    print(f"import complet             : {total:6.2f} s  ×{total / baseline:.2f}  (cible ≤ ×1.5)")
    print(f"bilan : {run.counts}")
    print(f"mémoire max : {peak_rss_mb():.0f} Mo (dont {rss_before:.0f} Mo avant l'import)")
    path.unlink()


def bench_search(target: int = 20_000) -> None:
    cpts = Cpts.objects.get(slug="banc")
    missing = target - Contact.objects.for_cpts(cpts).count()
    first = ["Camille", "Lou", "Yann", "Maëlle", "Erwan", "Anaïs", "Gaël", "Solenn", "Noé", "Inès"]
    last = ["Le Guen", "Quéméner", "Abgrall", "Kerbrat", "Prigent", "Hamon", "Riou", "Salaün"]
    hospital = Organisation.objects.create(cpts=cpts, kind="ch", name="Hôpital de Pornic")
    contacts = [
        Contact(
            cpts=cpts,
            last_name=f"{last[i % len(last)]}{i}",
            first_name=first[i % len(first)],
            profession_label="Infirmier" if i % 3 else "Pharmacien",
        )
        for i in range(missing)
    ]
    for contact in contacts:
        contact.search_text = contact.build_search_text(["Hôpital de Pornic"] if contact.pk else [])
    Contact.objects.bulk_create(contacts, batch_size=2000)
    hospital.contacts.add(*Contact.objects.for_cpts(cpts)[:500])
    queryset = Contact.objects.for_cpts(cpts)
    count = queryset.count()
    baseline = timed(lambda: Cpts.objects.filter(slug="banc").exists())
    print(f"recherche sur {count:,} contacts (référence : une requête triviale {baseline:.2f} ms)")
    for label, query in (
        ("nom exact", "quemener17"),
        ("prénom + profession", "maelle pharmacien"),
        ("faute de frappe", "quemenr"),
        ("aucun résultat", "zzzzzz"),
    ):
        samples = [timed(lambda q=query: first_page(queryset, q)) for _ in range(60)]
        p50, p95 = statistics.median(samples), statistics.quantiles(samples, n=20)[18]
        ratio = p95 / baseline
        print(f"  {label:<22} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  ×{ratio:.0f} (cible < 50 ms)")


def first_page(queryset, query):
    return list(search(queryset, query).queryset[:50])


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    call_command("migrate", verbosity=0)
    bench_rpps_import(rows)
    bench_search()


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(os.environ["TOCSIN_DATA_DIR"], ignore_errors=True)
