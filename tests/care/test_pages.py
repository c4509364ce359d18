"""The register's pages as a professional uses them: entering, importing, verifying, removing;
and the number of queries of the lists, whatever the number of patients."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.care.factories import PatientFactory, commune_of, treating
from tests.crises.factories import active_crisis
from tocsin.care import services
from tocsin.care.models import Patient
from tocsin.core.models import AuditEntry, Membership


@pytest.fixture
def commune(personas):
    return commune_of(personas.cpts, name="Pornic", insee_code="44131")


def test_a_professional_enters_a_patient_and_follows_them(commune, personas, client_for):
    pro = treating(personas.member, personas.cpts)
    colleague = treating(personas.cell_member, personas.cpts)
    client = client_for(personas.member)
    form = {"last_name": "Bouyer", "first_name": "Yvonne", "birth_date": "1941-03-02",
            "commune": commune.pk, "phone": "06 12 34 56 11",
            "needs": ["oxygen", "isolated_elderly"],
            "professionals": [colleague.pk], "legal_basis": "care",
            "basis_recorded_on": "2026-11-30"}  # fmt: skip
    response = client.post(reverse("care:new"), form, follow=True)
    assert "Patient enregistré." in response.content.decode()
    patient = Patient.objects.get()
    assert patient.phone == "+33612345611" and patient.needs == ["oxygen", "isolated_elderly"]
    assert set(patient.professionals.all()) == {pro, colleague}
    entry = AuditEntry.objects.get(code="care.patient.created")
    assert entry.target_label == f"Patient n° {patient.pk}"  # never the name


def test_a_wrong_phone_gets_a_french_message_and_nothing_is_lost(commune, personas, client_for):
    treating(personas.member, personas.cpts)
    form = {"last_name": "Bouyer", "commune": commune.pk, "phone": "12", "needs": [],
            "legal_basis": "care", "basis_recorded_on": "2026-11-30"}  # fmt: skip
    page = client_for(personas.member).post(reverse("care:new"), form).content.decode()
    assert "numéro de téléphone valide" in page and "Cochez au moins un besoin" in page
    assert 'value="Bouyer"' in page and not Patient.objects.exists()


def test_without_a_directory_entry_the_member_is_told_what_to_do(personas, client_for):
    client = client_for(personas.member)
    assert "relier (page « Membres »)" in client.get(reverse("care:list")).content.decode()
    assert client.get(reverse("care:new")).status_code == 302


def test_the_directory_entry_with_the_login_e_mail_is_found_then_linked_on_first_use(
    commune, personas, client_for
):
    from tests.factories import ContactFactory

    entry = ContactFactory(cpts=personas.cpts, email=personas.member.email.upper())
    client = client_for(personas.member)
    assert "Inscrire un patient" in client.get(reverse("care:list")).content.decode()
    assert Membership.objects.get(user=personas.member).contact is None  # a GET changes nothing
    form = {
        "last_name": "Bouyer",
        "commune": commune.pk,
        "phone": "0612345611",
        "needs": ["oxygen"],
        "legal_basis": "care",
        "basis_recorded_on": "2026-11-30",
    }
    client.post(reverse("care:new"), form)
    assert Membership.objects.get(user=personas.member).contact == entry
    assert AuditEntry.objects.filter(code="core.membership.contact_linked").exists()


def test_the_coordinator_links_a_member_to_their_entry(personas, client_for):
    from tests.factories import ContactFactory

    entry = ContactFactory(cpts=personas.cpts, last_name="Tanguy")
    membership = Membership.objects.get(user=personas.member)
    client_for(personas.coordinator).post(
        reverse("core:member_edit", args=[membership.pk]),
        {"contact": entry.pk, "link_contact": "1"},
    )
    membership.refresh_from_db()
    assert membership.contact == entry


def test_verifying_and_removing(commune, personas, client_for):
    pro = treating(personas.member, personas.cpts)
    patient = PatientFactory(cpts=personas.cpts, commune=commune, followed_by=[pro])
    client = client_for(personas.member)
    client.post(reverse("care:verify", args=[patient.pk]))
    assert AuditEntry.objects.filter(code="care.patient.verified").count() == 1
    response = client.post(reverse("care:delete", args=[patient.pk]), {"cause": "request"})
    assert response["Content-Type"] == "application/pdf"
    assert "attestation-suppression-EFF-" in response["Content-Disposition"]
    assert not Patient.objects.exists()
    assert "Patient retiré du registre (référence EFF-" in client.get(
        reverse("care:list")).content.decode()  # fmt: skip


CSV = (
    "Nom;Prénom;Date de naissance;Commune;Téléphone;Besoins;Personne à prévenir\n"
    "Bouyer;Yvonne;02/03/1941;Pornic;06 12 34 56 11;oxygène / isolée;Sa fille\n"
    "Chauvet;René;12/12/1938;Nantes;06 12 34 56 12;dialyse;\n"
    "Dugast;Odette;1936-05-01;44131;06 12 34 56 13;télépathie;\n"
    "Fradin;Louis;01/01/1950;44131;12;insuline;\n"
    "Gouraud;Simone;01/01/1940;44131;06 12 34 56 15;froid + SSIAD;\n"
    "Bouyer;Yvonne;02/03/1941;Pornic;06 12 34 56 11;oxygène;\n"
)


def _upload(client, text, name="patients.csv"):
    upload = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("care:import"), {"file": upload})


def test_an_import_reports_each_rejected_line_then_saves_all_or_nothing(
    commune, personas, client_for
):
    treating(personas.member, personas.cpts)
    client = client_for(personas.member)
    page = html.unescape(_upload(client, CSV).content.decode())
    assert not Patient.objects.exists()  # nothing before confirmation
    assert "2</strong> lignes prêtes" in page and "4</strong> refusées" in page
    for reason in ("« Nantes » hors du territoire", "Besoin non reconnu : « telepathie »",
                   "Téléphone invalide : « 12 »", "Doublon d'une ligne précédente"):  # fmt: skip
        assert reason in page, reason
    assert "<td>3</td>" in page and "<td>7</td>" in page  # line numbers of the file
    client.post(reverse("care:import_confirm"))
    imported = sorted(Patient.objects.all(), key=lambda p: p.last_name)
    assert [(p.last_name, p.needs) for p in imported] == [
        ("Bouyer", ["oxygen", "isolated_elderly"]),
        ("Gouraud", ["cold_chain", "home_care"]),
    ]
    # The same file again: both are recognised as already there.
    again = html.unescape(_upload(client, CSV).content.decode())
    assert "Déjà inscrit parmi vos patients" in again and "<strong>0</strong> ligne" in again


def test_an_unusable_file_changes_nothing(commune, personas, client_for):
    treating(personas.member, personas.cpts)
    page = _upload(client_for(personas.member), "Nom;Prénom\nBouyer;Yvonne\n").content.decode()
    assert "Colonnes obligatoires absentes : « Commune », « Téléphone », « Besoins »" in page
    assert not Patient.objects.exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_lists_keep_a_constant_number_of_queries(commune, personas, client_for):
    pro = treating(personas.referent, personas.cpts)
    crisis = active_crisis(personas.cpts, personas.referent)
    client = client_for(personas.referent)
    client.post(reverse("care:crisis_reason", args=[crisis.pk]), {"reason": "calls"})
    PatientFactory.create_batch(2, cpts=personas.cpts, commune=commune, followed_by=[pro])
    campaign = services.start_call_campaign(personas.referent, crisis, title="Appels",
                                            needs=[], callers=[personas.referent])  # fmt: skip
    urls = [reverse("care:list"), reverse("care:crisis_patients", args=[crisis.pk]),
            reverse("care:my_calls", args=[campaign.pk]),
            reverse("care:campaign", args=[campaign.pk])]  # fmt: skip
    before = [_queries(client, url) for url in urls]
    others = PatientFactory.create_batch(20, cpts=personas.cpts, commune=commune,
                                         followed_by=[pro])  # fmt: skip
    services.close_call_campaign(personas.referent, campaign)
    campaign = services.start_call_campaign(personas.referent, crisis, title="Appels 2",
                                            needs=[], callers=[personas.referent])  # fmt: skip
    assert campaign.calls.count() == 2 + len(others)
    urls[2:] = [reverse("care:my_calls", args=[campaign.pk]),
                reverse("care:campaign", args=[campaign.pk])]  # fmt: skip
    assert [_queries(client, url) for url in urls] == before


def test_a_whole_register_is_refused(commune, personas, client_for, monkeypatch):
    from tocsin.care import importer

    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    treating(personas.member, personas.cpts)
    page = html.unescape(_upload(client_for(personas.member), CSV).content.decode())
    assert "Plus de 3 lignes : n'importez que vos propres patients" in page
    assert not Patient.objects.exists()
