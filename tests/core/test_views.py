"""What each role sees and does on the core pages."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import CptsFactory, MembershipFactory
from tests.plans.factories import validated_version
from tests.training.factories import session, training
from tocsin.core.audit import log_action
from tocsin.core.enums import Role
from tocsin.core.models import AuditEntry, Membership, User
from tocsin.crises.models import Crisis
from tocsin.exercises.models import Scenario


def page(client, name, **kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


def test_coordinator_dashboard_shows_members_gaps_and_activity(personas, client_for):
    log_action(personas.coordinator, personas.cpts, "core.cpts.updated", personas.cpts)
    html = page(client_for(personas.coordinator), "core:dashboard")
    assert "Membres" in html and "Gérer les membres" in html
    assert "Aucun suppléant du référent SSE n&#x27;est désigné." in html
    assert "a modifié la fiche de la CPTS" in html
    assert "1\u202f000</span> habitants" in html


def test_member_dashboard_shows_the_crisis_team_but_no_management(personas, client_for):
    html = page(client_for(personas.member), "core:dashboard")
    assert personas.referent.full_name in html
    assert "Gérer les membres" not in html
    assert "Activité récente" not in html
    assert "Journal d&#x27;audit" not in html


def test_user_without_cpts_gets_an_explanation(db):
    user = User.objects.create_user("seul@exemple.test", "x" * 12, full_name="Seul")
    client = Client()
    client.force_login(user)
    html = page(client, "core:dashboard")
    assert "n'est rattaché à aucune CPTS" in html.replace("&#x27;", "'")


def test_switching_cpts_changes_what_the_user_sees(personas, client_for):
    second = CptsFactory(name="CPTS Seconde")
    MembershipFactory(
        cpts=second, user=personas.authority, role=Role.AUTHORITY, authority_body="ars"
    )
    client = client_for(personas.authority)
    assert "CPTS Côte de Test" in page(client, "core:dashboard")
    client.post(reverse("core:switch_cpts"), {"cpts": second.pk})
    assert "<h1>CPTS Seconde</h1>" in page(client, "core:dashboard")
    response = client.post(
        reverse("core:switch_cpts"), {"cpts": personas.other_cpts.pk}, follow=True
    )
    assert "Vous n&#x27;avez pas de rôle dans cette CPTS." in response.content.decode()
    assert "<h1>CPTS Seconde</h1>" in response.content.decode()


def test_coordinator_adds_a_new_person_who_is_invited(
    personas, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(personas.coordinator)
    data = {"email": "Nouveau@Exemple.test", "full_name": "Nouveau Venu", "profession": "60",
            "role": "member", "authority_body": ""}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:member_add"), data)
    assert response.status_code == 302
    user = User.objects.get(email="nouveau@exemple.test")
    assert user.get_profession_display() == "Infirmier"
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).cpts == personas.cpts
    assert [m.to for m in mailoutbox] == [["nouveau@exemple.test"]]


def test_member_form_errors_are_french_sentences(personas, client_for):
    client = client_for(personas.coordinator)
    data = {"email": personas.member.email, "full_name": "X", "role": "member"}
    html = client.post(reverse("core:member_add"), data).content.decode()
    assert "a déjà un rôle dans CPTS Côte de Test" in html
    html = client.post(reverse("core:member_add"), {"email": "pas-une-adresse"}).content.decode()
    assert "Saisissez une adresse de courriel valide." in html
    assert "Ce champ est obligatoire." in html


def test_coordinator_changes_a_role_and_removes_a_member(personas, client_for):
    client = client_for(personas.coordinator)
    membership = Membership.objects.get(user=personas.member, cpts=personas.cpts)
    url = reverse("core:member_edit", kwargs={"pk": membership.pk})
    client.post(url, {"role": "cell_member", "authority_body": ""})
    membership.refresh_from_db()
    assert membership.role == Role.CELL_MEMBER
    client.post(url, {"remove": "1"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    codes = set(AuditEntry.objects.for_cpts(personas.cpts).values_list("code", flat=True))
    assert {"core.membership.role_changed", "core.membership.removed"} <= codes


def test_audit_page_filters_by_action_author_and_dates(personas, client_for):
    log_action(personas.referent, personas.cpts, "core.cpts.updated", personas.cpts)
    log_action(personas.coordinator, personas.cpts, "core.membership.removed", personas.member)
    log_action(personas.outsider, personas.other_cpts, "core.cpts.updated", personas.other_cpts)
    client = client_for(personas.coordinator)
    url = reverse("core:audit_list")
    html = client.get(url, {"code": "core.cpts.updated"}).content.decode()
    removed = f"a retiré {personas.member} de la CPTS"
    assert "a modifié la fiche de la CPTS « CPTS Côte de Test »" in html
    assert "CPTS Voisine" not in html
    assert removed not in html
    html = client.get(url, {"actor": personas.coordinator.full_name}).content.decode()
    assert removed in html and "a modifié la fiche de la CPTS « CPTS" not in html
    options = client.get(url).content.decode()
    assert '<option value="core.membership.removed">a retiré … de la CPTS</option>' in options
    html = client.get(url, {"date_from": "2030-01-02", "date_to": "2030-01-01"}).content.decode()
    assert "La date de fin précède la date de début." in html


@pytest.mark.parametrize("rows", [5, 60])
def test_key_pages_run_a_fixed_number_of_queries(
    personas, client_for, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        MembershipFactory(cpts=personas.cpts, role=Role.MEMBER)
        log_action(None, personas.cpts, "core.cpts.updated", personas.cpts)
    client = client_for(personas.coordinator)
    for name in ("core:dashboard", "core:member_list", "core:audit_list", "territory:commune_list"):
        with django_assert_max_num_queries(14):
            assert client.get(reverse(name)).status_code == 200


def test_error_pages_are_french_and_never_show_a_trace(personas, client_for):
    client = client_for(personas.member)
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    response = client.get(reverse("core:audit_list"))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_server_error_page_hides_the_exception(personas, settings, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(personas.member)

    def boom(membership):
        raise RuntimeError("détail interne à ne pas montrer")

    monkeypatch.setattr("tocsin.core.views.build_dashboard", boom)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Erreur du serveur" in html
    assert "détail interne" not in html and "Traceback" not in html


def test_navigation_offers_only_reachable_pages(personas, client_for):
    member_html = page(client_for(personas.member), "core:dashboard")
    assert reverse("core:member_list") not in member_html
    assert reverse("directory:contact_list") not in member_html
    cell_html = page(client_for(personas.cell_member), "core:dashboard")
    assert reverse("core:member_list") in cell_html
    assert reverse("core:audit_list") not in cell_html


def test_a_member_sees_the_plan_in_force_the_next_sessions_and_the_exercises(personas, client_for):
    validated_version(personas.cpts, personas.coordinator)
    afgsu = training(personas.coordinator, personas.cpts, title="AFGSU SSE")
    session(personas.coordinator, afgsu, place="Maison de santé")
    Crisis.objects.create(cpts=personas.cpts, title="Exercice canicule", crisis_type=2,
                          is_exercise=True, started_at=timezone.now())  # fmt: skip
    Scenario.objects.create(cpts=personas.cpts, title="Rupture d'approvisionnement",
                            crisis_type=5, planned_on=datetime.date(2099, 3, 12))  # fmt: skip
    Scenario.objects.create(cpts=personas.cpts, title="Exercice passé", crisis_type=1,
                            planned_on=datetime.date(2020, 1, 1))  # fmt: skip
    html = client_for(personas.member).get(reverse("core:dashboard")).content.decode()
    assert "Votre espace professionnel" in html and reverse("plans:member_plan") in html
    assert "AFGSU SSE, Maison de santé" in html
    assert "en cours : Exercice canicule" in html
    assert "prévu le 12/03/2099 : Rupture d&#x27;approvisionnement" in html
    assert "Exercice passé" not in html
    coordinator = client_for(personas.coordinator).get(reverse("core:dashboard")).content.decode()
    assert "Votre espace professionnel" not in coordinator
