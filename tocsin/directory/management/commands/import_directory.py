"""Import a FINESS or RPPS file (or the mairies) into a CPTS directory, with a progress bar."""

import sys
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from tocsin.core.models import Cpts
from tocsin.directory.enums import ImportKind, ImportStatus
from tocsin.directory.imports import analyse_import, apply_import
from tocsin.directory.models import ImportRun

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Importe un fichier dans l'annuaire d'une CPTS : affiche l'aperçu et les lignes "
        "rejetées, puis applique l'import avec --appliquer. "
        "Ex. : import_directory littoral rpps PS_LibreAcces_Personne_activite.txt --appliquer"
    )

    def add_arguments(self, parser):
        parser.add_argument("cpts", help="Identifiant court de la CPTS")
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file", nargs="?", help="Fichier (inutile pour les mairies)")
        parser.add_argument("--appliquer", action="store_true", help="Appliquer après l'aperçu")

    def handle(self, *args, **options):
        cpts = Cpts.objects.filter(slug=options["cpts"]).first()
        if cpts is None:
            raise CommandError(f"Aucune CPTS n'a l'identifiant « {options['cpts']} ».")
        run = self._new_run(cpts, options["kind"], options["file"])
        analyse_import(run, on_progress=self._bar("Analyse"))
        self._report(run)
        if options["appliquer"]:
            ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.CONFIRMED)
            run.refresh_from_db()
            apply_import(run, None, on_progress=self._bar("Import"))
            run.refresh_from_db()
            if run.status != ImportStatus.DONE:
                raise CommandError(run.error)
            c = run.counts
            done = (
                f"{c['created']} créé(s), {c['updated']} mis à jour, {c['unchanged']} inchangé(s)"
            )
            self.stdout.write(self.style.SUCCESS(f"Import appliqué : {done}"))

    def _new_run(self, cpts, kind, path):
        if kind != ImportKind.MAIRIES and not path:
            raise CommandError("Indiquez le fichier à importer.")
        run = ImportRun(cpts=cpts, kind=kind, original_name=Path(path).name if path else "")
        if path:
            try:
                with open(path, "rb") as handle:
                    run.file.save(Path(path).name, File(handle), save=False)
            except OSError as exc:
                raise CommandError(f"Fichier illisible : {exc}") from exc
        run.save()
        return run

    def _report(self, run):
        run.refresh_from_db()
        sys.stderr.write("\n")
        if run.status == ImportStatus.FAILED:
            raise CommandError(run.error)
        self.stdout.write(f"Aperçu : {self._counts(run)} ({run.lines_read} lignes lues)")
        for row in run.rejected:
            self.stdout.write(f"  ligne {row['line']} : {row['reason']}")

    @staticmethod
    def _counts(run):
        c = run.counts
        return (
            f"{c['created']} à créer, {c['updated']} à mettre à jour, "
            f"{c['unchanged']} inchangé(s), {c['rejected']} rejeté(s)"
        )

    @staticmethod
    def _bar(label):
        def show(percent):
            done = BAR_WIDTH * percent // 100
            sys.stderr.write(f"\r{label} [{'#' * done}{'.' * (BAR_WIDTH - done)}] {percent:3d} %")
            sys.stderr.flush()

        return show
