from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "tocsin.territory"
    label = "territory"
    verbose_name = "Territoire"
