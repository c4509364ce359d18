"""The operators' import command: preview, rejected lines, apply, clear failures."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.directory.test_imports import finess_file, finess_structure
from tocsin.directory.models import Organisation
from tocsin.territory.services import add_communes


@pytest.fixture
def finess_path(personas, tmp_path):
    add_communes(None, personas.cpts, ["44131"])
    path = tmp_path / "etalab-cs1100507-stock.csv"
    path.write_bytes(
        finess_file(finess_structure("440000026", "Hôpital de Pornic", "355"), "structureet;x")
    )
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_directory", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_preview_only_changes_nothing(personas, finess_path):
    output = run(personas.cpts.slug, "finess", str(finess_path))
    assert "Aperçu : 1 à créer, 0 à mettre à jour, 0 inchangé(s), 1 rejeté(s)" in output
    assert "ligne 3 : La ligne compte 2 champs au lieu de 32." in output
    assert not Organisation.objects.filter(finess_et="440000026").exists()


def test_apply_then_reapply(personas, finess_path):
    assert "Import appliqué : 1 créé(s), 0 mis à jour, 0 inchangé(s)" in run(
        personas.cpts.slug, "finess", str(finess_path), "--appliquer"
    )
    assert Organisation.objects.filter(finess_et="440000026").count() == 1
    output = run(personas.cpts.slug, "finess", str(finess_path), "--appliquer")
    assert "0 à créer, 0 à mettre à jour, 1 inchangé(s)" in output


def test_errors_are_french_sentences(personas, tmp_path):
    with pytest.raises(CommandError, match="Aucune CPTS"):
        run("inconnue", "finess", "x.csv")
    with pytest.raises(CommandError, match="Fichier illisible"):
        run(personas.cpts.slug, "finess", str(tmp_path / "absent.csv"))
    wrong = tmp_path / "wrong.csv"
    wrong.write_bytes(b"nom;prenom\n")
    with pytest.raises(CommandError, match="FINESS"):
        run(personas.cpts.slug, "finess", str(wrong))
