"""Every URL of the project × every persona: who may read or write, and no cross-tenant leak.

The walk covers each route the day it is added. A new route fails here until its view goes
through an access helper (tocsin.core.access) and, when it takes parameters, until
URL_SAMPLES says how to build them for a given CPTS.
"""

from datetime import timedelta

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.conftest import login
from tests.plans.factories import validated_version
from tocsin.alerts.links import token_for
from tocsin.alerts.models import Campaign, Delivery, Recipient
from tocsin.care.models import AccessLog, Call, CallCampaign, Deletion, Patient
from tocsin.core.enums import Role
from tocsin.core.models import AuditEntry, Membership
from tocsin.crises import logbook
from tocsin.crises.models import CellSeat, Crisis, LogEntry, ReportSend, SituationReport, Task
from tocsin.directory.freshness import SALT
from tocsin.directory.models import Contact, DetailsRequest, Group, ImportRun, Organisation
from tocsin.exercises.models import FiredInject, Inject, Observation, Play, Scenario
from tocsin.plans import services
from tocsin.plans.models import CellMember, Fiche, PlanSection, PlanVersion, Transmission
from tocsin.resources.models import Capacity, Equipment, HumanResource, Premises, Stock
from tocsin.retex.models import Finding, ImprovementAction, Review, ReviewTransmission
from tocsin.surveys import links as survey_links
from tocsin.surveys.models import Answer as SurveyAnswer
from tocsin.surveys.models import Question as SurveyQuestion
from tocsin.surveys.models import Respondent, Survey
from tocsin.surveys.models import Section as SurveySection
from tocsin.territory.models import Risk, TerritoryCommune
from tocsin.training import links as training_links
from tocsin.training.models import Registration as TrainingRegistration
from tocsin.training.models import Session as TrainingSession
from tocsin.training.models import Training
from tocsin.watch.models import Attachment, Feed, Fetch, Signal

# How to fill each parameterised route with objects belonging to `cpts`.
URL_SAMPLES = {
    "core:member_edit": lambda cpts: {
        "pk": Membership.objects.filter(cpts=cpts, role="member").first().pk
    },
    "core:password_reset_confirm": lambda cpts: {"uidb64": "MQ", "token": "set-password"},
    "territory:commune_remove": lambda cpts: {
        "pk": TerritoryCommune.objects.filter(cpts=cpts).first().pk
    },
}
URL_SAMPLES["directory:details_review"] = lambda cpts: {
    "pk": DetailsRequest.objects.filter(cpts=cpts).first().pk
}
URL_SAMPLES["directory:details_answer"] = lambda cpts: {
    "token": signing.dumps(DetailsRequest.objects.filter(cpts=cpts).first().pk, salt=SALT)
}
NOT_TENANT_SCOPED_EXTRA = {"directory:details_answer"}  # a signed link is its own capability
for _name in ("directory:import_detail", "directory:import_apply"):
    URL_SAMPLES[_name] = lambda cpts: {"pk": ImportRun.objects.filter(cpts=cpts).first().pk}
for _kind, _model in (("contact", Contact), ("organisation", Organisation), ("group", Group)):
    for _action in ("detail", "edit", "delete"):
        URL_SAMPLES[f"directory:{_kind}_{_action}"] = lambda cpts, m=_model: {
            "pk": m.objects.filter(cpts=cpts).first().pk
        }


RESOURCE_MODELS = {
    "premises": Premises,
    "equipment": Equipment,
    "stock": Stock,
    "human": HumanResource,
    "capacity": Capacity,
}
for _kind, _model in RESOURCE_MODELS.items():
    for _action in ("detail", "edit", "delete", "check"):
        URL_SAMPLES[f"resources:{_kind}_{_action}"] = lambda cpts, m=_model: {
            "pk": m.objects.filter(cpts=cpts).first().pk
        }


PLAN_ROUTES = [
    "version_detail", "organisation_edit", "cell_edit", "summary_edit", "fiche_list",
    "fiche_create", "fiches_add_missing", "version_submit", "version_reopen", "version_validate",
    "version_transmit", "version_pdf", "version_docx",
]  # fmt: skip
for _name in PLAN_ROUTES:
    URL_SAMPLES[f"plans:{_name}"] = lambda cpts: {"number": _open_plan(cpts).number}
