"""Exercise scenarios without HTTP: the starter library, playing in an EXERCICE crisis, injects
fired by hand or on schedule into the main courante (once each), observations, and the RETEX."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from tests.plans.factories import canicule
from tocsin.core.errors import DomainError
from tocsin.core.models import AuditEntry
from tocsin.crises import logbook
from tocsin.crises import services as crises
from tocsin.crises.enums import EntryKind
from tocsin.exercises import services
from tocsin.exercises.models import FiredInject, Inject, Scenario
from tocsin.exercises.selectors import observations_of
from tocsin.exercises.starter import LIBRARY
from tocsin.retex import services as retex
from tocsin.territory.enums import CrisisType

START = datetime.datetime(2026, 7, 15, 9, 0, tzinfo=datetime.UTC)


def played(personas, *, on_schedule=True, key="canicule-3"):
    scenario = services.copy_starter(personas.referent, personas.cpts, key)
    return services.start_exercise(personas.referent, scenario, title="Exercice canicule",
                                   fires_on_schedule=on_schedule, started_at=START)  # fmt: skip


def test_the_library_covers_the_five_crisis_types_with_injects():
    assert {s.crisis_type for s in LIBRARY} == set(CrisisType.values)
    for scenario in LIBRARY:
        assert len(scenario.injects) >= 3, scenario.key
        assert all(expected for *_, expected in scenario.injects), scenario.key


def test_a_starter_is_copied_with_its_injects_and_the_matching_risk(personas):
    risk = canicule(personas.cpts)
    scenario = services.copy_starter(personas.coordinator, personas.cpts, "canicule-3")
    assert scenario.cpts == personas.cpts and scenario.risk == risk
    assert scenario.injects.count() == 5 and scenario.injects.first().offset_minutes == 0
    assert AuditEntry.objects.filter(code="exercises.scenario.created").count() == 1
    with pytest.raises(DomainError, match="bibliothèque"):
        services.copy_starter(personas.coordinator, personas.cpts, "inconnu")


def test_playing_opens_an_exercise_with_its_scenario_in_the_main_courante(personas):
    play = played(personas)
    crisis = play.crisis
    assert crisis.is_exercise and crisis.is_active and crisis.started_at == START
    entry = crisis.entries.order_by("-seq").first()
    assert entry.text == (
        "Scénario « Canicule de niveau 3 (vigilance orange) » : 5 inject(s), déclenchés à "
        "l'heure prévue."
    )
    empty = Scenario.objects.create(cpts=personas.cpts, title="Vide", crisis_type=1)
    with pytest.raises(DomainError, match="au moins un inject"):
        services.start_exercise(personas.referent, empty, title="X", fires_on_schedule=False)


def test_an_inject_fired_by_hand_is_written_once_to_the_main_courante(personas):
    play = played(personas, on_schedule=False)
    inject = play.scenario.injects.get(offset_minutes=20)
    fired = services.fire_inject(personas.referent, play, inject)
    assert fired.entry.kind == EntryKind.RECEIVED
    assert fired.entry.text.startswith(
        "EXERCICE — inject T+20 min (Appel téléphonique — EHPAD Les Tamaris) : Trois résidents"
    )
    assert fired.entry.author_name == "Animation de l'exercice"
    with pytest.raises(DomainError, match="déjà été déclenché"):
        services.fire_inject(personas.referent, play, inject)
    other = services.copy_starter(personas.referent, personas.cpts, "nrc-chimique")
    with pytest.raises(DomainError, match="n'appartient pas"):
        services.fire_inject(personas.referent, play, other.injects.first())
    assert logbook.verify(play.crisis).ok


def test_injects_fire_on_schedule_once_each_and_stop_at_the_levee(personas):
    play = played(personas)
    with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
        assert services.fire_due_injects() == 1  # T+0
        assert services.fire_due_injects() == 0  # a second tick changes nothing
    with time_machine.travel(START + datetime.timedelta(minutes=46), tick=False):
        assert services.fire_due_injects() == 2  # T+20 and T+45
    assert FiredInject.objects.filter(play=play, fired_by=None).count() == 3
    crises.close_crisis(personas.referent, play.crisis, "Exercice terminé.")
    with time_machine.travel(START + datetime.timedelta(hours=5), tick=False):
        assert services.fire_due_injects() == 0
    assert FiredInject.objects.filter(play=play).count() == 3


def test_a_hand_played_exercise_waits_for_the_animator(personas):
    play = played(personas, on_schedule=False)
    with time_machine.travel(START + datetime.timedelta(hours=3), tick=False):
        assert services.fire_due_injects() == 0
    assert not FiredInject.objects.filter(play=play).exists()


def test_the_command_fires_what_is_due(personas, capsys):
    played(personas)
    with time_machine.travel(START + datetime.timedelta(minutes=21), tick=False):
        call_command("play_exercises")
    assert "2 inject(s) déclenché(s)." in capsys.readouterr().out


def test_observations_keep_the_expected_reaction_and_reach_the_retex(personas):
    play = played(personas, on_schedule=False)
    inject = play.scenario.injects.get(offset_minutes=20)
    services.fire_inject(personas.referent, play, inject)
    seen = "Médecin trouvé au bout d'une heure."
    observation = services.add_observation(
        personas.cell_member, play, inject=inject, rating="partial", actual=seen
    )
    assert observation.expected == inject.expected_reaction
    with pytest.raises(DomainError, match="Décrivez"):
        services.add_observation(personas.cell_member, play, inject=None, rating="met", actual=" ")
    Inject.objects.filter(pk=inject.pk).update(expected_reaction="Changé depuis")
    crises.close_crisis(personas.referent, play.crisis, "Exercice joué.")
    review = retex.start_review(personas.referent, play.crisis)
    assert observations_of(play.crisis)[0].expected.startswith("Un médecin volontaire")
    assert "Message reçu — EXERCICE — inject T+20 min" in review.timeline
