"""The questionnaire pages as the CPTS uses them: who may see and do what, building a draft,
choosing who is asked, opening, and the answer page reached from an e-mail."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.surveys.factories import answers, draft, in_days, opened, question
from tocsin.core.models import AuditEntry
from tocsin.surveys import links, services
from tocsin.surveys.enums import QuestionKind, SurveyStatus
from tocsin.surveys.models import Answer, Question, Survey


def text(response) -> str:
    return html.unescape(response.content.decode())


def words(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", page).split())


@pytest.fixture
def survey(personas, asked):
    return opened(personas.coordinator, personas.cpts, groups=[asked], allows_open_link=True)


def answer_url(respondent) -> str:
    return reverse("survey_answer", kwargs={"token": links.token_for(respondent.pk)})


# --- Who may see and do what ---


def test_members_authorities_and_outsiders_do_not_see_questionnaires(personas, client_for, survey):
    urls = [reverse("surveys:list"), reverse("surveys:detail", args=[survey.pk]),
            reverse("surveys:results", args=[survey.pk])]  # fmt: skip
    for persona in (personas.member, personas.authority):
        client = client_for(persona)
        assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    outsider = client_for(personas.outsider)
    assert [outsider.get(url).status_code for url in urls[1:]] == [404, 404]
    csv = reverse("surveys:results_csv", args=[survey.pk])
    assert outsider.get(csv).status_code == 404
    assert Client().get(urls[0])["Location"].startswith("/connexion/")


def test_the_cell_reads_but_only_the_coordinator_or_referent_builds_and_sends(
    personas, client_for, survey
):
    cell = client_for(personas.cell_member)
    for url in (reverse("surveys:list"), reverse("surveys:detail", args=[survey.pk]),
                reverse("surveys:results", args=[survey.pk])):  # fmt: skip
        assert cell.get(url).status_code == 200
    page = text(cell.get(reverse("surveys:detail", args=[survey.pk])))
    assert "Relancer" not in page and "Clore le questionnaire" not in page
    assert cell.get(reverse("surveys:new")).status_code == 403
    for name in ("remind", "close"):
        assert cell.post(reverse(f"surveys:{name}", args=[survey.pk])).status_code == 403
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN and survey.reminders == 0
    pilot = text(client_for(personas.referent).get(reverse("surveys:detail", args=[survey.pk])))
    assert "Relancer les 3 sans réponse" in pilot and "Clore le questionnaire" in pilot


# --- Building a draft ---


def settings_form(**extra) -> dict:
    data = {"title": "RETEX canicule de juillet", "intro": "Cinq minutes, merci !",
            "closes_on": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
            "closes_time": "18:00", "action": "blank"}  # fmt: skip
    return data | extra


def test_the_coordinator_creates_a_draft_and_builds_its_questions(personas, client_for):
    client = client_for(personas.coordinator)
    past = text(client.post(reverse("surveys:new"), settings_form(closes_on="2020-01-01")))
    assert "Choisissez une clôture à venir." in past and not Survey.objects.exists()

    response = client.post(reverse("surveys:new"), settings_form())
    survey = Survey.objects.get()
    assert response["Location"] == reverse("surveys:detail", args=[survey.pk])
    assert timezone.localtime(survey.closes_at).time() == datetime.time(18, 0)
    section = survey.sections.get()

    add = reverse("surveys:question_add", args=[survey.pk])
    form = {"section": section.pk, "kind": "single", "text": "Quel jour ?", "options": "Lundi"}
    refused = text(client.post(add, form))
    assert "Une question à choix propose au moins deux options, une par ligne." in refused
    assert not survey.questions.exists()
    client.post(add, form | {"options": "Lundi\nMardi\n"})
    client.post(add, {"section": section.pk, "kind": "yes_no", "text": "Alerté à temps ?",
                      "required": "on"})  # fmt: skip
    day, on_time = survey.questions.all()
    assert day.choices == ["Lundi", "Mardi"] and on_time.required

    client.post(reverse("surveys:question_move", args=[survey.pk, on_time.pk]), {"sens": "haut"})
    assert list(survey.questions.all()) == [on_time, day]
    changed = form | {"text": "Quel jour êtes-vous venu ?", "options": "Lundi\nMardi"}
    client.post(reverse("surveys:question_edit", args=[survey.pk, day.pk]), changed)
    client.post(reverse("surveys:section_add", args=[survey.pk]), {"title": "La communication"})
    client.post(reverse("surveys:section_rename", args=[survey.pk, section.pk]),
                {"title": "L'alerte"})  # fmt: skip
    page = words(text(client.get(reverse("surveys:detail", args=[survey.pk]))))
    assert "L'alerte" in page and "La communication" in page
    assert page.index("Alerté à temps ?") < page.index("Quel jour êtes-vous venu ?")
    client.post(reverse("surveys:question_delete", args=[survey.pk, day.pk]))
    assert list(survey.questions.values_list("text", flat=True)) == ["Alerté à temps ?"]


def test_the_retex_model_button_starts_a_full_draft(personas, client_for):
    client = client_for(personas.referent)
    client.post(reverse("surveys:new"), settings_form(action="retex", intro=""))
    survey = Survey.objects.get()
    assert survey.sections.count() == 6 and survey.questions.count() >= 10
    assert "retour d'expérience" in survey.intro
    page = text(client.get(reverse("surveys:detail", args=[survey.pk])))
    assert "Avez-vous été alerté à temps ?" in page


def test_an_open_survey_no_longer_offers_to_change_its_questions(personas, client_for, survey):
    client = client_for(personas.coordinator)
    page = text(client.get(reverse("surveys:detail", args=[survey.pk])))
    assert "Ajouter une question" not in page and "Supprimer ce brouillon" not in page
    edit = client.get(reverse("surveys:question_add", args=[survey.pk]))
    assert edit["Location"] == reverse("surveys:detail", args=[survey.pk])
    first = survey.questions.first()
    client.post(reverse("surveys:question_delete", args=[survey.pk, first.pk]))
    assert Question.objects.filter(pk=first.pk).exists()


# --- Who is asked, opening ---


def test_the_audience_preview_lists_who_is_invited_and_who_is_left_out(personas, client_for, asked):
    survey = draft(personas.coordinator, personas.cpts)
    client = client_for(personas.coordinator)
    url = reverse("surveys:audience", args=[survey.pk])
    page = text(client.get(url))
    assert "Mairie de Pornic" in page  # organisations, grouped under their kind
    preview = words(text(client.post(url, {"groups": [asked.pk], "action": "preview"})))
    assert "3 personnes recevront une invitation par e-mail, 1 laissée de côté" in preview
    assert "Camille Sansmail — Pas d'adresse e-mail dans l'annuaire" in preview
    survey.refresh_from_db()
    assert survey.audience == {"groups": [], "organisations": []}  # a preview saves nothing

    assert client.post(url, {"groups": [asked.pk], "action": "save"})["Location"] == url
    survey.refresh_from_db()
    assert survey.audience == {"groups": [asked.pk], "organisations": []}


def test_opening_confirms_the_count_then_shows_the_open_link(
    personas, client_for, asked, mailoutbox, django_capture_on_commit_callbacks
):
    survey = draft(personas.coordinator, personas.cpts, groups=[asked], allows_open_link=True)
    client = client_for(personas.coordinator)
    url = reverse("surveys:open", args=[survey.pk])
    confirmation = words(text(client.get(url)))
    assert "Ouvrir et envoyer à 3 personnes" in confirmation
    assert "Camille Sansmail — Pas d'adresse e-mail" in confirmation
    assert not mailoutbox and Survey.objects.get().is_draft  # the GET sent nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    page = text(response)
    assert "Questionnaire ouvert : 3 invitation(s) envoyée(s), 1 personne(s) sans adresse" in page
    survey.refresh_from_db()
    assert f"/q/ouvert/{survey.public_token}/" in page and "Lien ouvert à diffuser" in page
    assert len(mailoutbox) == 3


def test_the_list_shows_each_survey_with_its_counts_at_a_constant_cost(
    personas, client_for, survey
):
    services.save_answers(survey.respondents.first(), answers(survey, yes_no="oui"), submit=True)
    client = client_for(personas.cell_member)
    url = reverse("surveys:list")
    row = words(text(client.get(url))).split("RETEX canicule")[1]
    assert row.startswith(" Ouvert aux réponses") and " 3 1 0 " in row

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured.captured_queries)

    before = queries()
    for n in range(3):
        opened(personas.coordinator, personas.cpts, title=f"Autre {n}", allows_open_link=True)
    assert queries() == before


# --- The answer page ---


def test_opening_the_answer_page_changes_nothing_and_labels_every_field(survey):
    nurse = survey.respondents.get(kind="Infirmier")
    audit = AuditEntry.objects.count()
    response = Client().get(answer_url(nurse))
    assert response.status_code == 200
    page = text(response)
    nurse.refresh_from_db()
    assert nurse.saved_at is None and not Answer.objects.exists()
    assert AuditEntry.objects.count() == audit
    for field in re.findall(r"<(?:input|textarea)[^>]*>", page):
        if 'type="hidden"' in field:
            continue
        field_id = re.search(r'id="([^"]+)"', field).group(1)
        assert f'for="{field_id}"' in page, field
    # Radio and checkbox groups carry the question as their legend.
    assert "<legend>Avez-vous été alerté à temps ? (obligatoire)</legend>" in page
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert "Enregistrer et continuer plus tard" in page and "Envoyer mes réponses" in page


def test_sending_shows_french_errors_next_to_the_questions_and_saves_nothing(survey):
    nurse = survey.respondents.get(kind="Infirmier")
    number = f"q{question(survey, QuestionKind.NUMBER).pk}"
    page = text(Client().post(answer_url(nurse), {"action": "send", number: "beaucoup"}))
    assert "Répondez à cette question." in page
    assert "Indiquez un nombre, par exemple 12 ou 3,5." in page
    nurse.refresh_from_db()
    assert nurse.submitted_at is None and nurse.saved_at is None


def test_saving_then_sending_through_the_page(survey):
    nurse = survey.respondents.get(kind="Infirmier")
    url, client = answer_url(nurse), Client()
    yes_no, number = (f"q{question(survey, kind).pk}" for kind in ("yes_no", "number"))
    saved = text(client.post(url, {"action": "save", number: "3,5"}))
    assert "Vos réponses sont enregistrées, mais pas encore envoyées." in saved
    nurse.refresh_from_db()
    assert nurse.saved_at and nurse.submitted_at is None
    assert Answer.objects.get().value == 3.5

    survey.closes_at = timezone.make_aware(datetime.datetime(2099, 12, 12, 18, 0))
    survey.save(update_fields=["closes_at"])
    sent = client.post(url, {"action": "send", yes_no: "oui", number: "4"})
    status = re.search(r'<p class="message message-success" role="status">(.*?)</p>', text(sent))
    assert status.group(1) == ("Merci, vos réponses sont enregistrées. Vous pouvez les modifier "
                               "jusqu'au 12/12/2099 à 18:00.")  # fmt: skip
    assert sorted(Answer.objects.values_list("value", flat=True), key=str) == [4, "oui"]
    again = text(client.get(url))
    assert "Vous avez envoyé vos réponses le" in again
    assert "Enregistrer et continuer plus tard" not in again  # once sent, only sending again


def test_a_closed_survey_says_so_and_takes_nothing(personas, survey):
    services.close_survey(personas.coordinator, survey)
    nurse = survey.respondents.get(kind="Infirmier")
    yes_no = f"q{question(survey, QuestionKind.YES_NO).pk}"
    url = answer_url(nurse)
    for response in (Client().get(url), Client().post(url, {"action": "send", yes_no: "oui"})):
        page = text(response)
        assert "Ce questionnaire est clos" in page and "Envoyer mes réponses" not in page
    open_link = reverse("survey_open", kwargs={"token": survey.public_token})
    assert "Ce questionnaire est clos" in text(Client().get(open_link))
    assert not Answer.objects.exists()


def test_the_answer_page_never_shows_someone_else_s_answers(survey):
    people = {r.kind: r for r in survey.respondents.all()}
    services.save_answers(people["Infirmier"], answers(survey, text="Secret de l'infirmière"),
                          submit=False)  # fmt: skip
    page = text(Client().get(answer_url(people["Mairie"])))
    assert "Secret de l'infirmière" not in page and "Camille Infirmière" not in page
    assert "Camille Mairie" in page


def test_an_unknown_open_link_is_refused(survey):
    response = Client().get(reverse("survey_open", kwargs={"token": "pas-le-bon"}))
    assert response.status_code == 404
    assert "Ce lien n'est pas valide" in text(response)


def test_an_exercise_is_marked_on_the_answer_page(personas, asked):
    survey = opened(personas.coordinator, personas.cpts, groups=[asked], is_exercise=True,
                    closes_at=in_days(3))  # fmt: skip
    page = text(Client().get(answer_url(survey.respondents.first())))
    assert "EXERCICE" in page
