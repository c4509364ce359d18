"""The RETEX cycle without HTTP: opening from a lifted crisis, findings and actions, the frozen
report, the sending to the authorities, and the next plan version carrying the actions."""

import datetime
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

from tests.crises.factories import active_crisis
from tests.factories import ContactFactory
from tests.plans.test_documents import page_text
from tests.retex.factories import lifted_exercise, review_with_finding
from tocsin.core.errors import DomainError
from tocsin.core.models import AuditEntry
from tocsin.plans import services as plans
from tocsin.plans.documents import pdf_document
from tocsin.plans.enums import PlanStatus, Section
from tocsin.retex import documents, services
from tocsin.retex.enums import ActionStatus, ReviewStatus
from tocsin.retex.forms import ActionForm
from tocsin.retex.models import ImprovementAction, ReviewTransmission
from tocsin.retex.selectors import retex_followup
from tocsin.surveys import services as surveys
from tocsin.surveys.enums import SurveyStatus


def add_action(actor, review, **data):
    form = ActionForm(data={"description": "Prévenir les EHPAD dès la vigilance jaune.", **data},
                      review=review)  # fmt: skip
    assert form.is_valid(), form.errors
    return services.add_action(actor, review, form)


def report_text(review) -> str:
    html = render_to_string("retex/pdf/report.html", documents.report_context(review))
    return " ".join(page_text(page) for page in pdf_document(html).pages)


def test_a_review_opens_only_once_the_crisis_is_lifted(personas):
    crisis = active_crisis(personas.cpts, personas.referent)
    with pytest.raises(DomainError, match="Levez d'abord la crise"):
        services.start_review(personas.referent, crisis)


def test_a_review_is_prefilled_from_the_closing_and_the_main_courante(personas):
    crisis = lifted_exercise(personas.cpts, personas.referent)
    review = services.start_review(personas.referent, crisis)
    assert review.summary == "Exercice joué ; alerte reçue et traitée."
    timeline = review.timeline
    # Decisions (activation, levée), messages and the cell's own actions; not every information.
    assert "Activation" in timeline and "Levée de la crise" in timeline
    assert "Message reçu — Appel de l'ARS : vigilance orange." in timeline
    assert "Action — EHPAD Les Tamaris joint." in timeline
    assert "Météo consultée" not in timeline
    assert timeline.splitlines()[0].startswith(f"{timezone.localtime(crisis.started_at):%d/%m}")
    assert AuditEntry.objects.filter(code="retex.review.started", cpts=personas.cpts).exists()
    with pytest.raises(DomainError, match="déjà ouvert"):
        services.start_review(personas.referent, crisis)


def test_the_starter_survey_is_attached_once(personas):
    review = review_with_finding(personas.cpts, personas.referent)
    survey = services.prepare_survey(personas.referent, review)
    assert survey.cpts == personas.cpts and survey.is_exercise
    assert survey.status == SurveyStatus.DRAFT and survey.title.startswith("RETEX — ")
    assert survey.questions.count() >= 6
    with pytest.raises(DomainError, match="déjà son questionnaire"):
        services.prepare_survey(personas.referent, review)


def test_validation_needs_a_summary_and_a_finding(personas):
    crisis = lifted_exercise(personas.cpts, personas.referent)
    review = services.start_review(personas.referent, crisis)
    with pytest.raises(DomainError, match="au moins un constat"):
        services.validate_review(personas.referent, review)
    services.add_finding(personas.referent, review, polarity="positive", theme="roles",
                         text="Cellule réunie en 40 minutes.")  # fmt: skip
    review.summary = " "
    with pytest.raises(DomainError, match="Rédigez la synthèse"):
        services.validate_review(personas.referent, review)
    assert review.status == ReviewStatus.DRAFT and not review.document


