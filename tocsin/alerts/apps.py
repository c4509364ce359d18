from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "tocsin.alerts"
    label = "alerts"
    verbose_name = "Alertes"
