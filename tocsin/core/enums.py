"""Choices of the core app: roles in a CPTS, authority bodies, professions."""

from django.db import models


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordination"
    REFERENT = "referent", "Référent SSE"
    CELL_MEMBER = "cell_member", "Membre de la cellule de crise"
    MEMBER = "member", "Professionnel membre"
    AUTHORITY = "authority", "Autorité de tutelle"


class AuthorityBody(models.TextChoices):
    ARS = "ars", "ARS"
    PREFECTURE = "prefecture", "Préfecture"
    CPAM = "cpam", "CPAM"


class Profession(models.TextChoices):
    """Health professions, keyed by their RPPS profession code."""

    MEDECIN = "10", "Médecin"
    PHARMACIEN = "21", "Pharmacien"
    CHIRURGIEN_DENTISTE = "40", "Chirurgien-dentiste"
    SAGE_FEMME = "50", "Sage-femme"
    INFIRMIER = "60", "Infirmier"
    MASSEUR_KINE = "70", "Masseur-kinésithérapeute"
    PEDICURE_PODOLOGUE = "80", "Pédicure-podologue"
    ORTHOPHONISTE = "91", "Orthophoniste"
    ORTHOPTISTE = "92", "Orthoptiste"
    ERGOTHERAPEUTE = "94", "Ergothérapeute"
    PSYCHOMOTRICIEN = "95", "Psychomotricien"