URL_SAMPLES["plans:section_edit"] = lambda cpts: {
    "number": _open_plan(cpts).number,
    "key": "training",
}
for _name in ("fiche_edit", "fiche_delete"):
    URL_SAMPLES[f"plans:{_name}"] = lambda cpts: {
        "number": _open_plan(cpts).number,
        "pk": _open_plan(cpts).fiches.first().pk,
    }
for _name in ("plans:authority_acknowledge", "plans:authority_pdf"):
    URL_SAMPLES[_name] = lambda cpts: {
        "pk": Transmission.objects.filter(version__cpts=cpts).first().pk
    }


# Plan versions are addressed by their number, which each CPTS counts on its own: the same URL
# means "my version 2" for everyone. Cross-tenant access is what the content check rules out.
NUMBER_KEYED = {f"plans:{name}" for name in PLAN_ROUTES} | {"plans:section_edit"}
NOT_TENANT_SCOPED_EXTRA |= NUMBER_KEYED


def _open_plan(cpts):
    return PlanVersion.objects.get(cpts=cpts, status="draft")


@pytest.fixture(autouse=True)
def plans_in_both_cpts(personas):
    """A transmitted version 1 and a draft version 2 in each CPTS, for the plan routes."""
    for cpts, coordinator in ((personas.cpts, personas.coordinator),
                              (personas.other_cpts, personas.outsider)):  # fmt: skip
        version = validated_version(cpts, coordinator)
        services.transmit_version(coordinator, version, ["ars"])
        services.start_plan(coordinator, cpts)


# --- crises ---
CRISIS_ROUTES = [
    "dashboard", "phase", "close", "evidence", "evidence_csv", "evidence_pdf", "cell", "cell_add",
    "log", "log_verify", "log_csv", "log_pdf", "tasks", "reports", "report_prepare",
]  # fmt: skip
for _name in CRISIS_ROUTES:
    URL_SAMPLES[f"crises:{_name}"] = lambda cpts: {"pk": _crisis(cpts).pk}
for _name in ("seat_join", "seat_leave"):
    URL_SAMPLES[f"crises:{_name}"] = lambda cpts: {
        "pk": _crisis(cpts).pk,
        "seat": _crisis(cpts).seats.first().pk,
    }
for _name in ("task_edit", "task_status"):
    URL_SAMPLES[f"crises:{_name}"] = lambda cpts: {
        "pk": _crisis(cpts).pk,
        "task": _crisis(cpts).tasks.first().pk,
    }
URL_SAMPLES["crises:authority_report_pdf"] = lambda cpts: {
    "pk": SituationReport.objects.get(crisis__cpts=cpts).pk
}
for _name in ("report_detail", "report_validate", "report_send", "report_pdf"):
    URL_SAMPLES[f"crises:{_name}"] = lambda cpts: {"pk": _crisis(cpts).pk, "number": 1}


def _crisis(cpts):
    return Crisis.objects.get(cpts=cpts)


@pytest.fixture(autouse=True)
def crises_in_both_cpts(personas, plans_in_both_cpts):
    """An active exercise in each CPTS: a seat, a task, an entry and a point de situation sent.

    Built row by row (the services are tested in tests/crises): this runs before each of the
    thousands of tests here.
    """
    for cpts in (personas.cpts, personas.other_cpts):
        crisis = Crisis.objects.create(
            cpts=cpts, title="Exercice", crisis_type=2, phase="alerte", is_exercise=True,
            started_at=timezone.now(),
        )  # fmt: skip
        contact = Contact.objects.filter(cpts=cpts).first()
        CellSeat.objects.create(crisis=crisis, function="direction", contact=contact)
        Task.objects.create(crisis=crisis, title="Appeler les EHPAD")
        logbook.append(crisis, "decision", "Activation de l'exercice.")
        SituationReport.objects.create(
            crisis=crisis, number=1, status="sent", period_start=crisis.started_at,
            period_end=timezone.now(), document=ContentFile(b"%PDF-1.7", name="point.pdf"),
        )  # fmt: skip


