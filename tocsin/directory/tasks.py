"""Background tasks of the directory: imports run in the worker, never in a web request."""

from django_tasks import task

from tocsin.core.models import User
from tocsin.directory.imports import analyse_import, apply_import
from tocsin.directory.models import ImportRun


@task()
def analyse_import_task(run_id: int) -> None:
    analyse_import(ImportRun.objects.get(pk=run_id))


@task()
def apply_import_task(run_id: int, actor_id: int | None) -> None:
    actor = User.objects.filter(pk=actor_id).first()
    apply_import(ImportRun.objects.get(pk=run_id), actor)
