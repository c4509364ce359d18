from django.apps import AppConfig


class RetexConfig(AppConfig):
    name = "tocsin.retex"
    label = "retex"
    verbose_name = "RETEX"