# --- alerts ---
for _name in ("edit", "delete", "send"):
    URL_SAMPLES[f"alerts:{_name}"] = lambda cpts: {
        "pk": Campaign.objects.get(cpts=cpts, kind="alert", status="draft").pk
    }
for _name in ("rollcall", "remind", "close", "rollcall_csv"):
    URL_SAMPLES[f"alerts:{_name}"] = lambda cpts: {
        "pk": Campaign.objects.get(cpts=cpts, kind="alert", status="sent").pk
    }
for _name in ("info_edit", "info_delete", "info_send"):
    URL_SAMPLES[f"alerts:{_name}"] = lambda cpts: {
        "pk": Campaign.objects.get(cpts=cpts, kind="newsletter", status="draft").pk
    }
for _name in ("info_followup", "archive_detail"):
    URL_SAMPLES[f"alerts:{_name}"] = lambda cpts: {
        "pk": Campaign.objects.get(cpts=cpts, kind="newsletter", status="sent").pk
    }
# Provider callbacks: the secret in the URL is not a CPTS object (none is set in tests: 404).
for _name in ("alerts:receipts", "alerts:inbound"):
    URL_SAMPLES[_name] = lambda cpts: {"provider": "essai", "token": "secret-inconnu"}
URL_SAMPLES["alert_answer"] = lambda cpts: {
    "token": token_for(Recipient.objects.filter(campaign__cpts=cpts).first().pk)
}
NOT_TENANT_SCOPED_EXTRA |= {"alerts:receipts", "alerts:inbound", "alert_answer"}


def is_provider_callback(name) -> bool:
    """SMS providers' callbacks, and the e-mail providers' ones mounted from django-anymail."""
    return name in ("alerts:receipts", "alerts:inbound") or name.startswith("anymail:")


@pytest.fixture(autouse=True)
def alerts_in_both_cpts(personas, crises_in_both_cpts):
    """A draft, and a campaign sent in the crisis with one recipient and its delivery, per CPTS;
    and a newsletter drafted and one sent (e-mail only, no crisis) with one recipient."""
    for cpts in (personas.cpts, personas.other_cpts):
        Campaign.objects.create(cpts=cpts, title="Brouillon", body="À envoyer",
                                audience={"volunteers": True})  # fmt: skip
        sent = Campaign.objects.create(
            cpts=cpts, crisis=Crisis.objects.get(cpts=cpts), title="Rappel des renforts",
            body="Êtes-vous disponible ?", status="sent", sent_at=timezone.now(),
        )  # fmt: skip
        contact = Contact.objects.filter(cpts=cpts).first()
        recipient = Recipient.objects.create(
            campaign=sent, contact=contact, name=contact.full_name, routes=[["sms", "+33612345678"]]
        )
        Delivery.objects.create(
            cpts=cpts, campaign=sent, recipient=recipient, channel="sms", address="+33612345678",
            idempotency_key=f"{sent.pk}:{recipient.pk}:initial:sms", due_at=timezone.now(),
            queued_at=timezone.now(),
        )  # fmt: skip
        plain = {"kind": "newsletter", "ask_availability": False, "next_channel_after": None,
                 "backup_after": None}  # fmt: skip
        Campaign.objects.create(cpts=cpts, title="Lettre en préparation", body="À envoyer",
                                audience={"volunteers": True}, **plain)  # fmt: skip
        letter = Campaign.objects.create(cpts=cpts, title="Lettre d'information", body="Texte",
                                         status="sent", sent_at=timezone.now(),
                                         **plain)  # fmt: skip
        Recipient.objects.create(campaign=letter, contact=contact, name=contact.full_name,
                                 routes=[["email", contact.email]])  # fmt: skip


# --- surveys ---
SURVEY_DRAFT_ROUTES = ["edit", "delete", "section_add", "question_add", "audience", "open"]
SURVEY_OPEN_ROUTES = ["detail", "results", "results_csv", "results_xlsx", "remind", "close"]
for _name in SURVEY_DRAFT_ROUTES:
    URL_SAMPLES[f"surveys:{_name}"] = lambda cpts: {"pk": _survey(cpts, "draft").pk}
