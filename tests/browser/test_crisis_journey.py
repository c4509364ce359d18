"""An exercise played in a real browser: a CAP alert arrives, the référent activates the
crisis from it, the fiche action becomes tasks, a cell member writes the main courante, a point
de situation is prefilled, validated and sent, and the crisis is lifted."""

import re
from pathlib import Path

import pytest
from django.core import mail

from tests.browser.conftest import screenshot
from tests.browser.test_directory_journey import sign_in_with_totp
from tests.plans.factories import validated_version
from tocsin.core.demo import DEMO_DOMAIN, load_demo
from tocsin.core.models import User
from tocsin.crises import services
from tocsin.crises.models import Crisis, ReportSend
from tocsin.directory.models import Contact
from tocsin.plans.enums import AlertLevel, CellFunction, FicheKind
from tocsin.plans.models import CellMember, Fiche
from tocsin.territory.models import Risk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURE = Path(__file__).resolve().parents[1] / "watch" / "fixtures" / "alerte_canicule_44.xml"


def demo_plan(cpts, coordinator):
    """The demo CPTS with a validated plan: a canicule fiche action and a two-person cell."""
    version = validated_version(cpts, coordinator)
    canicule = Risk.objects.get(cpts=cpts, code="sante.canicule")
    Fiche.objects.filter(version=version, kind=FicheKind.ACTION).delete()
    Fiche.objects.create(
        version=version, kind=FicheKind.ACTION, risk=canicule, alert_level=AlertLevel.ALERT,
        title="Canicule — vigilance orange",
        checklist="Appeler les EHPAD du territoire\nVérifier les stocks d'eau des pharmacies",
    )  # fmt: skip
    for function, email in ((CellFunction.DIRECTION, "referent"),
                            (CellFunction.SECRETARIAT, "cellule.infirmiere")):  # fmt: skip
        contact = Contact.objects.get(cpts=cpts, email=f"{email}@{DEMO_DOMAIN}")
        CellMember.objects.create(version=version, function=function, contact=contact)


def exercise_alert(tmp_path) -> Path:
    """The canicule fixture, as an exercise message (CAP status « Exercise »)."""
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace("<status>Actual</status>", "<status>Exercise</status>")
    text = text.replace(".20260715060000.44.6<", ".20260715060000.44.6.EX<")
    path = tmp_path / "exercice-canicule.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_exercise_from_cap_alert_to_levee(page, tmp_path, settings):
    settings.CRISIS_LIVE_REFRESH_SECONDS = 5
    cpts = load_demo()["cpts"]
    demo_plan(cpts, User.objects.get(email=f"coordination@{DEMO_DOMAIN}"))

    # The référent receives the alert and activates the exercise from it.
    sign_in_with_totp(page, f"referent@{DEMO_DOMAIN}")
    page.goto("/veille/import-cap/")
    page.get_by_label("Fichier CAP (XML) ou flux Atom/RSS").set_input_files(
        exercise_alert(tmp_path)
    )
    page.get_by_role("button", name="Importer").click()
    screenshot(page, "watch-cap-import")
    page.get_by_role("link", name="Vigilance orange canicule en Loire-Atlantique").click()
    screenshot(page, "watch-signal")
    page.get_by_role("link", name="Activer une crise depuis ce signal").click()
    assert page.get_by_label("EXERCICE").is_checked()
    assert page.get_by_label("Intitulé").input_value() == (
        "Vigilance orange canicule en Loire-Atlantique"
    )
    page.get_by_role("button", name="Activer").click()
    assert page.get_by_text("EXERCICE — ceci n'est pas une crise réelle").is_visible()
    assert page.get_by_text("Appeler les EHPAD du territoire").is_visible()
    crisis = Crisis.objects.get(cpts=cpts)
    assert crisis.is_exercise and crisis.signal.is_exercise and crisis.tasks.count() == 2
    page.get_by_role("link", name="Cellule", exact=True).click()
    page.get_by_role("button", name="Noter son arrivée").first.click()
    page.get_by_role("button", name="Se déconnecter").click()

    # A member of the cell writes the main courante from the dashboard.
    sign_in_with_totp(page, f"cellule.infirmiere@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Crises", exact=True).click()
    page.get_by_role("link", name=re.compile("Vigilance orange canicule")).click()
    page.get_by_label("Nature").select_option(label="Action")
    page.get_by_label("Entrée").fill("EHPAD Les Tamaris joint : 3 résidents sous surveillance.")
    page.get_by_role("button", name="Enregistrer l'entrée").click()
    timeline = page.locator(".timeline")
    assert timeline.get_by_text("EHPAD Les Tamaris joint").is_visible()
    page.get_by_role("link", name="Tâches", exact=True).click()
    first = page.locator(".task", has_text="Appeler les EHPAD du territoire")
    first.get_by_role("button", name="Fait").click()
    page.get_by_role("button", name="Se déconnecter").click()

    # The référent prepares, validates and sends a point de situation, then lifts the crisis.
    # Meanwhile the open dashboard picks up what others write, without a reload.
    sign_in_with_totp(page, f"referent@{DEMO_DOMAIN}")
    page.goto(f"/crises/{crisis.pk}/")
    cell_member = User.objects.get(email=f"cellule.kine@{DEMO_DOMAIN}")
    services.add_entry(cell_member, crisis, "received", "Appel de l'ARS : point à 18 h")
    page.locator(".timeline").get_by_text("Appel de l'ARS : point à 18 h").wait_for(timeout=15_000)
    page.get_by_role("button", name="Préparer un point de situation").click()
    actions = page.get_by_label("Décisions et actions")
    assert "EHPAD Les Tamaris joint" in actions.input_value()
    assert "Tâche faite : Appeler les EHPAD du territoire" in actions.input_value()
    assert page.get_by_label("Professionnels mobilisés").input_value() == "1"
    page.get_by_label("Difficultés et besoins").fill("Ventilateurs manquants à l'EHPAD.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_role("button", name="Valider").click()
    ars = page.get_by_label(re.compile("ARS — "))
    assert ars.is_checked()
    page.get_by_role("button", name="Envoyer").click()
    assert page.get_by_text(re.compile("Point de situation envoyé à 2 destinataire")).is_visible()
    assert sorted(ReportSend.objects.values_list("recipient", flat=True)) == [
        f"ars@{DEMO_DOMAIN}", f"prefecture@{DEMO_DOMAIN}"]  # fmt: skip
    sent = [m for m in mail.outbox if "point de situation n° 1" in m.subject]
    assert len(sent) == 2 and sent[0].subject.startswith("[EXERCICE]")
    assert sent[0].attachments[0][2] == "application/pdf"
    screenshot(page, "crisis-report-sent")

    page.get_by_role("link", name="Lever la crise").click()
    page.get_by_label("Synthèse de clôture").fill("Exercice joué ; alerte reçue et traitée.")
    page.get_by_role("button", name="Lever la crise").click()
    assert page.get_by_text("Justificatifs pour le financement ACI").is_visible()
    assert page.get_by_test_id("phase").inner_text() == "Levée"
    evidence = page.get_by_test_id("evidence").inner_text()
    assert re.search(r"Membres présents en cellule de crise\s+1", evidence)
    screenshot(page, "crisis-evidence")
