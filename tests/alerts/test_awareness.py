"""Informations (newsletters, information messages, invitations to a meeting) sent through the
alerting engine: e-mail only, no health data, no crisis, no escalation, a « pris connaissance »
link; the follow-up figures (opens when the provider reports them) and the members' archive."""

import base64
import datetime
import email
import email.policy
import html
import json
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.alerts.factories import group_of, information, reachable_contact, sent
from tests.crises.factories import active_crisis
from tocsin.alerts import engine, escalation, links, services
from tocsin.alerts.enums import Answer, CampaignKind, CampaignStatus, DeliveryState, Exclusion
from tocsin.alerts.models import Campaign, Delivery, ProviderEvent
from tocsin.core.errors import DomainError
from tocsin.core.models import AuditEntry

PARIS = ZoneInfo("Europe/Paris")
LINK = re.compile(r"https?://\S+?(/r/[^/\s]+/)")
BREVO_SECRET = "brevo:mot-de-passe-du-rappel"


def text(response) -> str:
    return html.unescape(response.content.decode())


def words(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", page).split())


def figures(page: str, testid: str) -> dict:
    """The « label: figure » pairs of a figures list, as a reader sees them."""
    block = page.split(f'data-testid="{testid}"')[1].split("</dl>")[0]
    pairs = re.findall(r"<dt>(?:<a [^>]*>)?([^<]+)(?:</a>)?</dt><dd[^>]*>([^<]+)</dd>", block)
    return dict(pairs)


@pytest.fixture
def professionals(personas):
    """Martin (e-mail, prefers SMS), Bernard (SMS only), one without consent, Petit (e-mail)."""
    cpts = personas.cpts
    people = [
        reachable_contact(cpts, last_name="Martin", email="martin@exemple.test",
                          preferred_channels=["sms"]),
        reachable_contact(cpts, last_name="Bernard", email=""),
        reachable_contact(cpts, last_name="Sans-Accord", consents_to_alerts=False),
        reachable_contact(cpts, last_name="Petit", email="petit@exemple.test"),
    ]  # fmt: skip
    return group_of(cpts, *people, name="Professionnels du secteur")


def info_form(**extra) -> dict:
    data = {"kind": "newsletter", "title": "Lettre d'information de mars",
            "body": "La campagne de vaccination commence lundi.", "meeting_at": "",
            "meeting_place": "", "action": "save"}  # fmt: skip
    data.update(extra)
    return data


# --- Routes: e-mail only, every one left out listed with the reason ---


def test_an_information_goes_by_email_only_and_lists_who_has_no_email(personas, professionals):
    campaign = information(personas.coordinator, personas.cpts, groups=[professionals])
    totals = services.send_campaign(personas.coordinator, campaign)

    by_name = {r.name.split()[-1]: r for r in campaign.recipients.all()}
    assert by_name["Martin"].routes == [["email", "martin@exemple.test"]]  # not SMS first
    assert by_name["Bernard"].exclusion == Exclusion.NO_EMAIL
    assert by_name["Sans-Accord"].exclusion == Exclusion.NO_CONSENT
    assert totals == {"recipients": 4, "reachable": 2, "excluded": 2}
    assert set(campaign.deliveries.values_list("channel", flat=True)) == {"email"}
    assert AuditEntry.objects.filter(code="alerts.information.sent").count() == 1


def test_the_preview_of_an_information_lists_the_contacts_without_email(
    personas, client_for, professionals
):
    client = client_for(personas.cell_member)
    response = client.post(reverse("alerts:info_new"), info_form(groups=[professionals.pk]))
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("alerts:info_edit", args=[campaign.pk])
    assert campaign.kind == CampaignKind.NEWSLETTER and not campaign.ask_availability
    assert (campaign.next_channel_after, campaign.backup_after) == (None, None)

    page = text(client.get(response["Location"]))
    assert "2 personnes informées sur 4 choisies, 2 non joignables" in words(page)
    excluded = page.split('data-testid="excluded"')[1].split("</ul>")[0]
    assert "Bernard</a> — Pas d'adresse e-mail (information envoyée par e-mail seulement)" in (
        excluded
    )
    assert "Sans-Accord</a> — N'a pas consenti à être alerté" in excluded
    # No severity, no crisis, no escalation: those fields are not offered.
    assert 'name="severity"' not in page and 'name="crisis"' not in page
    assert 'name="backup_after"' not in page

    # The fragment the script asks for: the posted kind makes it e-mail only.
    fragment = text(client.post(reverse("alerts:preview"),
                                {"groups": [professionals.pk], "kind": "information"}))  # fmt: skip
    assert "2 personnes informées sur 4 choisies" in words(fragment)
    alert = text(client.post(reverse("alerts:preview"), {"groups": [professionals.pk]}))
    assert "3 personnes alertées sur 4 choisies" in words(alert)  # Bernard has SMS


# --- What an information never carries ---


def test_an_information_refuses_health_data_and_a_crisis(personas, professionals):
    with pytest.raises(DomainError, match="ne contient jamais de données de santé"):
        information(personas.coordinator, personas.cpts, groups=[professionals],
                    has_health_data=True)  # fmt: skip
    crisis = active_crisis(personas.cpts, personas.referent)
    with pytest.raises(DomainError, match="ne se rattache pas à une crise"):
        information(personas.coordinator, personas.cpts, groups=[professionals], crisis=crisis)
    assert not Campaign.objects.exists()


def test_the_database_refuses_an_information_with_health_data_or_a_crisis(personas):
    with pytest.raises(IntegrityError):
        Campaign.objects.create(cpts=personas.cpts, kind="information", title="x", body="x",
                                ask_availability=False, next_channel_after=None,
                                backup_after=None, has_health_data=True)  # fmt: skip


def test_an_alert_does_not_become_an_information(personas, professionals):
    alert = information(personas.coordinator, personas.cpts, kind=CampaignKind.ALERT)
    with pytest.raises(DomainError, match="ne devient pas une information"):
        services.save_draft(personas.coordinator, personas.cpts, alert, criteria={},
                            kind=CampaignKind.NEWSLETTER)  # fmt: skip


def test_an_invitation_needs_its_date_and_shows_it(personas, client_for, professionals):
    client = client_for(personas.coordinator)
    url = reverse("alerts:info_new")
    page = text(client.post(url, info_form(kind="meeting", groups=[professionals.pk])))
    assert "Indiquez la date et l'heure de la réunion." in page
    assert not Campaign.objects.exists()

    response = client.post(url, info_form(
        kind="meeting", title="Assemblée générale", groups=[professionals.pk], action="send",
        meeting_at="2027-03-12T20:00", meeting_place="Maison de santé, salle 2",
    ))  # fmt: skip
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("alerts:info_send", args=[campaign.pk])
    assert campaign.meeting_at == datetime.datetime(2027, 3, 12, 20, 0, tzinfo=PARIS)
    page = text(client.get(response["Location"]))
    assert "Réunion le vendredi 12 mars 2027 à 20:00" in words(page)
    assert "Lieu : Maison de santé, salle 2" in words(page)
    assert "Envoyer l'information à 2 personnes" in page


def test_only_the_coordinator_or_referent_sends_an_information(personas, client_for, professionals):
    campaign = information(personas.cell_member, personas.cpts, groups=[professionals])
    cell = client_for(personas.cell_member)
    page = text(cell.get(reverse("alerts:info_edit", args=[campaign.pk])))
    assert "Un coordinateur ou le référent envoie l'information" in page
    assert cell.post(reverse("alerts:info_send", args=[campaign.pk])).status_code == 403

    client = client_for(personas.referent)
    response = client.post(reverse("alerts:info_send", args=[campaign.pk]), follow=True)
    assert "Information envoyée à 2 personne(s), 2 non joignable(s)" in text(response)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT
    edit = client.get(reverse("alerts:info_edit", args=[campaign.pk]))
    assert edit["Location"] == reverse("alerts:info_followup", args=[campaign.pk])


def test_alert_pages_and_information_pages_keep_to_their_own_kind(
    personas, client_for, professionals
):
    info = information(personas.coordinator, personas.cpts, groups=[professionals])
    alert = information(personas.coordinator, personas.cpts, kind=CampaignKind.ALERT,
                        title="Renfort au centre de vaccination")  # fmt: skip
    client = client_for(personas.coordinator)
    assert client.get(reverse("alerts:edit", args=[info.pk])).status_code == 404
    assert client.get(reverse("alerts:info_edit", args=[alert.pk])).status_code == 404
    assert "Lettre d'information de mars" not in text(client.get(reverse("alerts:list")))
    listing = text(client.get(reverse("alerts:info_list")))
    assert "Lettre d'information de mars" in listing
    assert "Renfort au centre de vaccination" not in listing


def test_an_information_never_escalates(personas, professionals):
    backup = reachable_contact(personas.cpts, last_name="Dubois")
    professionals.members.filter(last_name="Petit").update(backup=backup)
    professionals.deputy = backup
    professionals.save()
    campaign = information(personas.coordinator, personas.cpts, groups=[professionals])
    services.send_campaign(personas.coordinator, campaign)
    Delivery.objects.filter(address="petit@exemple.test").update(
        state=DeliveryState.FAILED, failed_at=timezone.now()
    )

    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        assert escalation.tick() == {"next_channel": 0, "backups": 0}
    assert campaign.deliveries.count() == 2
    assert campaign.recipients.count() == 4


# --- A real send, and the link that only asks « J'ai pris connaissance » ---


# The worker closes a connection left inside a transaction (close_old_connections), as the test
# transaction would be on PostgreSQL: this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_an_information_reaches_a_real_smtp_server_and_its_link_records_the_reading(
    personas, professionals, smtp_server, client
):
    campaign = information(
        personas.coordinator, personas.cpts, groups=[professionals], kind=CampaignKind.MEETING,
        title="Assemblée générale de la CPTS", meeting_place="Maison de santé",
        meeting_at=datetime.datetime(2027, 3, 12, 20, 0, tzinfo=PARIS),
    )  # fmt: skip
    services.send_campaign(personas.coordinator, campaign)

    call_command("run_alerts")

    messages = smtp_server.wait_for(2)
    assert sorted(m.rcpt_tos[0] for m in messages) == ["martin@exemple.test", "petit@exemple.test"]
    mail = email.message_from_bytes(messages[0].content, policy=email.policy.default)
    assert mail["Subject"] == "Assemblée générale de la CPTS"
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Invitation à une réunion — CPTS Côte de Test" in body
    assert "Réunion le vendredi 12 mars 2027 à 20:00" in body and "Lieu : Maison de santé" in body
    assert "disponible" not in body.lower()
    assert "pris connaissance" in body
    html_part = mail.get_body(preferencelist=("html",)).get_content()
    assert "J&#x27;ai pris connaissance</a>" in html_part or "J'ai pris connaissance</a>" in (
        html_part
    )
    assert set(campaign.deliveries.values_list("state", flat=True)) == {DeliveryState.SENT}

    path = LINK.search(body).group(1)
    page = text(client.get(path))
    assert "J'ai pris connaissance" in page and "Je suis disponible" not in page
    assert "Réunion le vendredi 12 mars 2027 à 20:00" in words(page)
    assert "Important" not in page  # the severity means nothing here
    page = text(client.post(path, {"answer": "ack"}))
    assert "nous avons bien noté que vous avez pris connaissance de ce message" in page
    recipient = Delivery.objects.get(address=messages[0].rcpt_tos[0]).recipient
    assert recipient.answer == Answer.ACKNOWLEDGED and recipient.answered_via == "lien"


