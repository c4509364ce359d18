"""The figures a CPTS reports each year on missions 2 and 3 and on testing its plan: trainings
and people trained by profession, awareness actions and their reach, exercises held and where
their RETEX stands. A fixed number of queries whatever the year holds.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from tocsin.alerts.enums import Answer, CampaignKind
from tocsin.alerts.models import Campaign
from tocsin.crises.models import Crisis
from tocsin.training.models import Registration, Session

NO_PROFESSION = "Profession non renseignée"


@dataclass
class Indicators:
    year: int
    sessions: int
    attendances: int
    people_trained: int
    by_profession: list  # (profession, people)
    by_training: list  # (training title, sessions, people)
    campaigns: int
    by_kind: list  # (kind label, campaigns)
    people_reached: int
    confirmations: int
    exercises: list  # (crisis, scripted, RETEX status label)

    def summary_rows(self) -> list[tuple[str, object]]:
        return [
            ("Sessions de formation tenues", self.sessions),
            ("Présences aux formations", self.attendances),
            ("Personnes formées", self.people_trained),
            ("Actions de sensibilisation (informations envoyées)", self.campaigns),
            ("Professionnels destinataires", self.people_reached),
            ("Lectures confirmées", self.confirmations),
            ("Exercices joués", len(self.exercises)),
            ("Exercices dont le RETEX est validé", sum(1 for *_, done in self.exercises if done)),
        ]


def _year_range(year):
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def yearly_indicators(cpts, year: int) -> Indicators:
    start, end = _year_range(year)
    present = Registration.objects.filter(
        session__cpts=cpts, session__date__year=year, attended=True
    )
    by_profession = (
        present.values("profession").annotate(people=Count("contact", distinct=True))
        .order_by("-people", "profession")
    )  # fmt: skip
    by_training = (
        present.values("session__training__title")
        .annotate(sessions=Count("session", distinct=True), people=Count("contact", distinct=True))
        .order_by("session__training__title")
    )
    campaigns = Campaign.objects.for_cpts(cpts).awareness().filter(sent_at__range=(start, end))
    reach = campaigns.aggregate(
        reached=Count("recipients", filter=Q(recipients__exclusion="")),
        confirmed=Count("recipients", filter=Q(recipients__answer=Answer.ACKNOWLEDGED)),
    )
    kinds = dict(campaigns.values_list("kind").annotate(n=Count("pk")))
    exercises = (
        Crisis.objects.for_cpts(cpts).filter(is_exercise=True, started_at__range=(start, end))
        .select_related("review", "exercise_play").order_by("started_at")
    )  # fmt: skip
    return Indicators(
        year=year,
        sessions=Session.objects.for_cpts(cpts).filter(date__year=year, registrations__in=present)
        .distinct().count(),
        attendances=present.count(),
        people_trained=present.values("contact").distinct().count(),
        by_profession=[(r["profession"] or NO_PROFESSION, r["people"]) for r in by_profession],
        by_training=[(r["session__training__title"], r["sessions"], r["people"])
                     for r in by_training],
        campaigns=sum(kinds.values()),
        by_kind=[(label, kinds.get(value, 0)) for value, label in CampaignKind.choices
                 if value != CampaignKind.ALERT],
        people_reached=reach["reached"],
        confirmations=reach["confirmed"],
        exercises=[_exercise_row(c) for c in exercises],
    )  # fmt: skip


def _exercise_row(crisis):
    review = getattr(crisis, "review", None)
    scripted = getattr(crisis, "exercise_play", None) is not None
    if review is None:
        status = "RETEX à ouvrir" if crisis.closed_at else "En cours"
    else:
        status = review.get_status_display()
    return crisis, scripted, status, review is not None and not review.is_editable
