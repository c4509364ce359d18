"""Choices of the watch log: where a signal comes from, its colour, the feeds we poll."""

from django.db import models


class SignalSource(models.TextChoices):
    MANUAL = "manual", "Saisie manuelle"
    CAP = "cap", "Alerte CAP"
    VIGILANCE = "vigilance", "Vigilance Météo-France"


class Level(models.IntegerChoices):
    """Colour scale shared by the three sources (Météo-France's, CAP severities map onto it)."""

    GREEN = 1, "Vert"
    YELLOW = 2, "Jaune"
    ORANGE = 3, "Orange"
    RED = 4, "Rouge"


class FeedKind(models.TextChoices):
    CAP = "cap", "Alerte ou flux CAP (XML, Atom, RSS)"
    VIGILANCE = "vigilance", "Vigilance Météo-France (JSON)"
