"""Operations on exercise scenarios and their plays. Each checks its preconditions, saves in a
transaction and writes the audit trail; what happens in the exercise goes to its main courante.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from tocsin.core.audit import log_action
from tocsin.core.errors import DomainError
from tocsin.crises import logbook
from tocsin.crises import services as crises
from tocsin.crises.enums import ACTIVE_PHASES, EntryKind, Phase
from tocsin.crises.models import Crisis
from tocsin.exercises.models import FiredInject, Inject, Observation, Play, Scenario
from tocsin.exercises.starter import BY_KEY
from tocsin.territory.models import Risk


def copy_starter(actor, cpts, key) -> Scenario:
    """A scenario of the CPTS from the starter library, with its injects, to adapt."""
    starter = BY_KEY.get(key)
    if starter is None:
        raise DomainError("Ce scénario n'existe pas dans la bibliothèque.")
    risk = Risk.objects.for_cpts(cpts).filter(code=starter.risk_code).first()
    with transaction.atomic():
        scenario = Scenario.objects.create(
            cpts=cpts, title=starter.title, crisis_type=starter.crisis_type, risk=risk,
            summary=starter.summary, objectives="\n".join(starter.objectives),
            starter_key=starter.key, created_by=actor,
        )  # fmt: skip
        Inject.objects.bulk_create(
            Inject(scenario=scenario, offset_minutes=offset, channel=channel, sender=sender,
                   content=content, expected_reaction=expected)
            for offset, channel, sender, content, expected in starter.injects
        )  # fmt: skip
        log_action(actor, cpts, "exercises.scenario.created", scenario, {"from": starter.title})
    return scenario


def save_scenario(actor, form) -> Scenario:
    created = form.instance.pk is None
    with transaction.atomic():
        scenario = form.save()
        code = "exercises.scenario.created" if created else "exercises.scenario.updated"
        log_action(actor, scenario.cpts, code, scenario, {"from": ""})
    return scenario


def save_inject(actor, form) -> Inject:
    with transaction.atomic():
        inject = form.save()
        log_action(actor, inject.scenario.cpts, "exercises.inject.saved", inject.scenario,
                   {"inject": inject.offset_label})  # fmt: skip
    return inject


def delete_inject(actor, inject):
    if FiredInject.objects.filter(inject=inject).exists():
        raise DomainError("Cet inject a déjà été joué dans un exercice : il reste au scénario.")
    scenario = inject.scenario
    with transaction.atomic():
        log_action(actor, scenario.cpts, "exercises.inject.deleted", scenario,
                   {"inject": inject.offset_label})  # fmt: skip
        inject.delete()


# --- Playing ---


def start_exercise(actor, scenario, *, title, fires_on_schedule, started_at=None) -> Play:
    """An EXERCICE crisis running the scenario: the plan's fiches of its risk become tasks."""
    if not scenario.injects.exists():
        raise DomainError("Ajoutez au moins un inject au scénario avant de le jouer.")
    with transaction.atomic():
        crisis = crises.activate_crisis(
            actor, scenario.cpts, title=title, crisis_type=scenario.crisis_type,
            risk=scenario.risk, phase=Phase.ALERT, is_exercise=True,
            started_at=started_at or timezone.now(),
        )  # fmt: skip
        play = Play.objects.create(
            crisis=crisis, scenario=scenario, fires_on_schedule=fires_on_schedule, created_by=actor
        )
        mode = "à l'heure prévue" if fires_on_schedule else "par l'animateur"
        count = scenario.injects.count()
        text = f"Scénario « {scenario.title} » : {count} inject(s), déclenchés {mode}."
        logbook.append(crisis, EntryKind.INFORMATION, text, author=actor, automatic=True)
        log_action(actor, scenario.cpts, "exercises.play.started", crisis,
                   {"scenario": scenario.title})  # fmt: skip
    return play


def due_at(play, inject) -> datetime.datetime:
    return play.crisis.started_at + datetime.timedelta(minutes=inject.offset_minutes)


def fire_inject(actor, play, inject) -> FiredInject:
    """Write the inject to the exercise's main courante as a message received; once only."""
    if inject.scenario_id != play.scenario_id:
        raise DomainError("Cet inject n'appartient pas au scénario de cet exercice.")
    crisis = play.crisis
    if not crisis.is_active:
        raise DomainError("Cet exercice est levé : plus aucun inject ne se déclenche.")
    if FiredInject.objects.filter(play=play, inject=inject).exists():
        raise DomainError("Cet inject a déjà été déclenché.")
    sender = f" — {inject.sender}" if inject.sender else ""
    text = f"EXERCICE — inject {inject.offset_label} ({inject.get_channel_display()}{sender}) : "
    try:
        with transaction.atomic():
            entry = logbook.append(crisis, EntryKind.RECEIVED, text + inject.content,
                                   author=actor, author_name="Animation de l'exercice")  # fmt: skip
            fired = FiredInject.objects.create(play=play, inject=inject, fired_at=entry.at,
                                               fired_by=actor, entry=entry)  # fmt: skip
            log_action(actor, crisis.cpts, "exercises.inject.fired", crisis,
                       {"inject": inject.offset_label})  # fmt: skip
    except IntegrityError as exc:  # fired at the same moment by the schedule and by hand
        raise DomainError("Cet inject a déjà été déclenché.") from exc
    return fired


def fire_due_injects(now=None) -> int:
    """Fire every inject whose time has come in the exercises played on schedule; idempotent."""
    now = now or timezone.now()
    fired = 0
    plays = Play.objects.filter(fires_on_schedule=True, crisis__phase__in=ACTIVE_PHASES)
    for play in plays.select_related("crisis", "scenario__cpts"):
        done = set(play.fired.values_list("inject_id", flat=True))
        for inject in play.scenario.injects.exclude(pk__in=done):
            if due_at(play, inject) > now:
                continue
            try:
                fire_inject(None, play, inject)
            except DomainError:
                continue  # fired meanwhile by hand, or the exercise was lifted
            fired += 1
    return fired


def add_observation(actor, play, *, inject, rating, actual) -> Observation:
    if not actual.strip():
        raise DomainError("Décrivez la réaction observée.")
    if inject is not None and inject.scenario_id != play.scenario_id:
        raise DomainError("Cet inject n'appartient pas au scénario de cet exercice.")
    with transaction.atomic():
        observation = Observation.objects.create(
            play=play, inject=inject, expected=inject.expected_reaction if inject else "",
            actual=actual.strip(), rating=rating, author=actor,
        )  # fmt: skip
        log_action(actor, play.crisis.cpts, "exercises.observation.added", play.crisis,
                   {"rating": observation.get_rating_display()})  # fmt: skip
    return observation


def play_of(crisis: Crisis) -> Play | None:
    """The scenario played in this crisis, if it is a scripted exercise."""
    return getattr(crisis, "exercise_play", None)