def test_an_availability_answer_is_refused_on_an_informations_link(personas, client):
    martin = reachable_contact(personas.cpts, mobile_phone="")
    campaign = information(personas.coordinator, personas.cpts, contacts=[martin])
    services.send_campaign(personas.coordinator, campaign)
    recipient = campaign.recipients.get()
    url = reverse("alert_answer", kwargs={"token": links.token_for(recipient.pk)})

    client.post(url, {"answer": "available"})

    recipient.refresh_from_db()
    assert recipient.answer == ""


# --- Openings, through the e-mail provider's tracking webhook ---


@pytest.fixture
def brevo_information(personas, settings, professionals):
    """An information whose e-mails the Brevo backend sent (Brevo's message ids recorded)."""
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": BREVO_SECRET}
    campaign = information(personas.coordinator, personas.cpts, groups=[professionals])
    services.send_campaign(personas.coordinator, campaign)
    engine.drain()
    for n, delivery in enumerate(campaign.deliveries.order_by("pk"), start=1):
        delivery.provider, delivery.provider_message_id = "brevo", f"<2027.{n}@relay.brevo>"
        delivery.save(update_fields=["provider", "provider_message_id"])
    return campaign


def brevo_event(client, event, message_id):
    auth = "Basic " + base64.b64encode(BREVO_SECRET.encode()).decode()
    payload = {"event": event, "email": "martin@exemple.test", "ts_epoch": 1795000000000,
               "message-id": message_id}  # fmt: skip
    return client.post(reverse("anymail:brevo_tracking_webhook"), json.dumps(payload),
                       content_type="application/json", HTTP_AUTHORIZATION=auth)  # fmt: skip


