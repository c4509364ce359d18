"""The plan pages as the coordinator, the cell and the authorities use them."""

import pytest
from django.urls import reverse

from tests.plans.factories import validated_version
from tocsin.core.models import AuditEntry
from tocsin.plans import services
from tocsin.plans.enums import PlanStatus
from tocsin.plans.models import PlanVersion, Transmission
from tocsin.territory.models import Risk


def test_coordinator_starts_the_plan_and_sees_what_is_missing(personas, client_for):
    client = client_for(personas.coordinator)
    html = client.get(reverse("plans:home")).content.decode()
    assert "Commencer le plan à partir du modèle" in html
    response = client.post(reverse("plans:version_start"), follow=True)
    html = response.content.decode()
    assert "Version 1" in html and "Brouillon" in html
    assert "Référent SSE désigné" in html  # in the to-do list, linked to the form
    assert reverse("plans:organisation_edit", kwargs={"number": 1}) in html


def test_organisation_form_keeps_people_to_the_directory(personas, client_for):
    client = client_for(personas.referent)
    services.start_plan(personas.coordinator, personas.cpts)
    url = reverse("plans:organisation_edit", kwargs={"number": 1})
    outsider_contact = personas.other_cpts.contacts.first()
    html = client.post(url, {"referent": outsider_contact.pk}).content.decode()
    assert "Sélectionnez un choix valide" in html
    ours = personas.cpts.contacts.first()
    html = client.post(url, {"referent": ours.pk, "deputy": ours.pk}).content.decode()
    assert "Le suppléant doit être une autre personne que le référent." in html
    client.post(url, {"referent": ours.pk, "cell_place": "Maison de santé, salle 2"})
    version = PlanVersion.objects.get(cpts=personas.cpts)
    assert version.referent == ours and version.cell_place == "Maison de santé, salle 2"


def test_sections_render_markdown_safely(personas, client_for):
    services.start_plan(personas.coordinator, personas.cpts)
    client = client_for(personas.coordinator)
    url = reverse("plans:section_edit", kwargs={"number": 1, "key": "training"})
    client.post(
        url, {"body": "### Exercices\n- **mars** : exercice canicule\n<script>x()</script>"}
    )
    html = client.get(reverse("plans:version_detail", kwargs={"number": 1})).content.decode()
    assert "<h3>Exercices</h3>" in html and "<strong>mars</strong>" in html
    assert "<script>x()" not in html


def test_copil_validation_then_transmission_from_the_pages(personas, client_for, mailoutbox):
    services.start_plan(personas.coordinator, personas.cpts)
    client = client_for(personas.coordinator)
    detail = reverse("plans:version_detail", kwargs={"number": 1})
    client.post(reverse("plans:summary_edit", kwargs={"number": 1}),
                {"change_summary": "Première version."})  # fmt: skip
    client.post(reverse("plans:version_submit", kwargs={"number": 1}))
    validate = reverse("plans:version_validate", kwargs={"number": 1})
    data = {"copil_date": "2026-11-20", "note": "Unanimité"}
    response = client.post(validate, data, follow=True)
    assert "Cette version ne changera plus." in response.content.decode()
    client.post(reverse("plans:version_transmit", kwargs={"number": 1}), {"recipients": ["ars"]})
    version = PlanVersion.objects.get(cpts=personas.cpts, number=1)
    assert version.status == PlanStatus.TRANSMITTED
    html = client.get(detail).content.decode()
    assert "ARS — le" in html and "réception non encore confirmée" in html


def test_cell_members_read_the_plan_but_cannot_change_it(personas, client_for):
    services.start_plan(personas.coordinator, personas.cpts)
    client = client_for(personas.cell_member)
    html = client.get(reverse("plans:version_detail", kwargs={"number": 1})).content.decode()
    assert "Soumettre au COPIL" not in html and "Modifier" not in html
    response = client.post(reverse("plans:version_submit", kwargs={"number": 1}))
    assert response.status_code == 403


def test_authority_sees_only_what_was_transmitted_to_it(personas, client_for):
    version = validated_version(personas.cpts, personas.coordinator)
    client = client_for(personas.authority)  # an ARS user
    assert "Aucune version" in client.get(reverse("plans:authority_list")).content.decode()
    services.transmit_version(personas.coordinator, version, ["cpam"])
    assert "Aucune version" in client.get(reverse("plans:authority_list")).content.decode()
    services.transmit_version(personas.coordinator, version, ["ars"])
    html = client.get(reverse("plans:authority_list")).content.decode()
    assert "Version 1" in html and "Accuser réception" in html
    ars = Transmission.objects.get(recipient="ars")
    cpam = Transmission.objects.get(recipient="cpam")
    response = client.post(reverse("plans:authority_acknowledge", kwargs={"pk": cpam.pk}))
    assert response.status_code == 404
    client.post(reverse("plans:authority_acknowledge", kwargs={"pk": ars.pk}))
    ars.refresh_from_db()
    assert ars.acknowledged_by == personas.authority
    assert client.get(reverse("plans:home")).status_code == 403
    viewed = AuditEntry.objects.filter(code="plans.transmissions.viewed", actor=personas.authority)
    assert viewed.count() == 3  # every visit of the authority is journaled


def test_diff_page_shows_added_and_removed_lines(personas, client_for):
    validated_version(personas.cpts, personas.coordinator)
    second = services.start_plan(personas.coordinator, personas.cpts)
    section = second.sections.get(key="retex")
    services.save_section(personas.coordinator, section, "RETEX à chaud sous 48 heures.")
    html = client_for(personas.cell_member).get(reverse("plans:version_diff")).content.decode()
    assert "<ins>+ RETEX à chaud sous 48 heures.</ins>" in html
    assert "<del>− Après chaque crise" in html


@pytest.mark.parametrize("risks", [1, 12])
def test_version_page_has_a_fixed_number_of_queries(
    personas, client_for, django_assert_max_num_queries, risks
):
    for index in range(risks):
        Risk.objects.create(
            cpts=personas.cpts, code=f"r{index}", name=f"Risque {index}", source="other",
            crisis_type=1 + index % 5,
        )  # fmt: skip
    services.start_plan(personas.coordinator, personas.cpts)
    client = client_for(personas.coordinator)
    for url in (reverse("plans:version_detail", kwargs={"number": 1}), reverse("plans:home")):
        with django_assert_max_num_queries(22):
            assert client.get(url).status_code == 200