for _name in SURVEY_OPEN_ROUTES:
    URL_SAMPLES[f"surveys:{_name}"] = lambda cpts: {"pk": _survey(cpts, "open").pk}
for _name in ("section_rename", "section_delete"):
    URL_SAMPLES[f"surveys:{_name}"] = lambda cpts: {
        "pk": _survey(cpts, "draft").pk,
        "section": _survey(cpts, "draft").sections.first().pk,
    }
for _name in ("question_edit", "question_delete", "question_move"):
    URL_SAMPLES[f"surveys:{_name}"] = lambda cpts: {
        "pk": _survey(cpts, "draft").pk,
        "question": _survey(cpts, "draft").questions.first().pk,
    }
URL_SAMPLES["survey_answer"] = lambda cpts: {
    "token": survey_links.token_for(Respondent.objects.filter(survey__cpts=cpts).first().pk)
}
URL_SAMPLES["survey_open"] = lambda cpts: {"token": _survey(cpts, "open").public_token}
NOT_TENANT_SCOPED_EXTRA |= {"survey_answer", "survey_open"}  # signed link, unguessable token


def _survey(cpts, status):
    return Survey.objects.get(cpts=cpts, status=status)


@pytest.fixture(autouse=True)
def surveys_in_both_cpts(personas):
    """A draft with a part and a question, and an open survey one invited person answered."""
    now = timezone.now()
    for cpts in (personas.cpts, personas.other_cpts):
        draft = Survey.objects.create(cpts=cpts, title="Questionnaire en préparation")
        section = SurveySection.objects.create(survey=draft, title="L'alerte")
        SurveyQuestion.objects.create(survey=draft, section=section, kind="yes_no",
                                      text="Alerté à temps ?")  # fmt: skip
        opened = Survey.objects.create(
            cpts=cpts, title="RETEX", status="open", opened_at=now, closes_at=now + timedelta(7),
            allows_open_link=True, public_token=f"lien-ouvert-{cpts.slug}",
        )  # fmt: skip
        section = SurveySection.objects.create(survey=opened, title="L'alerte")
        question = SurveyQuestion.objects.create(survey=opened, section=section, kind="yes_no",
                                                 text="Alerté à temps ?")  # fmt: skip
        contact = Contact.objects.filter(cpts=cpts).first()
        respondent = Respondent.objects.create(
            survey=opened, contact=contact, name=contact.full_name, email=contact.email,
            kind="Centre hospitalier", invited_at=now, saved_at=now, submitted_at=now,
        )  # fmt: skip
        SurveyAnswer.objects.create(respondent=respondent, question=question, value="oui")


# --- training ---
for _name in ("training_detail", "training_edit", "session_new"):
    URL_SAMPLES[f"training:{_name}"] = lambda cpts: {"pk": Training.objects.get(cpts=cpts).pk}
for _name in ("session_detail", "session_edit", "session_invite", "attendance_save",
              "attendance_add"):  # fmt: skip
    URL_SAMPLES[f"training:{_name}"] = lambda cpts: {"pk": _training_session(cpts).pk}
URL_SAMPLES["training:certificate_pdf"] = lambda cpts: {
    "pk": _training_session(cpts).pk,
    "registration": _training_registration(cpts).pk,
}
for _name in ("register", "register_ics", "register_certificate"):
    URL_SAMPLES[f"training:{_name}"] = lambda cpts: {
        "token": training_links.token_for(_training_registration(cpts).pk)
    }
NOT_TENANT_SCOPED_EXTRA |= {"training:register", "training:register_ics",
                            "training:register_certificate"}  # signed links  # fmt: skip


def _training_session(cpts):
    return TrainingSession.objects.get(cpts=cpts)


def _training_registration(cpts):
    return TrainingRegistration.objects.get(session__cpts=cpts)


