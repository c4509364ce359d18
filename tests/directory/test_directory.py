"""The directory as the crisis team uses it: search, groups, phone numbers, edits."""

import pytest
from django.urls import reverse

from tests.factories import ContactFactory, GroupFactory, OrganisationFactory
from tocsin.core.models import AuditEntry
from tocsin.directory.models import Contact, Organisation
from tocsin.directory.search import search
from tocsin.directory.selectors import group_members
from tocsin.resources.models import Premises


@pytest.fixture
def hospital(personas):
    return OrganisationFactory(cpts=personas.cpts, name="Hôpital intercommunal de Pornic")


def names(result):
    return sorted(str(row) for row in result.queryset)


def test_search_ignores_accents_and_case(hospital, personas):
    organisations = Organisation.objects.for_cpts(personas.cpts)
    assert names(search(organisations, "hopital PORNIC")) == [hospital.name]
    assert names(search(organisations, "HÔPITAL")) == [hospital.name]


def test_search_tolerates_a_typo_and_says_so(hospital, personas):
    result = search(Organisation.objects.for_cpts(personas.cpts), "hopitl")
    assert names(result) == [hospital.name]
    assert result.corrected == {"hopitl": ["hopital"]}


def test_search_finds_contacts_by_organisation_and_profession(hospital, personas, client_for):
    nurse = ContactFactory(cpts=personas.cpts, last_name="Le Guen", profession_label="Infirmier")
    nurse.organisations.add(hospital)
    client = client_for(personas.coordinator)
    # Linking through the form refreshes the search text with the organisation's name.
    client.post(
        reverse("directory:contact_edit", kwargs={"pk": nurse.pk}),
        {"last_name": "Le Guen", "first_name": "Camille", "profession_label": "Infirmier",
         "organisations": [hospital.pk], "mobile_phone": "06 12 34 56 78"},
    )  # fmt: skip
    contacts = Contact.objects.for_cpts(personas.cpts)
    assert names(search(contacts, "infirmier pornic")) == ["Camille Le Guen"]


def test_search_never_crosses_tenants(personas):
    OrganisationFactory(cpts=personas.other_cpts, name="Hôpital voisin")
    result = search(Organisation.objects.for_cpts(personas.cpts), "voisin")
    assert names(result) == []


def test_rule_based_group_follows_the_directory(personas):
    pharmacist = ContactFactory(cpts=personas.cpts, profession_code="21", is_volunteer=True)
    ContactFactory(cpts=personas.cpts, profession_code="21", is_volunteer=False)
    ContactFactory(cpts=personas.other_cpts, profession_code="21", is_volunteer=True)
    group = GroupFactory(cpts=personas.cpts, rule={"professions": ["21"], "volunteers_only": True})
    manual = ContactFactory(cpts=personas.cpts, profession_code="10")
    group.members.add(manual)
    assert set(group_members(group)) == {pharmacist, manual}


def test_phone_numbers_are_stored_e164_and_shown_the_french_way(personas, client_for):
    client = client_for(personas.referent)
    response = client.post(
        reverse("directory:contact_create"),
        {"last_name": "Martin", "first_name": "Lou", "mobile_phone": "06 12 34 56 78",
         "work_phone": "0240000000", "preferred_channels": ["sms", "email"]},
    )  # fmt: skip
    contact = Contact.objects.get(last_name="Martin")
    assert response["Location"] == reverse("directory:contact_detail", kwargs={"pk": contact.pk})
    assert contact.mobile_phone.as_e164 == "+33612345678"
    html = client.get(response["Location"]).content.decode()
    assert "06 12 34 56 78" in html and 'href="tel:+33612345678"' in html
    entry = AuditEntry.objects.get(code="directory.contact.created")
    assert entry.sentence.endswith("a ajouté Lou Martin à l'annuaire")


def test_bad_input_gets_french_messages_next_to_the_field(personas, client_for):
    client = client_for(personas.coordinator)
    html = client.post(
        reverse("directory:contact_create"),
        {"last_name": "", "mobile_phone": "12", "rpps_id": "123", "email": "nope"},
    ).content.decode()
    assert "Ce champ est obligatoire." in html
    assert "Un identifiant RPPS compte 11 chiffres." in html
    assert "Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78" in html
    assert not Contact.objects.filter(rpps_id="123").exists()


def test_cell_members_read_but_cannot_edit(personas, client_for, hospital):
    client = client_for(personas.cell_member)
    html = client.get(reverse("directory:organisation_detail", kwargs={"pk": hospital.pk}))
    assert "Modifier" not in html.content.decode()
    response = client.post(reverse("directory:organisation_delete", kwargs={"pk": hospital.pk}))
    assert response.status_code == 403
    assert Organisation.objects.filter(pk=hospital.pk).exists()


def test_deleting_is_audited(personas, client_for, hospital):
    client_for(personas.coordinator).post(
        reverse("directory:organisation_delete", kwargs={"pk": hospital.pk})
    )
    assert not Organisation.objects.filter(pk=hospital.pk).exists()
    assert AuditEntry.objects.filter(code="directory.organisation.deleted").exists()


@pytest.mark.parametrize("rows", [3, 40])
def test_directory_pages_have_a_fixed_number_of_queries(
    personas, client_for, django_assert_max_num_queries, rows, hospital
):
    group = GroupFactory(cpts=personas.cpts, rule={"professions": ["60"]})
    for _ in range(rows):
        ContactFactory(cpts=personas.cpts).organisations.add(hospital)
    client = client_for(personas.coordinator)
    urls = [
        reverse("directory:contact_list"),
        reverse("directory:contact_list") + "?q=camille",
        reverse("directory:organisation_list"),
        reverse("directory:group_detail", kwargs={"pk": group.pk}),
        reverse("directory:organisation_detail", kwargs={"pk": hospital.pk}),
    ]
    for url in urls:
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200


def test_an_organisation_still_used_by_a_resource_is_kept_with_an_explanation(personas, client_for):
    owner = Premises.objects.get(cpts=personas.cpts).owner
    url = reverse("directory:organisation_delete", kwargs={"pk": owner.pk})
    response = client_for(personas.coordinator).post(url, follow=True)
    assert "est encore utilisé par" in response.content.decode()
    assert Organisation.objects.filter(pk=owner.pk).exists()
    assert not AuditEntry.objects.filter(code="directory.organisation.deleted").exists()