def test_validation_freezes_figures_and_report_then_nothing_changes(personas):
    review = review_with_finding(personas.cpts, personas.referent)
    add_action(personas.referent, review, plan_section=Section.RESPONSE)
    services.validate_review(personas.referent, review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.VALIDATED
    assert review.figures["tasks"] == 2 and review.figures["tasks_done"] == 1
    assert review.figures["entries"] == review.crisis.entries.count()
    with default_storage.open(review.document.name, "rb") as stored:
        content = stored.read()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == review.document_sha256
    with pytest.raises(DomainError, match="ne se modifie plus"):
        services.add_finding(personas.referent, review, polarity="positive", theme="roles",
                             text="Trop tard")  # fmt: skip
    with pytest.raises(DomainError, match="ne se modifie plus"):
        services.validate_review(personas.referent, review)
    # The actions are still followed after validation.
    action = review.actions.get()
    services.set_action_status(personas.referent, action, ActionStatus.DONE)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.done_on == timezone.localdate()


def test_the_report_has_every_part_and_says_exercice(personas):
    review = review_with_finding(personas.cpts, personas.referent)
    owner = ContactFactory(cpts=personas.cpts, first_name="Anne", last_name="Rivière")
    add_action(personas.referent, review, owner=owner.pk, due_on="2027-01-15",
               plan_section=Section.RESPONSE)  # fmt: skip
    text = report_text(review)
    for expected in ("Retour d'expérience de l'exercice", "EXERCICE", "Synthèse",
                     "Exercice joué ; alerte reçue et traitée.", "Chronologie",
                     "Appel de l'ARS : vigilance orange.", "Chiffres clés", "Tâches faites",
                     "Les EHPAD ont été prévenus tard.", "Prévenir les EHPAD dès la vigilance",
                     "Anne Rivière", "15/01/2027", "Document de travail"):  # fmt: skip
        assert expected in text, expected


def test_transmission_needs_validation_and_goes_once_to_each_authority(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    review = review_with_finding(personas.cpts, personas.referent)
    with pytest.raises(DomainError, match="Validez d'abord"):
        services.transmit_review(personas.referent, review, ["ars"])
    services.validate_review(personas.referent, review)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.transmit_review(personas.referent, review, ["ars", "cpam"])
    assert sent == ["ars", "cpam"]
    assert review.status == ReviewStatus.TRANSMITTED
    [mail] = mailoutbox  # the ARS persona; nobody of the CPAM is a member
    assert mail.to == [personas.authority.email] and mail.subject.startswith("[EXERCICE]")
    assert "/retex/transmis/" in mail.body
    assert services.transmit_review(personas.referent, review, ["ars", "prefecture"]) == [
        "prefecture"
    ]
    with pytest.raises(DomainError, match="déjà été transmis"):
        services.transmit_review(personas.referent, review, ["ars"])
    assert ReviewTransmission.objects.filter(review=review).count() == 3


def test_plan_update_carries_the_open_actions_into_the_next_draft(personas):
    review = review_with_finding(personas.cpts, personas.referent)
    finding = review.findings.get()
    owner = ContactFactory(cpts=personas.cpts, first_name="Anne", last_name="Rivière")
    carried = add_action(personas.referent, review, finding=finding.pk, owner=owner.pk,
                         due_on="2027-01-15", plan_section=Section.RESPONSE)  # fmt: skip
    no_section = add_action(personas.referent, review, description="Acheter des ventilateurs.")
    done = add_action(personas.referent, review, description="Relire la fiche.",
                      plan_section=Section.ANNEXES)  # fmt: skip
    services.set_action_status(personas.referent, done, ActionStatus.DONE)

    version, count = services.start_plan_update(personas.referent, review)
    assert count == 1 and version.status == PlanStatus.DRAFT and version.number == 2
    carried.refresh_from_db()
    no_section.refresh_from_db()
    assert carried.plan_version == version and no_section.plan_version is None
    summary = version.change_summary
    assert f"Actions d'amélioration issues du {review} :" in summary
    assert (
        "- 3. Réponse : protocoles et fiches action par risque : Prévenir les EHPAD dès la "
        "vigilance jaune. (responsable : Anne Rivière), échéance 15/01/2027"
    ) in summary
    assert "ventilateurs" not in summary

    # Again: the same draft, and nothing carried twice.
    assert services.start_plan_update(personas.referent, review) == (version, 0)
    assert version.change_summary.count("Prévenir les EHPAD") == 1


def test_plan_update_refuses_a_version_waiting_for_the_copil(personas):
    review = review_with_finding(personas.cpts, personas.referent)
    add_action(personas.referent, review, plan_section=Section.RESPONSE)
    draft = plans.start_plan(personas.referent, personas.cpts)
    draft.change_summary = "Mise à jour annuelle."
    draft.save()
    plans.submit_version(personas.referent, draft)
    with pytest.raises(DomainError, match="soumise au COPIL"):
        services.start_plan_update(personas.referent, review)
    assert not ImprovementAction.objects.filter(plan_version__isnull=False).exists()


def test_the_dashboard_follows_late_actions_and_crises_without_retex(personas):
    crisis = lifted_exercise(personas.cpts, personas.referent)
    followup = retex_followup(personas.cpts)
    assert followup["waiting"] == [crisis] and followup["overdue_count"] == 0
    review = services.start_review(personas.referent, crisis)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = add_action(personas.referent, review, due_on=yesterday.isoformat())
    add_action(personas.referent, review, due_on="2099-01-01", description="Plus tard.")
    followup = retex_followup(personas.cpts)
    assert followup["waiting"] == [] and followup["overdue"] == [late]
    services.set_action_status(personas.referent, late, ActionStatus.DONE)
    assert retex_followup(personas.cpts) is None


def test_the_questionnaire_of_a_retex_cannot_be_deleted(personas):
    review = review_with_finding(personas.cpts, personas.referent)
    survey = services.prepare_survey(personas.referent, review)
    with pytest.raises(DomainError, match="celui d'un RETEX"):
        surveys.delete_survey(personas.referent, survey)
    review.refresh_from_db()
    assert review.survey == survey
    assert not AuditEntry.objects.filter(code="surveys.survey.deleted").exists()