@pytest.fixture(autouse=True)
def training_in_both_cpts(personas):
    """A training held today, with one participant registered and marked present, per CPTS."""
    now = timezone.localtime()
    for cpts in (personas.cpts, personas.other_cpts):
        training = Training.objects.create(cpts=cpts, title="AFGSU SSE", kind="afgsu_sse",
                                           duration_hours=7, validity_months=48)  # fmt: skip
        held = TrainingSession.objects.create(
            cpts=cpts, training=training, date=now.date(), start_time="00:00",
            end_time="23:59", place="Maison de santé", capacity=10,
        )  # fmt: skip
        contact = Contact.objects.filter(cpts=cpts).first()
        TrainingRegistration.objects.create(
            session=held, contact=contact, name=contact.full_name, email=contact.email,
            status="registered", registered_at=now, attended=True, attendance_noted_at=now,
        )  # fmt: skip


for _action in ("detail", "edit", "delete"):
    URL_SAMPLES[f"territory:risk_{_action}"] = lambda cpts: {
        "pk": Risk.objects.filter(cpts=cpts).first().pk
    }


# --- watch ---
URL_SAMPLES["watch:signal_detail"] = lambda cpts: {
    "pk": Signal.objects.filter(cpts=cpts).first().pk
}
URL_SAMPLES["watch:attachment"] = lambda cpts: {
    "signal_pk": Attachment.objects.filter(signal__cpts=cpts).first().signal_id,
    "pk": Attachment.objects.filter(signal__cpts=cpts).first().pk,
}
for _name in ("feed_edit", "feed_delete", "feed_poll"):
    URL_SAMPLES[f"watch:{_name}"] = lambda cpts: {"pk": Feed.objects.filter(cpts=cpts).first().pk}


# --- retex ---
URL_SAMPLES["retex:start"] = lambda cpts: {"crisis": _crisis(cpts).pk}
RETEX_ROUTES = ["detail", "edit", "survey_prepare", "finding_add", "action_add", "validate",
                "report_pdf", "transmit", "plan_update"]  # fmt: skip
for _name in RETEX_ROUTES:
    URL_SAMPLES[f"retex:{_name}"] = lambda cpts: {"pk": Review.objects.get(cpts=cpts).pk}
URL_SAMPLES["retex:finding_delete"] = lambda cpts: {
    "pk": Review.objects.get(cpts=cpts).pk,
    "finding": Finding.objects.get(review__cpts=cpts).pk,
}
for _name in ("action_edit", "action_status"):
    URL_SAMPLES[f"retex:{_name}"] = lambda cpts: {
        "pk": Review.objects.get(cpts=cpts).pk,
        "action": ImprovementAction.objects.get(cpts=cpts).pk,
    }
for _name in ("retex:authority_pdf", "retex:authority_acknowledge"):
    URL_SAMPLES[_name] = lambda cpts: {"pk": ReviewTransmission.objects.get(review__cpts=cpts).pk}


@pytest.fixture(autouse=True)
def retex_in_both_cpts(personas, crises_in_both_cpts):
    """A RETEX transmitted to the ARS, with a finding and an action, per CPTS."""
    for cpts in (personas.cpts, personas.other_cpts):
        review = Review.objects.create(
            cpts=cpts, crisis=Crisis.objects.get(cpts=cpts), summary="Synthèse",
            status="transmitted", document=ContentFile(b"%PDF-1.7", name="retex.pdf"),
        )  # fmt: skip
        finding = Finding.objects.create(review=review, polarity="negative", theme="alert",
                                         text="Alerte tardive")  # fmt: skip
        ImprovementAction.objects.create(cpts=cpts, review=review, finding=finding,
                                         description="Alerter plus tôt")  # fmt: skip
        ReviewTransmission.objects.create(review=review, recipient="ars")


# --- exercises ---
for _name in ("scenario_detail", "scenario_edit", "inject_add", "start"):
    URL_SAMPLES[f"exercises:{_name}"] = lambda cpts: {"pk": Scenario.objects.get(cpts=cpts).pk}
for _name in ("inject_edit", "inject_delete"):
    URL_SAMPLES[f"exercises:{_name}"] = lambda cpts: {
        "pk": Scenario.objects.get(cpts=cpts).pk,
        "inject": Inject.objects.get(scenario__cpts=cpts).pk,
    }
for _name in ("console", "observe"):
    URL_SAMPLES[f"exercises:{_name}"] = lambda cpts: {"pk": Play.objects.get(crisis__cpts=cpts).pk}
