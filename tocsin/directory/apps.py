from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "tocsin.directory"
    label = "directory"
    verbose_name = "Annuaire"
