"""The resource inventory (recensement): premises, equipment, stocks, volunteers, capacities."""

from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "tocsin.resources"
    label = "resources"
    verbose_name = "Ressources"