URL_SAMPLES["exercises:fire"] = lambda cpts: {
    "pk": Play.objects.get(crisis__cpts=cpts).pk,
    "inject": Inject.objects.get(scenario__cpts=cpts).pk,
}


@pytest.fixture(autouse=True)
def exercises_in_both_cpts(personas, crises_in_both_cpts):
    """A scenario of one inject played in the exercise of each CPTS, not fired yet."""
    for cpts in (personas.cpts, personas.other_cpts):
        scenario = Scenario.objects.create(cpts=cpts, title="Canicule", crisis_type=2)
        inject = Inject.objects.create(scenario=scenario, channel="phone", content="Appel EHPAD")
        play = Play.objects.create(crisis=Crisis.objects.get(cpts=cpts), scenario=scenario,
                                   fires_on_schedule=False)  # fmt: skip
        Observation.objects.create(play=play, inject=inject, actual="Vu", rating="met")


# --- care (continuity of care) ---
for _name in ("detail", "edit", "verify", "delete"):
    URL_SAMPLES[f"care:{_name}"] = lambda cpts: {"pk": Patient.objects.get(cpts=cpts).pk}
for _name in ("crisis_patients", "crisis_reason", "crisis_pdf", "crisis_map", "crisis_layer",
              "campaign_new"):  # fmt: skip
    URL_SAMPLES[f"care:{_name}"] = lambda cpts: {"crisis": _crisis(cpts).pk}
for _name in ("campaign", "campaign_close", "campaign_reassign", "my_calls"):
    URL_SAMPLES[f"care:{_name}"] = lambda cpts: {"pk": CallCampaign.objects.for_cpts(cpts).get().pk}
URL_SAMPLES["care:call_record"] = lambda cpts: {
    "pk": CallCampaign.objects.for_cpts(cpts).get().pk,
    "call": Call.objects.get(campaign__crisis__cpts=cpts).pk,
}


@pytest.fixture(autouse=True)
def care_in_both_cpts(personas, crises_in_both_cpts):
    """A patient followed by every member of each CPTS (each linked to a directory entry), in a
    call campaign of its exercise; the member (the outsider in the other CPTS) makes the call."""
    for cpts in (personas.cpts, personas.other_cpts):
        commune = TerritoryCommune.objects.filter(cpts=cpts).first().commune
        patient = Patient.objects.create(
            cpts=cpts, last_name="Patient", phone="+33639980000", needs=["oxygen"],
            commune=commune, legal_basis="care", basis_recorded_on=timezone.localdate(),
            verified_on=timezone.localdate(),
        )  # fmt: skip
        for membership in Membership.objects.filter(cpts=cpts).exclude(role="authority"):
            membership.contact = Contact.objects.create(cpts=cpts, last_name=str(membership.pk))
            membership.save(update_fields=["contact"])
            patient.professionals.add(membership.contact)
        campaign = CallCampaign.objects.create(crisis=_crisis(cpts), title="Appels")
        caller = personas.member if cpts == personas.cpts else personas.outsider
        Call.objects.create(campaign=campaign, patient=patient, commune=commune, caller=caller)


