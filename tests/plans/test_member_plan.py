"""The plan in force as a member professional reads it: public sections, and the fiches réflexe
written for their profession."""

from django.urls import reverse

from tests.plans.factories import validated_version
from tocsin.core.enums import Profession
from tocsin.plans import services
from tocsin.plans.enums import FicheKind, FicheRole, Section
from tocsin.plans.models import Fiche


def test_a_member_reads_the_public_sections_and_the_fiches_of_their_profession(
    personas, client_for
):
    personas.member.profession = Profession.INFIRMIER
    personas.member.save()
    version = validated_version(personas.cpts, personas.coordinator)
    version.sections.filter(key=Section.DIAGNOSIS).update(body="Liste des EHPAD vulnérables")
    version.sections.filter(key=Section.RESPONSE).update(body="Protocole canicule du territoire")
    Fiche.objects.create(version=version, kind=FicheKind.REFLEXE, role=FicheRole.PROFESSIONAL,
                         title="Pharmaciens : stocks", professions=[Profession.PHARMACIEN],
                         checklist="Compter les stocks")  # fmt: skip
    Fiche.objects.create(version=version, kind=FicheKind.REFLEXE, role=FicheRole.PROFESSIONAL,
                         title="Infirmiers : tournées", professions=[Profession.INFIRMIER],
                         checklist="Prévenir vos patients")  # fmt: skip
    page = client_for(personas.member).get(reverse("plans:member_plan")).content.decode()
    assert f"Version {version.number}, validée par le COPIL le 20/11/2026" in page
    assert "Protocole canicule du territoire" in page
    assert "Liste des EHPAD vulnérables" not in page and "9. Annexes" not in page
    assert "Professionnel de santé : à réception d&#x27;une alerte de la CPTS" in page  # all
    assert "Infirmiers : tournées" in page and "Pharmaciens : stocks" not in page
    # A draft in progress is never what members read.
    draft = services.start_plan(personas.coordinator, personas.cpts)
    draft.sections.filter(key=Section.RESPONSE).update(body="Brouillon non validé")
    page = client_for(personas.member).get(reverse("plans:member_plan")).content.decode()
    assert "Brouillon non validé" not in page and "Protocole canicule du territoire" in page


def test_before_any_validation_the_page_says_so_and_authorities_stay_out(personas, client_for):
    page = client_for(personas.member).get(reverse("plans:member_plan")).content.decode()
    assert "pas encore été validé par le COPIL" in page
    assert client_for(personas.authority).get(reverse("plans:member_plan")).status_code == 403
