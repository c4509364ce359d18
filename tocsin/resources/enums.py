"""Choices of the resource inventory: states, kinds of premises and equipment, missions."""

from django.db import models


class ResourceStatus(models.TextChoices):
    AVAILABLE = "available", "Disponible"
    ENGAGED = "engaged", "Engagée"
    UNAVAILABLE = "unavailable", "Indisponible"


class PremisesKind(models.TextChoices):
    GYMNASIUM = "gymnasium", "Gymnase"
    MULTIPURPOSE_HALL = "multipurpose_hall", "Salle polyvalente"
    MUNICIPAL_HALL = "municipal_hall", "Salle municipale"
    HEALTH_PREMISES = "health_premises", "Local de santé"
    OTHER = "other", "Autre"


class EquipmentKind(models.TextChoices):
    GENERATOR = "generator", "Groupe électrogène"
    VACCINE_FRIDGE = "vaccine_fridge", "Réfrigérateur à vaccins"
    MEDICAL = "medical", "Matériel médical"
    SHELTER = "shelter", "Tente, abri"
    BEDDING = "bedding", "Lits de camp, couchage"
    COMMUNICATION = "communication", "Radio, téléphonie"
    VEHICLE = "vehicle", "Véhicule"
    OTHER = "other", "Autre"


class MissionKind(models.TextChoices):
    VACCINATION = "vaccination", "Vaccination"
    RECEPTION = "reception", "Accueil"
    CARE_REINFORCEMENT = "care_reinforcement", "Renfort de soins"
    FRAGILE_PATIENT_CALLS = "fragile_patient_calls", "Appel des patients fragiles"
    LOGISTICS = "logistics", "Logistique"
