from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "tocsin.alerts"
    label = "alerts"
    verbose_name = "Alertes"

    def ready(self):
        from anymail.signals import tracking

        from tocsin.alerts.provider_mail import on_tracking

        tracking.connect(on_tracking, dispatch_uid="tocsin.alerts.provider_mail")
