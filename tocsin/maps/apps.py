from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "tocsin.maps"
    label = "maps"
    verbose_name = "Cartographie"
