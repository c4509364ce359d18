"""The RETEX of the demo exercise in a real browser: the référent lifts the exercise, opens its
RETEX, sends the starter questionnaire to the mairies group; a mairie answers on a phone through
the link of its e-mail (captured by a real SMTP server); the référent reads the aggregates,
records a finding and an improvement action, validates and downloads the report, and opens the
new plan draft that carries the action."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_directory_journey import sign_in_with_totp
from tocsin.core.demo import DEMO_DOMAIN, load_demo
from tocsin.crises.demo import EXERCISE_TITLE
from tocsin.directory.models import Group
from tocsin.plans.enums import PlanStatus
from tocsin.retex.models import Review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"https?://\S+/q/[^/\s]+/")


def test_from_the_demo_exercise_to_the_next_plan_draft(page, browser, live_server, smtp_server,
                                                         settings):  # fmt: skip
    settings.SITE_URL = live_server.url
    cpts = load_demo(exercise=True)["cpts"]
    mairies = Group.objects.get(cpts=cpts, name="Mairies du territoire").members.count()
    assert mairies >= 20

    # The référent lifts the demo exercise and opens its RETEX from the evidence page.
    sign_in_with_totp(page, f"referent@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Crises", exact=True).click()
    page.get_by_role("link", name=re.compile(EXERCISE_TITLE)).click()
    page.get_by_role("link", name="Lever la crise").click()
    page.get_by_label("Synthèse de clôture").fill("Exercice joué : EHPAD prévenus, cellule réunie.")
    page.get_by_role("button", name="Lever la crise").click()
    page.get_by_role("button", name="Ouvrir le RETEX").click()
    expect(page.get_by_role("heading", name=f"RETEX — {EXERCISE_TITLE}")).to_be_visible()
    expect(page.get_by_text("EHPAD Les Tamaris joint : plan bleu activé")).to_be_visible()
    figures = page.get_by_test_id("key-figures")
    expect(figures).to_contain_text("Tâches faites")

    # The starter questionnaire goes to the mairies group.
    page.get_by_role("button", name="Préparer le questionnaire RETEX").click()
    page.get_by_role("link", name="Choisir les personnes interrogées").click()
    page.get_by_label("Mairies du territoire").check()
    page.get_by_role("button", name="Enregistrer les personnes interrogées").click()
    expect(page.get_by_test_id("invitation-summary")).to_contain_text(f"{mairies} personnes")
    page.get_by_role("link", name="Ouvrir et envoyer…").click()
    page.get_by_role("button", name=f"Ouvrir et envoyer à {mairies} personnes").click()
    expect(page.get_by_test_id("answered")).to_have_text(f"0 sur {mairies}")
    screenshot(page, "survey-sent")

    # A mairie answers on a phone, through the link of its e-mail, without an account.
    messages = smtp_server.wait_for(mairies)
    mairie = next(m for m in messages if m.rcpt_tos[0].startswith("mairie.44131@"))
    link = LINK.search(mairie.content.decode("utf-8", "replace")).group()
    phone = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 800})
    answer = phone.new_page()
    answer.goto(link)
    expect(answer.get_by_role("heading", name=re.compile("RETEX"))).to_be_visible()
    answer.get_by_role("group", name=re.compile("alerté à temps")).get_by_label("Oui").check()
    # A required question left out: a French message next to it, nothing lost.
    answer.get_by_label("Que faudrait-il changer pour la prochaine fois ?").fill(
        "Prévenir les mairies plus tôt."
    )
    answer.get_by_role("button", name="Envoyer mes réponses").click()
    role = answer.get_by_role("group", name=re.compile("Votre rôle"))
    expect(role).to_contain_text("Répondez à cette question.")
    expect(answer.get_by_label("Que faudrait-il changer pour la prochaine fois ?")).to_have_value(
        "Prévenir les mairies plus tôt."
    )
    role.get_by_label("4").check()
    informed = answer.get_by_role("group", name=re.compile("bien informé"))
    informed.get_by_label("5 — tout à fait").check()
    answer.get_by_role("button", name="Envoyer mes réponses").click()
    expect(answer.get_by_role("status")).to_contain_text("Merci")
    screenshot(answer, "survey-answer-phone")
    phone.close()

    # The référent reads the aggregates on the RETEX page.
    review = Review.objects.get(crisis__cpts=cpts)
    page.goto(f"/retex/{review.pk}/")
    questionnaire = page.locator("#questionnaire")
    expect(questionnaire.get_by_test_id("survey-rate")).to_contain_text(f"1 réponse sur {mairies}")
    expect(questionnaire).to_contain_text("Prévenir les mairies plus tôt.")
    expect(questionnaire.locator("svg").first).to_be_visible()

    # A finding and an improvement action that changes the plan's response section.
    page.get_by_label("Nature").select_option(label="Point à améliorer")
    page.get_by_label("Thème").select_option(label="Alerte et déclenchement")
    finding = "Les mairies ont été prévenues après les EHPAD."
    page.get_by_role("textbox", name="Constat").fill(finding)
    page.get_by_role("button", name="Noter le constat").click()
    expect(page.get_by_test_id("negatives")).to_contain_text("prévenues après les EHPAD")
    page.get_by_label("Action d'amélioration").fill("Ajouter les mairies à la fiche canicule.")
    page.get_by_label("Section du plan concernée").select_option(
        label="3. Réponse : protocoles et fiches action par risque"
    )
    page.get_by_label("Échéance").fill("2027-03-31")
    page.get_by_role("button", name="Ajouter l'action").click()
    expect(page.get_by_test_id("actions")).to_contain_text("Ajouter les mairies à la fiche")
    screenshot(page, "retex-review")

    # The report is validated, then downloaded: a PDF.
    page.get_by_role("button", name="Valider le RETEX").click()
    expect(page.get_by_test_id("review-status")).to_have_text("Validé")
    with page.expect_download() as download:
        page.get_by_role("link", name="Rapport RETEX (PDF)").click()
    assert download.value.suggested_filename.startswith("retex-exercice-")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # Closing the loop: the next plan draft carries the action.
    page.get_by_role("button", name="Lancer la mise à jour du plan").click()
    expect(page.get_by_text("1 action(s) du RETEX y sont reprises")).to_be_visible()
    expect(page.get_by_test_id("improvements")).to_contain_text(
        "Ajouter les mairies à la fiche canicule."
    )
    expect(page.get_by_label("Résumé des changements")).to_have_value(
        re.compile("Ajouter les mairies à la fiche canicule")
    )
    screenshot(page, "retex-plan-draft")
    version = review.actions.get().plan_version
    assert version.status == PlanStatus.DRAFT and version.number == 2
