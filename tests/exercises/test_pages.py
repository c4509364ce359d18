"""The exercise pages: the library, a scenario's injects, the animation console; who may do
what, and a console whose number of queries does not grow with the injects."""

import pytest
from django.urls import reverse

from tocsin.exercises import services
from tocsin.exercises.models import FiredInject, Inject, Observation, Play


def test_the_referent_copies_a_starter_adds_an_inject_and_plays_it(personas, client_for):
    client = client_for(personas.referent)
    library = client.get(reverse("exercises:list")).content.decode()
    assert "Rupture d&#x27;approvisionnement en médicaments" in library
    response = client.post(reverse("exercises:starter_copy"), {"key": "canicule-3"})
    scenario = personas.cpts.scenarios.get()
    assert response["Location"] == reverse("exercises:scenario_detail", args=[scenario.pk])
    client.post(reverse("exercises:inject_add", args=[scenario.pk]), {
        "offset_minutes": "150", "channel": "email", "sender": "Mairie de Pornic",
        "content": "Le gymnase est ouvert comme salle rafraîchie.", "expected_reaction": "Relayer",
    })  # fmt: skip
    assert scenario.injects.count() == 6
    invalid = client.post(reverse("exercises:inject_add", args=[scenario.pk]),
                          {"offset_minutes": "-3", "channel": "email", "content": ""})  # fmt: skip
    assert invalid.status_code == 200 and "Ce champ est obligatoire." in invalid.content.decode()
    response = client.post(reverse("exercises:start", args=[scenario.pk]),
                           {"title": "Exercice canicule de juillet"})  # fmt: skip
    play = Play.objects.get()
    assert response["Location"] == reverse("exercises:console", args=[play.pk])
    assert play.crisis.is_exercise and not play.fires_on_schedule  # box left unticked
    console = client.get(response["Location"]).content.decode()
    assert "Console d'animation — Exercice canicule de juillet" in console
    assert "Le gymnase est ouvert comme salle rafraîchie." in console
    dashboard = client.get(reverse("crises:dashboard", args=[play.crisis.pk])).content.decode()
    assert reverse("exercises:console", args=[play.pk]) in dashboard


def test_the_animator_fires_and_a_cell_member_observes(personas, client_for):
    scenario = services.copy_starter(personas.referent, personas.cpts, "canicule-3")
    play = services.start_exercise(personas.referent, scenario, title="Exercice",
                                   fires_on_schedule=False)  # fmt: skip
    inject = scenario.injects.get(offset_minutes=20)
    cell = client_for(personas.cell_member)
    assert cell.post(reverse("exercises:fire", args=[play.pk, inject.pk])).status_code == 403
    assert not FiredInject.objects.exists()
    client_for(personas.referent).post(reverse("exercises:fire", args=[play.pk, inject.pk]))
    assert FiredInject.objects.filter(play=play, inject=inject).count() == 1
    seen = {"inject": inject.pk, "rating": "met", "actual": "Médecin joint en 10 minutes."}
    cell.post(reverse("exercises:observe", args=[play.pk]), seen)
    console = cell.get(reverse("exercises:console", args=[play.pk])).content.decode()
    assert "Déclenché à" in console and "Médecin joint en 10 minutes." in console
    assert Observation.objects.get().author == personas.cell_member
    member = client_for(personas.member)
    assert member.get(reverse("exercises:console", args=[play.pk])).status_code == 403


def test_an_inject_already_played_stays_in_its_scenario(personas, client_for):
    scenario = services.copy_starter(personas.referent, personas.cpts, "canicule-3")
    play = services.start_exercise(personas.referent, scenario, title="Exercice",
                                   fires_on_schedule=False)  # fmt: skip
    inject = scenario.injects.first()
    services.fire_inject(personas.referent, play, inject)
    client = client_for(personas.referent)
    response = client.post(reverse("exercises:inject_delete", args=[scenario.pk, inject.pk]),
                           follow=True)  # fmt: skip
    assert "déjà été joué dans un exercice" in response.content.decode()
    assert Inject.objects.filter(pk=inject.pk).exists()


@pytest.mark.parametrize("extra", [0, 12])
def test_the_console_has_a_fixed_number_of_queries(
    personas, client_for, django_assert_num_queries, extra
):
    scenario = services.copy_starter(personas.referent, personas.cpts, "canicule-3")
    Inject.objects.bulk_create(
        Inject(scenario=scenario, offset_minutes=200 + i, channel="sms", content=f"Inject {i}")
        for i in range(extra)
    )
    play = services.start_exercise(personas.referent, scenario, title="Exercice",
                                   fires_on_schedule=False)  # fmt: skip
    for inject in scenario.injects.all()[:3]:
        services.fire_inject(personas.referent, play, inject)
        services.add_observation(personas.referent, play, inject=inject, rating="met", actual="Ok")
    client = client_for(personas.referent)
    url = reverse("exercises:console", args=[play.pk])
    client.get(url)
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
