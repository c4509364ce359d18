from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "tocsin.care"
    verbose_name = "Continuité des soins"
