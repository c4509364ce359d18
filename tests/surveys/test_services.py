"""Questionnaire services without HTTP: building a draft, opening and inviting, answering,
the open link, reminders and closing — and the audit trail each one leaves."""

import email
import email.policy
import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.surveys.factories import answers, draft, in_days, opened, question
from tocsin.core.errors import DomainError
from tocsin.core.models import AuditEntry
from tocsin.surveys import audience, links, services
from tocsin.surveys.enums import QuestionKind, SurveyStatus, Via
from tocsin.surveys.models import Answer, Respondent
from tocsin.surveys.starter import create_retex_survey


def link_in(body: str) -> str:
    """The answer page's path from an e-mail body."""
    url = re.search(r"https?://\S+/q/\S+/", body).group(0)
    return url.removeprefix(settings.SITE_URL)


@pytest.fixture
def survey(personas, asked):
    return opened(personas.coordinator, personas.cpts, groups=[asked])


def respondent(survey, last_name) -> Respondent:
    return survey.respondents.get(name__endswith=last_name)


# --- Building ---


def test_only_a_draft_changes_its_structure(personas, survey):
    actor, section = personas.coordinator, survey.sections.get()
    first = survey.questions.first()
    attempts = [
        lambda: services.add_section(actor, survey, "Encore une partie"),
        lambda: services.rename_section(actor, section, "Autre titre"),
        lambda: services.delete_section(actor, section),
        lambda: services.save_question(actor, survey, None, section=section,
                                       kind=QuestionKind.TEXT, text="Une de plus ?"),
        lambda: services.delete_question(actor, first),
        lambda: services.move_question(actor, first, up=False),
        lambda: services.set_audience(actor, survey, groups=[]),
        lambda: services.update_survey(actor, survey, title="Autre titre"),
        lambda: services.delete_survey(actor, survey),
    ]  # fmt: skip
    before = (survey.sections.count(), list(survey.questions.values_list("pk", "position")))
    for attempt in attempts:
        with pytest.raises(DomainError, match="ouvert"):
            attempt()
    survey.refresh_from_db()
    after = (survey.sections.count(), list(survey.questions.values_list("pk", "position")))
    assert after == before and survey.title == "RETEX canicule"


def test_a_choice_question_needs_two_options(personas):
    survey = draft(personas.coordinator, personas.cpts, questions=[])
    section = survey.sections.get()

    def add(kind, choices):
        return services.save_question(personas.coordinator, survey, None, section=section,
                                      kind=kind, text="Votre jour ?", choices=choices)  # fmt: skip

    for kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        with pytest.raises(DomainError, match="au moins deux options"):
            add(kind, ["Lundi", " Lundi ", ""])
    assert not survey.questions.exists()
    assert add(QuestionKind.SINGLE, ["Lundi", " Lundi", "", "Mardi "]).choices == ["Lundi", "Mardi"]
    assert add(QuestionKind.SCALE, ["ignorée", "aussi"]).choices == []


def test_questions_move_up_and_down_within_their_part(personas):
    survey = draft(personas.coordinator, personas.cpts)
    first, second, *_ = survey.questions.all()
    assert services.move_question(personas.coordinator, second, up=True)
    assert list(survey.questions.all())[:2] == [second, first]
    assert not services.move_question(personas.coordinator, second, up=True)  # already first
    last = list(survey.questions.all())[-1]
    assert not services.move_question(personas.coordinator, last, up=False)
    assert AuditEntry.objects.filter(code="surveys.question.moved").count() == 1


def test_the_retex_model_is_a_draft_covering_the_debrief_themes(personas):
    survey = create_retex_survey(personas.referent, personas.cpts, title="RETEX inondation",
                                 is_exercise=True)  # fmt: skip
    assert survey.is_draft and survey.is_exercise and survey.closes_at is None
    assert [s.title for s in survey.sections.all()] == [
        "L'alerte", "Les rôles", "La communication", "Les moyens", "La continuité des soins",
        "Ce qu'il faut changer",
    ]  # fmt: skip
    on_time = survey.questions.get(text="Avez-vous été alerté à temps ?")
    assert on_time.kind == QuestionKind.YES_NO and on_time.section.title == "L'alerte"
    channels = survey.questions.get(section__title="La communication", kind=QuestionKind.MULTIPLE)
    assert "SMS" in channels.choices and len(channels.choices) >= 4
    kinds = set(survey.questions.values_list("kind", flat=True))
    assert {QuestionKind.SCALE, QuestionKind.TEXT, QuestionKind.YES_NO} <= kinds
    assert not survey.questions.filter(text__icontains="vous êtes").exists()
    assert "exercice" in survey.intro
    assert AuditEntry.objects.filter(code="surveys.survey.created").count() == 1