def tenant_rows(cpts) -> dict:
    """What a cross-tenant write could change in `cpts`."""
    models = (
        Membership,
        TerritoryCommune,
        Contact,
        Organisation,
        Group,
        ImportRun,
        DetailsRequest,
        Risk,
        *RESOURCE_MODELS.values(),
    )
    rows = {m.__name__: list(m.objects.filter(cpts=cpts).order_by("pk").values()) for m in models}
    for model in (PlanSection, Fiche, CellMember, Transmission):
        rows[model.__name__] = list(
            model.objects.filter(version__cpts=cpts).order_by("pk").values()
        )
    rows["PlanVersion"] = list(PlanVersion.objects.filter(cpts=cpts).order_by("pk").values())
    rows["Crisis"] = list(Crisis.objects.filter(cpts=cpts).order_by("pk").values())
    for model in (CellSeat, LogEntry, Task, SituationReport):
        rows[model.__name__] = list(model.objects.filter(crisis__cpts=cpts).order_by("pk").values())
    rows["ReportSend"] = list(ReportSend.objects.filter(report__crisis__cpts=cpts).values())
    # --- alerts ---
    for model in (Campaign, Delivery):
        rows[model.__name__] = list(model.objects.filter(cpts=cpts).order_by("pk").values())
    rows["Recipient"] = list(Recipient.objects.filter(campaign__cpts=cpts).order_by("pk").values())
    # --- retex ---
    for model in (Review, ImprovementAction):
        rows[model.__name__] = list(model.objects.filter(cpts=cpts).order_by("pk").values())
    for model in (Finding, ReviewTransmission):
        rows[model.__name__] = list(model.objects.filter(review__cpts=cpts).order_by("pk").values())
    # --- surveys ---
    rows["Survey"] = list(Survey.objects.filter(cpts=cpts).order_by("pk").values())
    for model in (SurveySection, SurveyQuestion, Respondent):
        rows[f"survey {model.__name__}"] = list(
            model.objects.filter(survey__cpts=cpts).order_by("pk").values()
        )
    rows["survey Answer"] = list(
        SurveyAnswer.objects.filter(respondent__survey__cpts=cpts).order_by("pk").values()
    )
    # --- exercises ---
    rows["Scenario"] = list(Scenario.objects.filter(cpts=cpts).order_by("pk").values())
    rows["Inject"] = list(Inject.objects.filter(scenario__cpts=cpts).order_by("pk").values())
    rows["Play"] = list(Play.objects.for_cpts(cpts).order_by("pk").values())
    for model in (FiredInject, Observation):
        rows[model.__name__] = list(
            model.objects.filter(play__crisis__cpts=cpts).order_by("pk").values()
        )
    # --- training ---
    for model in (Training, TrainingSession):
        rows[f"training {model.__name__}"] = list(
            model.objects.filter(cpts=cpts).order_by("pk").values()
        )
    rows["training Registration"] = list(
        TrainingRegistration.objects.filter(session__cpts=cpts).order_by("pk").values()
    )
    # --- care ---
    rows["Patient"] = list(Patient.objects.filter(cpts=cpts).order_by("pk").values())
    rows["CallCampaign"] = list(CallCampaign.objects.for_cpts(cpts).order_by("pk").values())
    rows["Call"] = list(Call.objects.filter(campaign__crisis__cpts=cpts).order_by("pk").values())
    rows["AccessLog"] = list(AccessLog.objects.filter(cpts=cpts).order_by("pk").values())
    rows["Deletion"] = list(Deletion.objects.filter(cpts=cpts).order_by("pk").values())
    # --- watch ---
    rows["Signal"] = list(Signal.objects.filter(cpts=cpts).order_by("pk").values())
    rows["Feed"] = list(Feed.objects.filter(cpts=cpts).order_by("pk").values())
    for model, parent in ((Attachment, "signal"), (Fetch, "feed")):
        rows[model.__name__] = list(
            model.objects.filter(**{f"{parent}__cpts": cpts}).order_by("pk").values()
        )
    return rows


# A POST that would change something on any route if it were let through.
WRITE_ATTEMPT = {
    "remove": "1",
    "role": "coordinator",
    "codes": "44131",
    "name": "Intrusion",
    "last_name": "Intrusion",
    "kind": "ch",
}
# Routes whose parameters do not point at CPTS-owned objects.
NOT_TENANT_SCOPED = {"core:password_reset_confirm"}


