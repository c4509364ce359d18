from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "tocsin.surveys"
    label = "surveys"
    verbose_name = "Questionnaires"
