from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "tocsin.watch"
    label = "watch"
    verbose_name = "Veille opérationnelle"
