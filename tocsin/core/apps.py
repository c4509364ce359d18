from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tocsin.core"
    label = "core"
    verbose_name = "Socle"
