from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "tocsin.training"
    label = "training"
    verbose_name = "Formations"
