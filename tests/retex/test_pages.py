"""The RETEX pages: who may do what, the loop to the next plan version, the authority's copy,
and a fixed number of queries whatever the number of findings and actions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ContactFactory, GroupFactory, MembershipFactory
from tests.retex.factories import lifted_exercise, review_with_finding
from tests.retex.test_services import add_action
from tocsin.core.enums import AuthorityBody, Role
from tocsin.core.models import AuditEntry
from tocsin.plans.enums import Section
from tocsin.retex import services
from tocsin.retex.models import Review
from tocsin.surveys import services as surveys
from tocsin.surveys.results import QUOTED_TEXTS


def body_of(response) -> bytes:
    # Reading the stream closes it the way the test client expects; closing it by hand would
    # fire request_finished and close the test's PostgreSQL connection.
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_referent_opens_the_retex_from_the_crisis_evidence(personas, client_for):
    crisis = lifted_exercise(personas.cpts, personas.referent)
    client = client_for(personas.referent)
    evidence = client.get(reverse("crises:evidence", args=[crisis.pk])).content.decode()
    assert "Ouvrir le RETEX" in evidence
    response = client.post(reverse("retex:start", args=[crisis.pk]))
    review = Review.objects.get(crisis=crisis)
    assert response["Location"] == reverse("retex:detail", args=[review.pk])
    page = client.get(response["Location"]).content.decode()
    assert "RETEX — " in page and "EXERCICE — ceci n'est pas une crise réelle" in page
    assert "Appel de l&#x27;ARS : vigilance orange." in page  # the timeline
    assert "Préparer le questionnaire RETEX" in page
    # A second click lands on the same RETEX.
    again = client.post(reverse("retex:start", args=[crisis.pk]), follow=True)
    assert again.redirect_chain[-1][0] == reverse("retex:detail", args=[review.pk])
    assert Review.objects.count() == 1


def test_findings_and_actions_from_the_page(personas, client_for):
    review = review_with_finding(personas.cpts, personas.referent)
    client = client_for(personas.coordinator)
    url = reverse("retex:detail", args=[review.pk])
    finding = {"polarity": "positive", "theme": "roles", "text": "Cellule réunie vite."}
    client.post(reverse("retex:finding_add", args=[review.pk]), finding)
    response = client.post(reverse("retex:action_add", args=[review.pk]),
                           {"description": "", "plan_section": "response"})  # fmt: skip
    assert response.status_code == 200 and "Ce champ est obligatoire." in response.content.decode()
    client.post(reverse("retex:action_add", args=[review.pk]),
                {"description": "Liste des EHPAD à jour", "plan_section": "annexes",
                 "due_on": "2027-02-01"})  # fmt: skip
    page = client.get(url).content.decode()
    assert "Cellule réunie vite." in page and "Liste des EHPAD à jour" in page
    assert "01/02/2027" in page and "9. Annexes et conventions" in page
    action = review.actions.get()
    client.post(reverse("retex:action_status", args=[review.pk, action.pk]), {"status": "doing"})
    action.refresh_from_db()
    assert action.status == "doing"
    assert AuditEntry.objects.filter(code="retex.action.status").count() == 1


def test_cell_members_read_the_retex_but_do_not_change_it(personas, client_for):
    review = review_with_finding(personas.cpts, personas.referent)
    client = client_for(personas.cell_member)
    page = client.get(reverse("retex:detail", args=[review.pk])).content.decode()
    assert "Les EHPAD ont été prévenus tard." in page and "Noter le constat" not in page
    intrusion = {"polarity": "positive", "theme": "roles", "text": "Intrusion"}
    response = client.post(reverse("retex:finding_add", args=[review.pk]), intrusion)
    assert response.status_code == 403 and review.findings.count() == 1
    member = client_for(personas.member)
    assert member.get(reverse("retex:list")).status_code == 403


def test_validate_then_download_the_same_stored_report(personas, client_for):
    review = review_with_finding(personas.cpts, personas.referent)
    client = client_for(personas.referent)
    client.post(reverse("retex:validate", args=[review.pk]))
    review.refresh_from_db()
    assert review.document_sha256
    first = client.get(reverse("retex:report_pdf", args=[review.pk]))
    assert first["X-Document-SHA256"] == review.document_sha256
    assert body_of(first).startswith(b"%PDF")
    assert "no-cache" in first["Cache-Control"]
    assert AuditEntry.objects.filter(code="retex.review.downloaded").count() == 1
    page = client.get(reverse("retex:detail", args=[review.pk])).content.decode()
    assert "Transmettre aux autorités" in page and "Valider le RETEX" not in page


def test_the_authority_downloads_what_was_transmitted_to_its_body_only(personas, client_for):
    review = review_with_finding(personas.cpts, personas.referent)
    services.validate_review(personas.referent, review)
    client = client_for(personas.referent)
    response = client.post(reverse("retex:transmit", args=[review.pk]), {"recipients": ["ars"]})
    assert response.status_code == 302
    ars = client_for(personas.authority)
    listing = ars.get(reverse("retex:authority_list")).content.decode()
    transmission = review.transmissions.get()
    assert reverse("retex:authority_pdf", args=[transmission.pk]) in listing
    pdf = ars.get(reverse("retex:authority_pdf", args=[transmission.pk]))
    assert body_of(pdf).startswith(b"%PDF")
    entry = AuditEntry.objects.get(code="retex.review.downloaded")
    assert entry.actor == personas.authority and entry.data == {"by": "ARS"}
    ars.post(reverse("retex:authority_acknowledge", args=[transmission.pk]))
    listing = ars.get(reverse("retex:authority_list")).content.decode()
    assert "Confirmée le" in listing and "Accuser réception" not in listing
    transmission.refresh_from_db()
    assert transmission.acknowledged_by == personas.authority
    prefecture = MembershipFactory(cpts=personas.cpts, role=Role.AUTHORITY,
                                   authority_body=AuthorityBody.PREFECTURE).user  # fmt: skip
    other = client_for(prefecture)
    assert "Aucun RETEX" in other.get(reverse("retex:authority_list")).content.decode()
    assert other.get(reverse("retex:authority_pdf", args=[transmission.pk])).status_code == 404


def test_plan_update_opens_the_draft_that_carries_the_action(personas, client_for):
    review = review_with_finding(personas.cpts, personas.referent)
    add_action(personas.referent, review, plan_section=Section.RESPONSE)
    client = client_for(personas.referent)
    response = client.post(reverse("retex:plan_update", args=[review.pk]), follow=True)
    version = review.actions.get().plan_version
    assert response.redirect_chain[-1][0] == reverse("plans:version_detail", args=[version.number])
    page = response.content.decode()
    assert "1 action(s) du RETEX y sont reprises" in page
    assert "Actions d'amélioration issues du RETEX à intégrer dans cette section" in page
    assert "Prévenir les EHPAD dès la vigilance jaune." in page
    section = client.get(reverse("plans:section_edit", args=[version.number, "response"]))
    assert "Prévenir les EHPAD dès la vigilance jaune." in section.content.decode()


def test_the_dashboard_shows_late_improvement_actions(personas, client_for):
    review = review_with_finding(personas.cpts, personas.referent)
    late = timezone.localdate() - datetime.timedelta(days=3)
    add_action(personas.referent, review, due_on=late.isoformat())
    page = client_for(personas.coordinator).get(reverse("core:dashboard")).content.decode()
    assert "1 action d'amélioration en retard" in page
    member_page = client_for(personas.member).get(reverse("core:dashboard")).content.decode()
    assert "en retard" not in member_page


@pytest.mark.parametrize("rows", [2, 20])
def test_retex_pages_have_a_fixed_number_of_queries(
    personas, client_for, django_assert_num_queries, rows
):
    review = review_with_finding(personas.cpts, personas.referent)
    for index in range(rows):
        finding = services.add_finding(personas.referent, review, polarity="positive",
                                       theme="tools", text=f"Constat {index}")  # fmt: skip
        # Each action names its finding: the action plan shows it (no query per row).
        add_action(personas.referent, review, description=f"Action {index}", finding=finding.pk,
                   plan_section=Section.RESPONSE, due_on="2027-03-01")  # fmt: skip
    client = client_for(personas.referent)
    # Session, user and memberships, then the page's own reads (the live key figures: ~11,
    # the call campaigns' counts included).
    for url, queries in ((reverse("retex:detail", args=[review.pk]), 23),
                         (reverse("retex:list"), 7)):  # fmt: skip
        client.get(url)  # warms the per-process caches (menu, audit codes)
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_the_retex_page_quotes_the_first_free_texts_and_counts_the_rest(personas, client_for):
    review = review_with_finding(personas.cpts, personas.referent)
    survey = services.prepare_survey(personas.referent, review)
    group = GroupFactory(cpts=personas.cpts)
    group.members.set(ContactFactory.create_batch(25, cpts=personas.cpts))
    surveys.set_audience(personas.referent, survey, groups=[group.pk])
    surveys.open_survey(personas.referent, survey)
    questions = {q.text: q for q in survey.questions.all()}
    for index, respondent in enumerate(survey.respondents.all()):
        surveys.save_answers(respondent, {
            questions["Avez-vous été alerté à temps ?"].pk: "oui",
            questions["Votre rôle et ce que l'on attendait de vous étaient-ils clairs ?"].pk: 4,
            questions["Avez-vous été bien informé pendant toute la durée de la crise ?"].pk: 5,
            questions["Que faudrait-il changer pour la prochaine fois ?"].pk: f"Idée n° {index}",
        }, submit=True)  # fmt: skip
    page = client_for(personas.referent).get(reverse("retex:detail", args=[review.pk]))
    text = page.content.decode()
    assert "25 réponses sur 25 personnes invitées" in text and "(100 %)" in text
    assert text.count("Idée n° ") == QUOTED_TEXTS
    assert "… et 5 autres réponses, sur la page des résultats" in text
    full = client_for(personas.referent).get(reverse("surveys:results", args=[survey.pk]))
    assert full.content.decode().count("Idée n° ") == 25