# --- Opening ---


def test_opening_invites_everyone_with_an_email_each_with_their_kind(
    personas, asked, mailoutbox, django_capture_on_commit_callbacks
):
    survey = draft(personas.coordinator, personas.cpts, groups=[asked])
    preview = audience.invitation(personas.cpts, survey.audience)
    assert [(str(c), reason) for c, reason in preview.excluded] == [
        ("Camille Sansmail", "Pas d'adresse e-mail dans l'annuaire")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        totals = services.open_survey(personas.coordinator, survey)

    assert totals == {"invited": 3, "excluded": 1}
    assert survey.status == SurveyStatus.OPEN and survey.accepts_answers
    kinds = dict(survey.respondents.values_list("email", "kind"))
    assert kinds == {"secretariat@pornic.test": "Mairie", "infirmiere@exemple.test": "Infirmier",
                     "benevole@exemple.test": "Autre"}  # fmt: skip
    assert sorted(m.to[0] for m in mailoutbox) == sorted(kinds)
    assert {m.subject for m in mailoutbox} == {"Questionnaire : RETEX canicule"}
    nurse = next(m for m in mailoutbox if m.to == ["infirmiere@exemple.test"])
    page = Client().get(link_in(nurse.body)).content.decode()
    assert "RETEX canicule" in page and "Camille Infirmière" in page
    assert survey.public_token == ""  # no open link asked
    entry = AuditEntry.objects.get(code="surveys.survey.opened")
    assert entry.data == {"invited": 3, "excluded": 1}


def test_invitations_reach_a_real_smtp_server_and_their_link_opens_the_page(
    personas, asked, smtp_server, django_capture_on_commit_callbacks
):
    survey = draft(personas.coordinator, personas.cpts, groups=[asked], is_exercise=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.open_survey(personas.coordinator, survey)

    messages = smtp_server.wait_for(3)
    assert sorted(m.rcpt_tos[0] for m in messages) == [
        "benevole@exemple.test", "infirmiere@exemple.test", "secretariat@pornic.test"
    ]  # fmt: skip
    parsed = email.message_from_bytes(messages[0].content, policy=email.policy.default)
    assert parsed["Subject"] == "[EXERCICE] Questionnaire : RETEX canicule"
    body = parsed.get_content()
    assert "Il s'agit d'un EXERCICE." in body
    response = Client().get(link_in(body))
    assert response.status_code == 200
    assert "Envoyer mes réponses" in response.content.decode()
    person = Respondent.objects.get(email=messages[0].rcpt_tos[0])
    assert person.name in response.content.decode()


def test_a_survey_opens_only_with_a_question_a_future_closing_and_someone_to_ask(personas, asked):
    empty = draft(personas.coordinator, personas.cpts, groups=[asked], questions=[])
    with pytest.raises(DomainError, match="au moins une question"):
        services.open_survey(personas.coordinator, empty)
    undated = draft(personas.coordinator, personas.cpts, groups=[asked], closes_at=None)
    with pytest.raises(DomainError, match="date de clôture"):
        services.open_survey(personas.coordinator, undated)
    nobody = draft(personas.coordinator, personas.cpts)
    with pytest.raises(DomainError, match="Personne n'est à inviter"):
        services.open_survey(personas.coordinator, nobody)
    assert not Respondent.objects.exists()
    assert {empty.status, undated.status, nobody.status} == {SurveyStatus.DRAFT}
    open_only = draft(personas.coordinator, personas.cpts, allows_open_link=True)
    assert services.open_survey(personas.coordinator, open_only) == {"invited": 0, "excluded": 0}
    assert len(open_only.public_token) == 43


# --- Answering ---


def test_saving_for_later_keeps_what_is_filled_without_the_required_check(survey):
    nurse = respondent(survey, "Infirmière")
    services.save_answers(nurse, answers(survey, text="Plus de SMS", yes_no=""), submit=False)
    nurse.refresh_from_db()
    assert nurse.saved_at and nurse.submitted_at is None
    assert list(nurse.answers.values_list("value", flat=True)) == ["Plus de SMS"]
    assert not AuditEntry.objects.filter(code="surveys.answers.submitted").exists()


def test_sending_requires_the_required_questions_and_changes_nothing_otherwise(survey):
    nurse = respondent(survey, "Infirmière")
    with pytest.raises(DomainError, match="questions obligatoires : « Avez-vous été alerté"):
        services.save_answers(nurse, answers(survey, text="Plus de SMS"), submit=True)
    nurse.refresh_from_db()
    assert nurse.submitted_at is None and not nurse.answers.exists()


def test_sending_again_updates_the_same_answers(survey):
    nurse = respondent(survey, "Infirmière")
    services.save_answers(nurse, answers(survey, yes_no="non", scale=2, multiple=["SMS"]),
                          submit=True)  # fmt: skip
    first = dict(nurse.answers.values_list("question__kind", "pk"))
    services.save_answers(nurse, answers(survey, yes_no="oui", scale=2, multiple=[]), submit=True)
    stored = {a.question.kind: (a.pk, a.value) for a in nurse.answers.select_related("question")}
    assert stored == {"yes_no": (first["yes_no"], "oui"), "scale": (first["scale"], 2)}
    entries = AuditEntry.objects.filter(code="surveys.answers.submitted")
    assert [e.actor_label for e in entries] == ["Camille Infirmière"] * 2


def test_a_closed_or_expired_survey_refuses_answers_and_changes_nothing(personas, survey):
    nurse = respondent(survey, "Infirmière")
    with time_machine.travel(survey.closes_at + timedelta(minutes=1)):
        assert not survey.accepts_answers and survey.get_state_display() == "Clos"
        with pytest.raises(DomainError, match="clos"):
            services.save_answers(nurse, answers(survey, yes_no="oui"), submit=True)
        with pytest.raises(DomainError, match="ouvert aux réponses"):
            services.remind_non_respondents(personas.coordinator, survey)
    answered = services.close_survey(personas.coordinator, survey)
    assert answered == 0 and survey.status == SurveyStatus.CLOSED and survey.closed_at
    with pytest.raises(DomainError, match="clos"):
        services.save_answers(nurse, answers(survey, yes_no="oui"), submit=True)
    with pytest.raises(DomainError, match="Seul un questionnaire ouvert"):
        services.close_survey(personas.coordinator, survey)
    nurse.refresh_from_db()
    assert nurse.saved_at is None and not Answer.objects.exists()
    assert AuditEntry.objects.filter(code="surveys.survey.closed").count() == 1


def test_a_forged_or_truncated_link_is_refused(survey):
    token = links.token_for(respondent(survey, "Infirmière").pk)
    for bad in (token[:-4], token.replace(":", ":x", 1), "n-importe-quoi"):
        with pytest.raises(DomainError, match="n'est pas valide"):
            links.respondent_from_token(bad)
        response = Client().get(reverse("survey_answer", kwargs={"token": bad}))
        assert response.status_code == 400
        assert "Ce lien n'est pas valide" in html.unescape(response.content.decode())
    assert links.respondent_from_token(token).name == "Camille Infirmière"


# --- The open link ---


def test_each_open_link_visitor_is_a_new_anonymous_respondent_who_can_come_back(personas):
    survey = opened(personas.coordinator, personas.cpts, allows_open_link=True)
    url = reverse("survey_open", kwargs={"token": survey.public_token})
    first, second = Client(), Client()
    assert "Vous répondez en tant que" in first.get(url).content.decode()
    assert not Respondent.objects.exists()  # opening the page creates nobody

    text_field = f"q{question(survey, QuestionKind.TEXT).pk}"
    first.post(url, {"action": "save", "category": "Mairie", text_field: "Premier jet"})
    again = first.get(url).content.decode()
    assert "Premier jet" in again and "Vous avez commencé à répondre" in again
    yes_no = f"q{question(survey, QuestionKind.YES_NO).pk}"
    page = first.post(url, {"action": "send", "category": "Mairie", yes_no: "oui",
                            text_field: "Version finale"}).content.decode()  # fmt: skip
    assert "Merci, vos réponses sont enregistrées." in page
    mine = Respondent.objects.get()
    assert (mine.via, mine.kind, mine.name, mine.has_submitted) == (
        Via.OPEN_LINK, "Mairie", "", True
    )  # fmt: skip
    assert mine.answers.get(question__kind=QuestionKind.TEXT).value == "Version finale"

    # Someone else opening the same link starts afresh and never sees the first answers.
    other = second.get(url).content.decode()
    assert "Version finale" not in other
    second.post(url, {"action": "send", "category": "Association", yes_no: "non"})
    assert Respondent.objects.filter(via=Via.OPEN_LINK).count() == 2
    labels = list(AuditEntry.objects.filter(code="surveys.answers.submitted")
                  .values_list("actor_label", flat=True))  # fmt: skip
    assert labels == ["Réponse anonyme", "Réponse anonyme"]


def test_an_open_link_visitor_says_what_they_are_before_sending(personas):
    survey = opened(personas.coordinator, personas.cpts, allows_open_link=True)
    with pytest.raises(DomainError, match="en tant que quoi"):
        services.answer_open_link(survey, None, "", answers(survey, yes_no="oui"), submit=True)
    with pytest.raises(DomainError, match="catégorie"):
        services.answer_open_link(survey, None, "Pirate", {}, submit=False)
    assert not Respondent.objects.exists()


# --- Reminders ---


def test_reminders_go_only_to_those_who_have_not_sent(
    personas, survey, mailoutbox, django_capture_on_commit_callbacks
):
    services.save_answers(respondent(survey, "Mairie"), answers(survey, yes_no="oui"), submit=True)
    services.save_answers(respondent(survey, "Bénévole"), answers(survey, text="…"), submit=False)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.remind_non_respondents(personas.referent, survey)

    assert count == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["benevole@exemple.test",
                                                  "infirmiere@exemple.test"]  # fmt: skip
    assert all(m.subject == "Rappel — Questionnaire : RETEX canicule" for m in mailoutbox)
    assert "pas encore envoyé vos réponses" in mailoutbox[0].body
    survey.refresh_from_db()
    assert survey.reminders == 1
    reminded = survey.respondents.filter(reminded_at__isnull=False)
    assert set(reminded.values_list("email", flat=True)) == {"benevole@exemple.test",
                                                             "infirmiere@exemple.test"}  # fmt: skip
    assert AuditEntry.objects.get(code="surveys.survey.reminded").data == {"count": 2}


def test_nobody_to_remind_once_everyone_has_sent(personas, survey):
    for person in survey.respondents.all():
        services.save_answers(person, answers(survey, yes_no="oui"), submit=True)
    with pytest.raises(DomainError, match="personne à relancer"):
        services.remind_non_respondents(personas.coordinator, survey)


def test_every_step_leaves_an_audit_entry(personas, asked):
    survey = opened(personas.coordinator, personas.cpts, groups=[asked])
    services.save_answers(respondent(survey, "Mairie"), answers(survey, yes_no="oui"), submit=True)
    services.remind_non_respondents(personas.coordinator, survey)
    services.close_survey(personas.coordinator, survey)
    entries = AuditEntry.objects.filter(cpts=personas.cpts, code__startswith="surveys.")
    codes = list(entries.order_by("pk").values_list("code", flat=True))
    assert codes == (["surveys.survey.created"] + ["surveys.question.added"] * 6
                     + ["surveys.audience.saved", "surveys.survey.opened",
                        "surveys.answers.submitted", "surveys.survey.reminded",
                        "surveys.survey.closed"])  # fmt: skip
    assert entries.get(code="surveys.answers.submitted").actor_label == "Camille Mairie"
    assert {e.target_label for e in entries} == {"RETEX canicule"}


def test_a_survey_past_its_closing_reads_as_closed(personas):
    survey = opened(personas.coordinator, personas.cpts, allows_open_link=True,
                    closes_at=in_days(1))  # fmt: skip
    assert survey.get_state_display() == "Ouvert aux réponses"
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert survey.is_closed and survey.state == SurveyStatus.CLOSED
