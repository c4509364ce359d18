"""Exercises: scenarios of timed injects, played in an EXERCICE crisis, and what observers saw.

A scenario belongs to a CPTS (copied from the starter library or written by hand). Playing it
opens an EXERCICE crisis; each inject, fired by the animator or on schedule, is written to the
exercise's main courante once. Observers note, inject by inject, the expected reaction against
the actual one; the exercise is then lifted and reviewed like any crisis.
"""

from django.db import models

from tocsin.core.models import Cpts, User
from tocsin.crises.models import Crisis, LogEntry
from tocsin.exercises.enums import InjectChannel, Rating
from tocsin.territory.enums import CrisisType
from tocsin.territory.models import Risk


class ScenarioQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)

    def planned(self, today):
        return self.filter(planned_on__gte=today).order_by("planned_on", "pk")


class Scenario(models.Model):
    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="scenarios")
    title = models.CharField("titre", max_length=200)
    crisis_type = models.PositiveSmallIntegerField("type de crise (ACI)", choices=CrisisType)
    risk = models.ForeignKey(
        Risk, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="risque",
        help_text="Ses fiches action deviennent les tâches de la cellule pendant l'exercice.",
    )  # fmt: skip
    summary = models.TextField("situation de départ", blank=True)
    objectives = models.TextField("objectifs", blank=True, help_text="Un objectif par ligne.")
    planned_on = models.DateField(
        "prochain exercice prévu le", null=True, blank=True,
        help_text="Annoncé aux professionnels dans leur espace.",
    )  # fmt: skip
    starter_key = models.CharField(max_length=40, blank=True, editable=False)
    created_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        verbose_name = "scénario d'exercice"
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    @property
    def objective_lines(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]


class Inject(models.Model):
    """One message of the scenario, sent to the players at a given time after the start."""

    scenario = models.ForeignKey(Scenario, models.CASCADE, related_name="injects")
    offset_minutes = models.PositiveIntegerField("après le début (minutes)", default=0)
    channel = models.CharField("canal", max_length=20, choices=InjectChannel)
    sender = models.CharField("émetteur", max_length=200, blank=True)
    content = models.TextField("message")
    expected_reaction = models.TextField("réaction attendue", blank=True)

    class Meta:
        verbose_name = "inject"
        ordering = ["offset_minutes", "pk"]

    def __str__(self):
        return f"T+{self.offset_minutes} min — {self.content[:60]}"

    @property
    def offset_label(self) -> str:
        hours, minutes = divmod(self.offset_minutes, 60)
        return f"T+{hours} h {minutes:02d}" if hours else f"T+{minutes} min"


class PlayQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(crisis__cpts=cpts)


class Play(models.Model):
    """A scenario played: the EXERCICE crisis it runs in, and whether injects fire on schedule."""

    crisis = models.OneToOneField(Crisis, models.PROTECT, related_name="exercise_play")
    scenario = models.ForeignKey(Scenario, models.PROTECT, related_name="plays")
    fires_on_schedule = models.BooleanField(
        "déclencher les injects à l'heure prévue", default=True,
        help_text="Sinon, l'animateur déclenche chaque inject à la main.",
    )  # fmt: skip
    created_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")

    objects = PlayQuerySet.as_manager()

    class Meta:
        verbose_name = "exercice joué"

    def __str__(self):
        return f"{self.scenario} — {self.crisis}"


class FiredInject(models.Model):
    play = models.ForeignKey(Play, models.PROTECT, related_name="fired")
    inject = models.ForeignKey(Inject, models.PROTECT, related_name="+")
    fired_at = models.DateTimeField("déclenché le")
    fired_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    entry = models.OneToOneField(LogEntry, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "inject déclenché"
        ordering = ["fired_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["play", "inject"], name="inject_fired_once")]

    def __str__(self):
        return f"{self.inject} ({self.fired_at:%H:%M})"


class Observation(models.Model):
    """What an observer saw: the reaction expected to an inject (a snapshot) and the actual one."""

    play = models.ForeignKey(Play, models.CASCADE, related_name="observations")
    inject = models.ForeignKey(
        Inject, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="inject"
    )
    expected = models.TextField("réaction attendue", blank=True)
    actual = models.TextField("réaction observée")
    rating = models.CharField("appréciation", max_length=10, choices=Rating)
    author = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField("noté le", auto_now_add=True)

    class Meta:
        verbose_name = "observation"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_rating_display()} — {self.actual[:60]}"
