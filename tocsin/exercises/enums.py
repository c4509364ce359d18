"""Choices of an exercise: how an inject reaches the players, and how observers rate a reaction."""

from django.db import models


class InjectChannel(models.TextChoices):
    PHONE = "phone", "Appel téléphonique"
    EMAIL = "email", "E-mail"
    SMS = "sms", "SMS"
    AUTHORITY = "authority", "Message de l'ARS ou de la Préfecture"
    PRESS = "press", "Presse ou réseaux sociaux"
    FIELD = "field", "Remontée du terrain"
    OTHER = "other", "Autre"


class Rating(models.TextChoices):
    MET = "met", "Conforme à l'attendu"
    PARTIAL = "partial", "Partiellement conforme"
    MISSED = "missed", "Non conforme"
    NOT_SEEN = "not_seen", "Non observé"
