from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "tocsin.exercises"
    label = "exercises"
    verbose_name = "Exercices"