def walk(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry


ROUTES = dict(walk())
# Each persona's role in the first CPTS (see tests/conftest.py); the outsider has none there.
ROLE_IN_CPTS = {
    "anonymous": None,
    "coordinator": Role.COORDINATOR,
    "referent": Role.REFERENT,
    "cell_member": Role.CELL_MEMBER,
    "member": Role.MEMBER,
    "authority": Role.AUTHORITY,
    "outsider": None,
}
PERSONAS = list(ROLE_IN_CPTS)


def tenant_routes():
    return sorted(n for n in URL_SAMPLES if n not in NOT_TENANT_SCOPED | NOT_TENANT_SCOPED_EXTRA)


def denied_writes():
    """(route, persona) pairs where the persona must not be able to write through the route."""
    for name, pattern in sorted(ROUTES.items()):
        access = getattr(pattern.callback, "tocsin_access", None)
        if access is None or access.kind != "cpts":
            continue
        for persona, role in ROLE_IN_CPTS.items():
            if persona == "outsider":
                if name in tenant_routes():  # elsewhere the outsider acts on their own CPTS
                    yield name, persona
            elif role not in access.roles:
                yield name, persona


def body(response) -> bytes:
    """The whole body, streamed files included; closing releases the file it streams."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return content


def client_as(personas, name) -> Client:
    if name == "anonymous":
        return Client()
    return login(Client(), getattr(personas, name))


def url_for(name, cpts):
    kwargs = URL_SAMPLES[name](cpts) if name in URL_SAMPLES else {}
    return reverse(name, kwargs=kwargs)


def test_every_route_is_named_guarded_and_sampled():
    for name, pattern in ROUTES.items():
        assert pattern.name, f"unnamed route {pattern.pattern}"
        access = getattr(pattern.callback, "tocsin_access", None)
        assert access is not None, f"{name}: wrap the view in public_view/account_view/cpts_view"
        if pattern.pattern.converters:
            assert name in URL_SAMPLES, f"{name}: add a URL_SAMPLES entry"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_read_access_matches_the_declared_roles(personas, name, persona):
    access = ROUTES[name].callback.tocsin_access
    client = client_as(personas, persona)
    response = client.get(url_for(name, personas.cpts))
    status, content = response.status_code, body(response)
    if access.kind == "public":
        # A provider callback refuses a GET (405) and, without its secret, does not exist (404).
        assert status in ((404, 405) if is_provider_callback(name) else (200, 302)), status
    elif persona == "anonymous":
        assert status == 302 and "/connexion/" in response["Location"]
    elif access.kind == "account":
        assert status in (200, 302, 405), status
    elif persona == "outsider":
        # Logged into another CPTS: an object of this CPTS is not found, a list shows theirs.
        # (405: a POST-only route answers a GET before touching any object.)
        tenant_object = name in URL_SAMPLES and name not in NUMBER_KEYED
        assert status in (403, 404, 405) if tenant_object else status in (200, 302, 403, 405)
        assert personas.cpts.name.encode() not in content  # files are bytes
    elif ROLE_IN_CPTS[persona] in access.roles:
        assert status in (200, 302, 405), f"{persona} should reach {name}: {status}"
    else:
        assert status == 403, f"{persona} must not reach {name}: {status}"


def refused(response) -> bool:
    """Not found, forbidden, wrong method — or, on a page of health data, sent to set up the
    second factor first (before any object is looked up)."""
    if response.status_code == 302:
        return response["Location"] == reverse("core:two_factor_setup")
    return response.status_code in (403, 404, 405)


@pytest.mark.parametrize("persona", [p for p, role in ROLE_IN_CPTS.items() if role])
@pytest.mark.parametrize("name", tenant_routes())
def test_objects_of_another_cpts_are_never_read_or_written(personas, name, persona):
    """Every persona of the first CPTS, aiming at the other CPTS's objects."""
    client = client_as(personas, persona)
    url = url_for(name, personas.other_cpts)
    before, rows = AuditEntry.objects.count(), tenant_rows(personas.other_cpts)
    assert refused(client.get(url))
    # 405: a read-only route refuses the POST outright.
    assert refused(client.post(url, WRITE_ATTEMPT))
    assert AuditEntry.objects.count() == before
    assert tenant_rows(personas.other_cpts) == rows


@pytest.mark.parametrize(("name", "persona"), list(denied_writes()))
def test_writes_without_the_role_change_nothing(personas, name, persona):
    client = client_as(personas, persona)
    before, rows = AuditEntry.objects.count(), tenant_rows(personas.cpts)
    response = client.post(url_for(name, personas.cpts), WRITE_ATTEMPT)
    assert response.status_code in (302, 403, 404, 405)
    if response.status_code == 302:
        assert "/connexion/" in response["Location"]
    assert AuditEntry.objects.count() == before
    assert tenant_rows(personas.cpts) == rows
