"""The alert pages as the cell uses them: a draft and its audience preview, sending, the
roll-call, the crisis dashboard — who may do what, and constant queries."""

import csv
import datetime
import html
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.alerts.factories import draft, group_of, reachable_contact, sent
from tests.crises.factories import active_crisis, plan_with_canicule
from tests.plans.factories import validated_version
from tocsin.alerts import services
from tocsin.alerts.enums import Answer, CampaignStatus, DeliveryReason, DeliveryState
from tocsin.alerts.models import Campaign, Delivery, Recipient
from tocsin.core.models import AuditEntry
from tocsin.crises import reports
from tocsin.plans.enums import FicheKind
from tocsin.plans.models import Fiche


def text(response) -> str:
    return html.unescape(response.content.decode())


def words(page: str) -> str:
    """What a reader sees: the page without its tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", page).split())


@pytest.fixture
def crisis(personas):
    _, risk = plan_with_canicule(personas.cpts, personas.coordinator)
    return active_crisis(personas.cpts, personas.referent, risk=risk)


@pytest.fixture
def nurses(personas):
    """A group of four: two reachable, one who did not consent, one without any channel."""
    cpts = personas.cpts
    people = [
        reachable_contact(cpts, last_name="Martin", email="martin@exemple.test"),
        reachable_contact(cpts, last_name="Bernard", email="", mobile_phone="+33611111112"),
        reachable_contact(cpts, last_name="Sans-Accord", consents_to_alerts=False),
        reachable_contact(cpts, last_name="Injoignable", email="", mobile_phone=""),
    ]
    return group_of(personas.cpts, *people)


def form_data(**extra) -> dict:
    data = {
        "title": "Renfort au centre de vaccination",
        "body": "Nous cherchons des infirmiers samedi de 8 h à 13 h.",
        "severity": "important",
        "ask_availability": "on",
        "next_channel_after": "15",
        "backup_after": "30",
        "crisis": "",
        "action": "save",
    }
    data.update(extra)
    return data


def test_a_draft_previews_who_is_alerted_and_lists_the_excluded_with_their_reason(
    personas, client_for, nurses
):
    client = client_for(personas.cell_member)
    response = client.post(reverse("alerts:new"), form_data(groups=[nurses.pk]))
    campaign = Campaign.objects.get(cpts=personas.cpts)
    assert response["Location"] == reverse("alerts:edit", args=[campaign.pk])
    assert campaign.is_draft and campaign.audience == {"groups": [nurses.pk]}
    assert AuditEntry.objects.filter(code="alerts.campaign.created").count() == 1

    page = text(client.get(response["Location"]))
    assert "2 personnes alertées sur 4 choisies, 2 non joignables" in words(page)
    assert "Premier envoi : E-mail 1 · SMS 1" in words(page)
    excluded = page.split('data-testid="excluded"')[1].split("</ul>")[0]
    assert "Sans-Accord</a> — N'a pas consenti à être alerté" in excluded
    assert "Injoignable</a> — Aucun canal joignable" in excluded
    assert "Martin" not in excluded

    # With health data, only MSSanté addresses count: the fragment the script asks for says so.
    fragment = text(
        client.post(reverse("alerts:preview"), {"groups": [nurses.pk], "has_health_data": "on"})
    )
    assert "<html" not in fragment
    assert "0 personnes alertées sur 4 choisies, 4 non joignables" in words(fragment)
    assert "Martin</a> — Pas d'adresse MSSanté (message avec données de santé)" in fragment


def test_the_preview_button_and_the_directory_search_work_without_script(
    personas, client_for, nurses
):
    client = client_for(personas.cell_member)
    url = reverse("alerts:new")
    page = text(client.post(url, form_data(action="search", recherche="martin")))
    martin = nurses.members.get(last_name="Martin")
    assert re.search(rf'name="contacts" value="{martin.pk}">', page)  # offered, not ticked
    assert not Campaign.objects.exists()  # searching saves nothing
    page = text(client.post(url, form_data(action="preview", contacts=[martin.pk])))
    assert re.search(rf'name="contacts" value="{martin.pk}" checked>', page)
    assert "1 personne alertée sur 1 choisie." in words(page)
    assert not Campaign.objects.exists()


def test_a_person_of_another_cpts_cannot_be_added(personas, client_for):
    stranger = reachable_contact(personas.other_cpts, last_name="Ailleurs")
    client = client_for(personas.coordinator)
    response = client.post(reverse("alerts:new"), form_data(contacts=[stranger.pk]))
    assert response.status_code == 200 and not Campaign.objects.exists()
    assert "Ailleurs" not in text(response)


def test_members_and_authorities_do_not_see_alerts(personas, client_for):
    for persona in (personas.member, personas.authority):
        assert client_for(persona).get(reverse("alerts:list")).status_code == 403
    page = text(client_for(personas.cell_member).get(reverse("core:dashboard")))
    assert reverse("alerts:list") in page  # the menu offers it to the cell


def test_a_cell_member_drafts_but_only_the_coordinator_or_referent_sends(
    personas, client_for, nurses
):
    campaign = draft(personas.cell_member, personas.cpts, groups=[nurses])
    client = client_for(personas.cell_member)
    page = text(client.get(reverse("alerts:edit", args=[campaign.pk])))
    assert "Un coordinateur ou le référent envoie l'alerte" in page
    assert "Enregistrer et envoyer" not in page
    assert client.get(reverse("alerts:send", args=[campaign.pk])).status_code == 403
    assert client.post(reverse("alerts:send", args=[campaign.pk])).status_code == 403
    campaign.refresh_from_db()
    assert campaign.is_draft and not Delivery.objects.exists()


def test_sending_confirms_the_count_queues_the_messages_and_opens_the_roll_call(
    personas, client_for, nurses
):
    campaign = draft(personas.cell_member, personas.cpts, groups=[nurses])
    client = client_for(personas.referent)
    url = reverse("alerts:send", args=[campaign.pk])
    page = text(client.get(url))
    assert "Envoyer l'alerte à 2 personnes" in page and "2 non joignables" in words(page)

    response = client.post(url)
    assert response["Location"] == reverse("alerts:rollcall", args=[campaign.pk])
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT
    deliveries = Delivery.objects.filter(campaign=campaign)
    assert sorted(deliveries.values_list("channel", "state")) == [
        ("email", DeliveryState.QUEUED), ("sms", DeliveryState.QUEUED)]  # fmt: skip
    page = text(client.get(response["Location"]))
    assert "Alerte envoyée : 2 personne(s) en cours d'alerte, 2 non joignable(s)" in page
    assert "En file" in page
    # A sent campaign is no longer edited: its edit page leads to the roll-call.
    edit = client.get(reverse("alerts:edit", args=[campaign.pk]))
    assert edit["Location"] == reverse("alerts:rollcall", args=[campaign.pk])


def test_saving_and_sending_goes_to_the_confirmation(personas, client_for, nurses):
    client = client_for(personas.coordinator)
    response = client.post(reverse("alerts:new"), form_data(groups=[nurses.pk], action="send"))
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("alerts:send", args=[campaign.pk])
    assert campaign.is_draft  # sending still waits for the confirmation


@pytest.fixture
def answered(personas, nurses):
    """A sent campaign: Martin available from 14:30, Bernard unavailable; a backup for Martin."""
    campaign = sent(personas.coordinator, personas.cpts, groups=[nurses])
    martin = campaign.recipients.get(name__contains="Martin")
    bernard = campaign.recipients.get(name__contains="Bernard")
    services.record_answer(martin, Answer.AVAILABLE_FROM, available_from=datetime.time(14, 30),
                           comment="Sans véhicule")  # fmt: skip
    services.record_answer(bernard, Answer.UNAVAILABLE)
    backup = reachable_contact(personas.cpts, last_name="Dubois", email="dubois@exemple.test")
    Recipient.objects.create(campaign=campaign, contact=backup, name="Camille Dubois",
                             routes=[["email", backup.email]], backup_of=bernard)  # fmt: skip
    return campaign


def test_the_roll_call_counts_answers_and_filters_the_list(personas, client_for, answered):
    client = client_for(personas.cell_member)
    url = reverse("alerts:rollcall", args=[answered.pk])
    page = text(client.get(url))
    totals = page.split('data-testid="rollcall-totals"')[1].split("</dl>")[0]
    figures = re.findall(
        r"<dt>(?:<a [^>]*>)?([^<]+)(?:</a>)?</dt><dd class=\"figure\">(\d+)", totals
    )
    assert dict(figures) == {
        "Alertés": "3", "Réponses": "2", "Disponibles": "1", "Indisponibles": "1",
        "Sans réponse": "1", "Non joignables": "2",
    }  # fmt: skip
    assert "dont 1 plus tard, dès 14:30" in totals
    assert 'Camille Dubois <span class="muted">— suppléant de Camille Bernard</span>' in page
    assert "Disponible plus tard</span> à partir de 14:30" in page and "Sans véhicule" in page

    available = text(client.get(url, {"filtre": "disponibles"}))
    assert "<td>Camille Martin" in available and "<td>Camille Bernard" not in available
    unreachable = text(client.get(url, {"filtre": "non-joignables"}))
    assert "N'a pas consenti à être alerté" in unreachable and "Camille Martin" not in unreachable
    silent = text(client.get(url, {"filtre": "sans-reponse"}))
    assert "<td>Camille Dubois" in silent and "<td>Camille Bernard" not in silent

    partial = client.get(url, {"filtre": "disponibles", "partial": "1"})
    assert "<html" not in partial.content.decode() and "Camille Martin" in text(partial)
    by_profession = page.split('id="t-professions"')[1].split("</table>")[0]
    assert "<td>Infirmier</td>" in by_profession


def test_reminding_and_closing_are_for_the_pilots(personas, client_for, answered):
    cell = client_for(personas.cell_member)
    assert "sans réponse</button>" not in text(
        cell.get(reverse("alerts:rollcall", args=[answered.pk]))
    )
    assert cell.post(reverse("alerts:remind", args=[answered.pk])).status_code == 403

    client = client_for(personas.coordinator)
    page = text(client.get(reverse("alerts:rollcall", args=[answered.pk])))
    assert "Relancer la personne sans réponse" in page and "Clôturer l'alerte" in page
    response = client.post(reverse("alerts:remind", args=[answered.pk]), follow=True)
    assert "Rappel envoyé à 1 personne(s) sans réponse." in text(response)
    reminders = Delivery.objects.filter(campaign=answered, reason=DeliveryReason.REMINDER)
    assert list(reminders.values_list("recipient__name", flat=True)) == ["Camille Dubois"]

    response = client.post(reverse("alerts:close", args=[answered.pk]), follow=True)
    assert "Alerte clôturée : 1 disponible(s), 1 indisponible(s), 1 sans réponse." in text(response)
    answered.refresh_from_db()
    assert answered.status == CampaignStatus.CLOSED
    assert "sans réponse</button>" not in text(response) and "Clôturée" in text(response)
    response = client.post(reverse("alerts:remind", args=[answered.pk]), follow=True)
    assert "Seule une campagne en cours peut être relancée." in text(response)


def test_the_roll_call_exports_as_a_french_csv_and_the_export_is_audited(
    personas, client_for, answered
):
    Recipient.objects.filter(campaign=answered, name__contains="Martin").update(
        comment='=HYPERLINK("http://x")'
    )
    response = client_for(personas.cell_member).get(
        reverse("alerts:rollcall_csv", args=[answered.pk])
    )
    assert response["Content-Disposition"].startswith('attachment; filename="appel-cote-de-test-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["nom", "profession", "commune"]
    by_name = {row[0]: row for row in rows[1:]}
    assert len(by_name) == 5
    martin = by_name["Camille Martin"]
    assert martin[6:10] == ["En file", "Disponible plus tard", "14:30", '\'=HYPERLINK("http://x")']
    assert by_name["Camille Dubois"][3] == "Camille Bernard"
    assert by_name["Camille Sans-Accord"][4] == "N'a pas consenti à être alerté"
    entry = AuditEntry.objects.get(code="alerts.rollcall.exported")
    assert entry.actor == personas.cell_member


def test_a_draft_is_deleted_a_sent_alert_never(personas, client_for, nurses, answered):
    campaign = draft(personas.cell_member, personas.cpts, groups=[nurses])
    client = client_for(personas.cell_member)
    response = client.post(reverse("alerts:delete", args=[campaign.pk]), follow=True)
    assert "Brouillon « Renfort demandé au centre de vaccination » supprimé." in text(response)
    assert not Campaign.objects.filter(pk=campaign.pk).exists()
    assert AuditEntry.objects.filter(code="alerts.campaign.deleted").count() == 1
    response = client.post(reverse("alerts:delete", args=[answered.pk]), follow=True)
    assert "Seul un brouillon se supprime" in text(response)
    assert Campaign.objects.filter(pk=answered.pk).exists()


def test_the_list_shows_each_campaign_with_its_totals(personas, client_for, nurses, answered):
    draft(personas.cell_member, personas.cpts, groups=[nurses], title="Brouillon de rappel")
    page = text(client_for(personas.cell_member).get(reverse("alerts:list")))
    assert "Brouillon de rappel" in page
    running = page.split("<h2>En cours</h2>")[1].split("<h2>Brouillons</h2>")[0]
    assert "Renfort demandé au centre de vaccination" in running
    assert "2 réponses sur 3 alertés · 1 disponible · 1 indisponible · 1 sans réponse" in re.sub(
        r"</?strong>", "", running
    )


def test_a_new_alert_is_prefilled_from_the_crisis_and_its_fiche(personas, client_for, crisis):
    fiche = Fiche.objects.filter(version=crisis.plan_version, kind=FicheKind.ACTION).first()
    fiche.messages = "Merci de confirmer votre disponibilité pour renforcer les EHPAD."
    fiche.save()
    client = client_for(personas.cell_member)
    tasks = text(client.get(reverse("crises:tasks", args=[crisis.pk])))
    link = f"{reverse('alerts:new')}?crise={crisis.pk}&fiche={fiche.pk}"
    assert f'href="{link}"' in tasks  # « Alerter » from the fiche's tasks
    page = text(client.get(link))
    assert f'<option value="{crisis.pk}" selected>' in page
    assert 'value="Canicule — alerte"' in page
    assert "Merci de confirmer votre disponibilité pour renforcer les EHPAD.</textarea>" in page
    other = validated_version(personas.other_cpts, personas.outsider).fiches.first()
    assert client.get(f"{reverse('alerts:new')}?fiche={other.pk}").status_code == 404


def test_the_crisis_dashboard_follows_its_alerts(personas, client_for, crisis, nurses):
    client = client_for(personas.cell_member)
    dashboard = reverse("crises:dashboard", args=[crisis.pk])
    page = text(client.get(dashboard))
    assert f"{reverse('alerts:new')}?crise={crisis.pk}" in page  # « Nouvelle alerte »
    campaign = draft(personas.cell_member, personas.cpts, groups=[nurses], crisis=crisis)
    assert "Alertes en préparation" in text(client.get(dashboard))

    services.send_campaign(personas.referent, campaign)
    partial = text(client.get(dashboard, {"partial": "1"}))
    assert reverse("alerts:rollcall", args=[campaign.pk]) in partial
    assert "0 réponses sur 2 alertés" in re.sub(r"</?strong>", "", partial)
    # An answer bumps the crisis's revision: the cached live part is rendered again.
    services.record_answer(campaign.recipients.get(name__contains="Martin"), Answer.AVAILABLE)
    partial = re.sub(r"</?strong>", "", text(client.get(dashboard, {"partial": "1"})))
    assert "1 réponse sur 2 alertés · 1 disponible" in partial
    assert "Alerte « Renfort demandé au centre de vaccination » envoyée à 2 personne(s)" in partial

    rollcall = text(client.get(reverse("alerts:rollcall", args=[campaign.pk])))
    assert "EXERCICE — ceci n'est pas une crise réelle" in rollcall


def test_the_point_de_situation_counts_the_alerts_of_its_period(
    personas, client_for, crisis, nurses
):
    campaign = sent(personas.referent, personas.cpts, groups=[nurses], crisis=crisis)
    services.record_answer(campaign.recipients.get(name__contains="Martin"), Answer.AVAILABLE)
    report = reports.prepare_report(personas.referent, crisis)

    figures = (report.alerts_sent, report.people_alerted, report.alert_answers,
               report.people_available)  # fmt: skip
    assert figures == (1, 2, 1, 1)
    page = client_for(personas.referent).get(
        reverse("crises:report_detail", args=[crisis.pk, report.number])
    )
    assert 'name="people_alerted" value="2"' in page.content.decode()
    # The next point counts only what happened after this one.
    reports.validate_report(personas.referent, report)
    services.record_answer(campaign.recipients.get(name__contains="Martin"), Answer.UNAVAILABLE)
    following = reports.prepare_report(personas.referent, crisis)
    assert (following.alerts_sent, following.people_alerted, following.alert_answers) == (0, 0, 1)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _campaign_of(personas, size, crisis=None):
    people = [reachable_contact(personas.cpts, last_name=f"Nom{n}") for n in range(size)]
    people.append(reachable_contact(personas.cpts, last_name="Refus", consents_to_alerts=False))
    campaign = sent(personas.coordinator, personas.cpts, contacts=people, crisis=crisis)
    recipients = list(campaign.recipients.filter(exclusion=""))
    for recipient in recipients[::2]:
        services.record_answer(recipient, Answer.AVAILABLE)
    for n, absent in enumerate(recipients[1::3]):  # backups grow with the campaign too
        backup = reachable_contact(personas.cpts, last_name=f"Suppléant{n}")
        Recipient.objects.create(campaign=campaign, contact=backup, name=backup.full_name,
                                 routes=[["email", backup.email]], backup_of=absent)  # fmt: skip
    return campaign


@pytest.mark.parametrize("tab", ["", "disponibles", "sans-reponse"])
def test_the_roll_call_costs_the_same_for_3_or_30_people(personas, client_for, crisis, tab):
    client = client_for(personas.referent)
    small = _campaign_of(personas, 3, crisis)
    large = _campaign_of(personas, 30, crisis)
    query = f"?filtre={tab}" if tab else ""
    _queries(client, reverse("alerts:rollcall", args=[small.pk]))  # sessions, caches: warmed up
    for suffix in (query, f"{query}{'&' if query else '?'}partial=1"):
        small_url = reverse("alerts:rollcall", args=[small.pk]) + suffix
        large_url = reverse("alerts:rollcall", args=[large.pk]) + suffix
        assert _queries(client, small_url) == _queries(client, large_url)


def test_the_list_and_the_dashboard_cost_the_same_for_1_or_6_campaigns(
    personas, client_for, crisis
):
    client = client_for(personas.referent)
    _campaign_of(personas, 2, crisis)
    urls = [reverse("alerts:list"), reverse("crises:dashboard", args=[crisis.pk]) + "?partial=1"]
    _queries(client, urls[0])
    before = [_queries(client, url) for url in urls]
    for _ in range(5):
        _campaign_of(personas, 2, crisis)
    assert [_queries(client, url) for url in urls] == before


def test_the_roll_call_pages_by_100(personas, client_for):
    people = [reachable_contact(personas.cpts, last_name=f"Personne{n:03d}") for n in range(103)]
    campaign = sent(personas.coordinator, personas.cpts, contacts=people)
    services.record_answer(campaign.recipients.get(name="Camille Personne102"), Answer.AVAILABLE)
    client = client_for(personas.cell_member)
    url = reverse("alerts:rollcall", args=[campaign.pk])
    first = text(client.get(url))
    assert "Page 1 sur 2" in first and "Camille Personne099" in first
    assert "Camille Personne100" not in first
    second = text(client.get(url, {"page": "2"}))
    assert "Camille Personne100" in second and "Camille Personne099" not in second
    silent = text(client.get(url, {"filtre": "sans-reponse", "page": "2"}))
    assert "Camille Personne101" in silent and "Camille Personne102" not in silent
    assert 'href="?filtre=sans-reponse&page=1"' in silent


def test_the_directory_shows_who_stands_in_for_a_contact_and_a_group(personas, client_for):
    backup = reachable_contact(personas.cpts, last_name="Dubois")
    martin = reachable_contact(personas.cpts, last_name="Martin", backup=backup)
    group = group_of(personas.cpts, martin)
    group.deputy = backup
    group.save()
    client = client_for(personas.coordinator)

    contact_page = client.get(reverse("directory:contact_detail", args=[martin.pk]))
    group_page = client.get(reverse("directory:group_detail", args=[group.pk]))

    assert "Dubois" in contact_page.content.decode()
    assert "suppléant du groupe" in group_page.content.decode()