def test_an_opening_is_recorded_once_however_often_it_is_reported(client, brevo_information):
    assert brevo_event(client, "unique_opened", "<2027.1@relay.brevo>").status_code == 200
    delivery = Delivery.objects.get(provider_message_id="<2027.1@relay.brevo>")
    first = delivery.opened_at
    assert first is not None
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert brevo_event(client, "opened", "<2027.1@relay.brevo>").status_code == 200
        assert brevo_event(client, "unique_opened", "<2027.1@relay.brevo>").status_code == 200

    delivery.refresh_from_db()
    assert delivery.opened_at == first
    assert ProviderEvent.objects.filter(event="opened").count() == 1
    assert delivery.state == DeliveryState.SENT  # an opening is no delivery receipt
    assert Delivery.objects.filter(opened_at__isnull=False).count() == 1


def test_the_follow_up_shows_openings_only_when_the_provider_reports_them(
    personas, client_for, settings, brevo_information
):
    client = client_for(personas.cell_member)
    url = reverse("alerts:info_followup", args=[brevo_information.pk])
    brevo_event(client, "unique_opened", "<2027.1@relay.brevo>")

    settings.ALERTS_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    page = text(client.get(url))
    assert figures(page, "information-figures")["Ont ouvert"] == "non mesuré avec ce fournisseur"

    settings.ALERTS_EMAIL_BACKEND = "anymail.backends.brevo.EmailBackend"
    page = text(client.get(url))
    assert figures(page, "information-figures")["Ont ouvert"] == "1"
    listing = text(client.get(reverse("alerts:info_list")))
    assert '<th scope="col" class="num">Ont ouvert</th>' in listing


