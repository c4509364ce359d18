from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "tocsin.plans"
    label = "plans"
    verbose_name = "Plan de gestion de crise"
