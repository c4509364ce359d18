"""What the exercise pages read, in a fixed number of queries whatever the number of injects."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from tocsin.exercises.models import Observation, Play, Scenario
from tocsin.exercises.services import due_at


@dataclass
class InjectLine:
    inject: object
    due_at: object
    fired: object  # FiredInject or None

    @property
    def is_due(self) -> bool:
        return self.fired is None and self.due_at <= timezone.now()


def timeline(play) -> list[InjectLine]:
    fired = {f.inject_id: f for f in play.fired.select_related("fired_by")}
    return [InjectLine(i, due_at(play, i), fired.get(i.pk)) for i in play.scenario.injects.all()]


def scenarios(cpts):
    return Scenario.objects.for_cpts(cpts).annotate(
        n_injects=Count("injects", distinct=True), n_plays=Count("plays", distinct=True)
    )


def plays(cpts):
    return (
        Play.objects.for_cpts(cpts)
        .select_related("crisis", "scenario")
        .order_by("-crisis__started_at")
    )


def observations(play):
    return play.observations.select_related("inject", "author")


def observations_of(crisis) -> list:
    """What the observers noted during this exercise (empty for a real crisis), for its RETEX."""
    return list(Observation.objects.filter(play__crisis=crisis).select_related("inject", "author"))