# --- The follow-up ---


def test_the_follow_up_counts_the_emails_and_lists_who_confirmed(
    personas, client_for, professionals
):
    campaign = information(personas.coordinator, personas.cpts, groups=[professionals])
    services.send_campaign(personas.coordinator, campaign)
    engine.drain()
    martin = campaign.deliveries.get(address="martin@exemple.test")
    petit = campaign.deliveries.get(address="petit@exemple.test")
    services.record_receipt(martin.provider, martin.provider_message_id, "delivered")
    services.record_receipt(petit.provider, petit.provider_message_id, "bounced", "Boîte pleine")
    services.record_answer(martin.recipient, Answer.ACKNOWLEDGED, comment="Merci, bien reçu")

    client = client_for(personas.coordinator)
    url = reverse("alerts:info_followup", args=[campaign.pk])
    page = text(client.get(url))
    assert figures(page, "information-figures") == {
        "Personnes destinataires": "2", "E-mails envoyés": "2", "Remis": "1", "En échec": "1",
        "Ont ouvert": "non mesuré avec ce fournisseur", "Ont confirmé la lecture": "1",
    }  # fmt: skip
    assert "et 2 non joignables" in page
    confirmed = page.split('data-testid="information-recipients"')[1].split("</table>")[0]
    assert "Camille Martin" in confirmed and "Merci, bien reçu" in confirmed
    assert "Camille Petit" not in confirmed
    silent = text(client.get(url, {"filtre": "sans-confirmation"}))
    assert "Rejeté par le destinataire" in silent and "<td>Camille Petit" in silent
    excluded = text(client.get(url, {"filtre": "non-joignables"}))
    assert "Pas d'adresse e-mail (information envoyée par e-mail seulement)" in excluded


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _information_of(personas, size, title="Lettre d'information"):
    people = [reachable_contact(personas.cpts, last_name=f"Nom{n}") for n in range(size)]
    people.append(reachable_contact(personas.cpts, last_name="Refus", consents_to_alerts=False))
    campaign = information(personas.coordinator, personas.cpts, contacts=people, title=title)
    services.send_campaign(personas.coordinator, campaign)
    for recipient in list(campaign.recipients.filter(exclusion=""))[::2]:
        services.record_answer(recipient, Answer.ACKNOWLEDGED)
    opened = list(campaign.deliveries.values_list("pk", flat=True))[::3]
    Delivery.objects.filter(pk__in=opened).update(opened_at=timezone.now())
    return campaign


@pytest.mark.parametrize("tab", ["", "sans-confirmation", "tous"])
def test_the_follow_up_costs_the_same_for_3_or_30_people(personas, client_for, settings, tab):
    settings.ALERTS_EMAIL_BACKEND = "anymail.backends.brevo.EmailBackend"
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": BREVO_SECRET}
    client = client_for(personas.referent)
    small, large = _information_of(personas, 3), _information_of(personas, 30)
    query = f"?filtre={tab}" if tab else ""
    _queries(client, reverse("alerts:info_followup", args=[small.pk]))  # sessions, caches
    small_url = reverse("alerts:info_followup", args=[small.pk]) + query
    large_url = reverse("alerts:info_followup", args=[large.pk]) + query
    assert _queries(client, small_url) == _queries(client, large_url)


