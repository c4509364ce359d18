"""Who sees which patients: each persona, each right, and the access-log row of every page."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.care.factories import PatientFactory, commune_of, treating
from tests.crises.factories import active_crisis
from tests.plans.factories import canicule
from tocsin.care import services
from tocsin.care.models import AccessLog, CallCampaign
from tocsin.crises import services as crises

REASON = {"reason": "calls", "details": ""}


@pytest.fixture
def register(personas):
    """Two communes: the canicule risk exposes the first only. The member follows two patients
    (one in each commune); another professional follows a third."""
    exposed, safe = commune_of(personas.cpts, name="Pornic"), commune_of(personas.cpts)
    risk = canicule(personas.cpts)
    risk.communes.set([exposed])
    mine = treating(personas.member, personas.cpts)
    other = treating(personas.cell_member, personas.cpts)
    return {
        "risk": risk,
        "exposed": PatientFactory(
            cpts=personas.cpts, commune=exposed, last_name="Exposé", followed_by=[mine]
        ),  # fmt: skip
        "safe": PatientFactory(
            cpts=personas.cpts, commune=safe, last_name="Abrité", followed_by=[mine]
        ),  # fmt: skip
        "others": PatientFactory(
            cpts=personas.cpts, commune=exposed, last_name="Dautrui", followed_by=[other]
        ),  # fmt: skip
    }


def test_a_member_sees_only_the_patients_they_follow(register, personas, client_for):
    client = client_for(personas.member)
    page = client.get(reverse("care:list")).content.decode()
    assert "EXPOSÉ" in page and "ABRITÉ" in page and "DAUTRUI" not in page
    assert client.get(reverse("care:detail", args=[register["others"].pk])).status_code == 404
    assert client.get(reverse("care:detail", args=[register["exposed"].pk])).status_code == 200


def test_the_cell_sees_no_patient_outside_an_active_crisis(register, personas, client_for):
    crisis = active_crisis(personas.cpts, personas.referent, risk=register["risk"])
    crises.close_crisis(personas.referent, crisis, "Fin de l'épisode.")
    client = client_for(personas.cell_member)
    assert client.get(reverse("care:crisis_patients", args=[crisis.pk])).status_code == 403
    # Their own list holds only the patient they follow, whatever the crisis.
    page = client.get(reverse("care:list")).content.decode()
    assert "DAUTRUI" in page and "EXPOSÉ" not in page


def test_in_a_crisis_the_cell_sees_the_exposed_communes_after_giving_a_reason(
    register, personas, client_for
):
    crisis = active_crisis(personas.cpts, personas.referent, risk=register["risk"])
    client = client_for(personas.cell_member)
    url = reverse("care:crisis_patients", args=[crisis.pk])
    asked = client.get(url).content.decode()
    assert "Pourquoi consultez-vous" in asked and "EXPOSÉ" not in asked
    assert not AccessLog.objects.exists()
    response = client.post(reverse("care:crisis_reason", args=[crisis.pk]),
                           {**REASON, "next": url}, follow=True)  # fmt: skip
    page = response.content.decode()
    assert "EXPOSÉ" in page and "DAUTRUI" in page and "ABRITÉ" not in page
    entry = AccessLog.objects.get()
    assert entry.user == personas.cell_member and entry.kind == "crisis"
    assert entry.reason == "Organiser les appels de vérification" and entry.crisis == crisis
    assert sorted(entry.patient_ids) == sorted([register["exposed"].pk, register["others"].pk])


def test_an_other_reason_needs_a_few_words(register, personas, client_for):
    crisis = active_crisis(personas.cpts, personas.referent, risk=register["risk"])
    client = client_for(personas.referent)
    response = client.post(reverse("care:crisis_reason", args=[crisis.pk]), {"reason": "other"})
    assert "Précisez le motif" in response.content.decode()
    assert (
        "EXPOSÉ"
        not in client.get(reverse("care:crisis_patients", args=[crisis.pk])).content.decode()
    )


def test_the_reason_lasts_a_while_then_is_asked_again(register, personas, client_for, settings):
    settings.CARE_REASON_MINUTES = 30
    crisis = active_crisis(personas.cpts, personas.referent, risk=register["risk"])
    client = client_for(personas.referent)
    url = reverse("care:crisis_patients", args=[crisis.pk])
    client.post(reverse("care:crisis_reason", args=[crisis.pk]), REASON)
    assert "EXPOSÉ" in client.get(url).content.decode()
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(minutes=31)
    with time_machine.travel(later):
        assert "Pourquoi consultez-vous" in client.get(url).content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "member", "authority"])
def test_other_roles_never_see_the_crisis_list(register, personas, client_for, persona):
    crisis = active_crisis(personas.cpts, personas.referent, risk=register["risk"])
    client = client_for(getattr(personas, persona))
    assert client.get(reverse("care:crisis_patients", args=[crisis.pk])).status_code == 403
    assert not AccessLog.objects.exists()


def test_an_outsider_never_reaches_a_patient(register, personas, client_for):
    crisis = active_crisis(personas.cpts, personas.referent, risk=register["risk"])
    client = client_for(personas.outsider)
    for url in (reverse("care:detail", args=[register["exposed"].pk]),
                reverse("care:crisis_patients", args=[crisis.pk])):  # fmt: skip
        assert client.get(url).status_code in (403, 404)
    assert "EXPOSÉ" not in client.get(reverse("care:list")).content.decode()
    # Only their own (empty) list was logged, in their own CPTS.
    assert list(AccessLog.objects.values_list("cpts", "patient_ids")) == [
        (personas.other_cpts.pk, [])
    ]


def test_the_authority_has_no_register(personas, client_for):
    assert client_for(personas.authority).get(reverse("care:list")).status_code == 403


@pytest.mark.parametrize("route", ["care:list", "care:list_pdf"])
def test_every_page_of_my_patients_writes_its_log_row(register, personas, client_for, route):
    response = client_for(personas.member).get(reverse(route))
    assert response.status_code == 200
    entry = AccessLog.objects.get()
    assert entry.kind == "own" and entry.user == personas.member
    assert sorted(entry.patient_ids) == sorted([register["exposed"].pk, register["safe"].pk])


@pytest.mark.parametrize("route", ["care:detail", "care:edit", "care:delete"])
def test_every_page_of_one_patient_writes_its_log_row(register, personas, client_for, route):
    patient = register["exposed"]
    assert client_for(personas.member).get(reverse(route, args=[patient.pk])).status_code == 200
    assert AccessLog.objects.get().patient_ids == [patient.pk]


def test_a_caller_sees_only_their_share_and_nothing_once_closed(register, personas, client_for):
    crisis = active_crisis(personas.cpts, personas.referent, risk=register["risk"])
    campaign = services.start_call_campaign(
        personas.referent, crisis, title="Appels canicule", needs=[],
        callers=[personas.member, personas.cell_member],
    )  # fmt: skip
    member_share = {c.patient.last_name for c in campaign.calls.filter(caller=personas.member)}
    client = client_for(personas.member)
    url = reverse("care:my_calls", args=[campaign.pk])
    page = client.get(url).content.decode()
    for name in ("EXPOSÉ", "DAUTRUI"):
        assert (name in page) == (name.capitalize() in member_share)
    assert AccessLog.objects.get().kind == "calls"
    services.close_call_campaign(personas.referent, campaign)
    closed = client.get(url).content.decode()
    assert "EXPOSÉ" not in closed and "DAUTRUI" not in closed and "close" in closed
    assert AccessLog.objects.count() == 1  # nothing shown, nothing logged


def test_the_coordinator_reviews_the_log_without_any_name(register, personas, client_for):
    client_for(personas.member).get(reverse("care:list"))
    page = client_for(personas.coordinator).get(reverse("care:access_log")).content.decode()
    assert str(personas.member) in page and "Professionnel traitant" in page
    assert "Exposé" not in page and "EXPOSÉ" not in page


def test_the_map_layer_counts_without_names_and_is_logged(register, personas, client_for):
    crisis = active_crisis(personas.cpts, personas.referent, risk=register["risk"])
    client = client_for(personas.referent)
    layer = reverse("care:crisis_layer", args=[crisis.pk])
    assert client.get(layer).status_code == 302  # no reason given yet
    client.post(reverse("care:crisis_reason", args=[crisis.pk]), REASON)
    page = client.get(reverse("care:crisis_map", args=[crisis.pk])).content.decode()
    assert layer in page and "leaflet.js" in page
    response = client.get(layer)
    features = response.json()["features"]
    assert [f["properties"]["count"] for f in features] == [2]
    assert "Exposé" not in response.content.decode()
    assert AccessLog.objects.get().page == "Carte des patients exposés"


def test_campaigns_are_the_cells(register, personas, client_for):
    crisis = active_crisis(personas.cpts, personas.referent, risk=register["risk"])
    response = client_for(personas.member).get(reverse("care:campaign_new", args=[crisis.pk]))
    assert response.status_code == 403
    assert not CallCampaign.objects.exists()


def test_health_data_asks_a_member_for_the_second_factor(register, personas):
    client = Client()
    client.force_login(personas.member)
    response = client.get(reverse("care:list"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:two_factor_setup")
    assert "contient des données de santé" in response.content.decode()
    assert not AccessLog.objects.exists()
    # The rest of a member's space stays without it.
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_the_log_is_filtered_by_patient_number(register, personas, client_for):
    member = client_for(personas.member)
    member.get(reverse("care:detail", args=[register["exposed"].pk]))
    member.get(reverse("care:detail", args=[register["safe"].pk]))
    coordinator = client_for(personas.coordinator)
    url = reverse("care:access_log") + f"?patient={register['safe'].pk}"
    page = coordinator.get(url).content.decode()
    assert f"Fiche du Patient n° {register['safe'].pk}" in page
    assert f"Fiche du Patient n° {register['exposed'].pk}" not in page
