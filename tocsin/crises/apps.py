from django.apps import AppConfig


class CrisesConfig(AppConfig):
    name = "tocsin.crises"
    label = "crises"
    verbose_name = "Crises"