def test_the_list_and_the_archive_cost_the_same_for_1_or_6_informations(personas, client_for):
    client = client_for(personas.coordinator)
    _information_of(personas, 2)
    urls = [reverse("alerts:info_list"), reverse("alerts:archive")]
    _queries(client, urls[0])
    before = [_queries(client, url) for url in urls]
    for n in range(5):
        _information_of(personas, 2, title=f"Information {n}")
    assert [_queries(client, url) for url in urls] == before


# --- The members' archive ---


@pytest.fixture
def published(personas, professionals):
    """Two sent informations, a draft and a sent alert in the CPTS; one information next door."""
    older = information(personas.coordinator, personas.cpts, groups=[professionals],
                        title="Lettre de février", body="Texte complet de février.")  # fmt: skip
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        services.send_campaign(personas.coordinator, older)
    newer = information(
        personas.coordinator, personas.cpts, groups=[professionals],
        kind=CampaignKind.INFORMATION, title="Fermeture du centre de soins",
        body="Le centre ferme le 1er mai.\nPensez à prévenir vos patients.",
    )  # fmt: skip
    services.send_campaign(personas.coordinator, newer)
    information(personas.coordinator, personas.cpts, groups=[professionals], title="En préparation")
    sent(personas.coordinator, personas.cpts, groups=[professionals], title="Alerte renfort")
    neighbour = reachable_contact(personas.other_cpts)
    elsewhere = information(personas.outsider, personas.other_cpts, contacts=[neighbour],
                            title="Lettre de la CPTS voisine")  # fmt: skip
    services.send_campaign(personas.outsider, elsewhere)
    return older, newer, elsewhere


def test_a_member_reads_the_sent_informations_newest_first(personas, client_for, published):
    older, newer, _ = published
    client = client_for(personas.member)
    page = text(client.get(reverse("alerts:archive")))
    shown = words(page)
    assert "Informations de la CPTS" in shown
    assert shown.index("Fermeture du centre de soins") < shown.index("Lettre de février")
    assert "Message d'information · envoyée le" in shown
    assert "Pensez à prévenir vos patients." in page and "Texte complet de février." in page
    for hidden in ("En préparation", "Alerte renfort", "Lettre de la CPTS voisine"):
        assert hidden not in page
    assert "Gérer les informations" not in page  # the management page is the cell's

    detail = text(client.get(reverse("alerts:archive_detail", args=[newer.pk])))
    assert "Le centre ferme le 1er mai." in detail
    draft = Campaign.objects.get(title="En préparation")
    alert = Campaign.objects.get(title="Alerte renfort")
    for hidden in (draft, alert):
        assert client.get(reverse("alerts:archive_detail", args=[hidden.pk])).status_code == 404

    # Every role with a membership but the authority finds it in the menu.
    assert reverse("alerts:archive") in text(client.get(reverse("core:dashboard")))
    coordinator = client_for(personas.coordinator)
    assert "Gérer les informations" in text(coordinator.get(reverse("alerts:archive")))


def test_the_authority_does_not_read_the_archive(personas, client_for, published):
    client = client_for(personas.authority)
    assert client.get(reverse("alerts:archive")).status_code == 403
    assert client.get(reverse("alerts:archive_detail", args=[published[1].pk])).status_code == 403
    assert reverse("alerts:archive") not in text(client.get(reverse("core:dashboard")))


def test_an_outsider_reads_only_their_own_cptss_informations(personas, client_for, published):
    older, _, elsewhere = published
    client = client_for(personas.outsider)
    page = text(client.get(reverse("alerts:archive")))
    assert "Lettre de la CPTS voisine" in page and "Lettre de février" not in page
    assert client.get(reverse("alerts:archive_detail", args=[older.pk])).status_code == 404
    assert client.get(reverse("alerts:archive_detail", args=[elsewhere.pk])).status_code == 200


def test_the_archive_pages_by_20(personas, client_for):
    now = timezone.now()
    for n in range(21):
        Campaign.objects.create(
            cpts=personas.cpts, kind="newsletter", title=f"Lettre n° {n:02d}", body="Texte",
            ask_availability=False, next_channel_after=None, backup_after=None,
            status="sent", sent_at=now - timedelta(days=n),
        )  # fmt: skip
    client = client_for(personas.member)
    first = text(client.get(reverse("alerts:archive")))
    assert "Page 1 sur 2" in first and "Lettre n° 00" in first and "Lettre n° 19" in first
    assert "Lettre n° 20" not in first
    second = text(client.get(reverse("alerts:archive"), {"page": "2"}))
    assert "Lettre n° 20" in second and "Lettre n° 19" not in second
