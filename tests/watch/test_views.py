"""The watch pages as the coordinator, the référent and the crisis cell use them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.watch.factories import FeedFactory, SignalFactory, cap_alert, fixture
from tocsin.core.models import AuditEntry
from tocsin.watch.enums import FeedKind, Level, SignalSource
from tocsin.watch.models import Feed, Signal

LOG = reverse("watch:log")


@pytest.mark.parametrize("persona", ["coordinator", "referent", "cell_member"])
def test_the_crisis_roles_read_the_log_and_add_signals(personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    for name in ("watch:log", "watch:signal_create", "watch:cap_import", "watch:feed_list"):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("persona", ["member", "authority"])
def test_members_and_authorities_get_403(personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    signal = Signal.objects.filter(cpts=personas.cpts).first()
    for url in (LOG, reverse("watch:signal_detail", args=[signal.pk]),
                reverse("watch:signal_create"), reverse("watch:feed_list")):  # fmt: skip
        assert client.get(url).status_code == 403


def test_only_coordinator_and_referent_configure_feeds(personas, client_for):
    feed = Feed.objects.get(cpts=personas.cpts)
    cell = client_for(personas.cell_member)
    assert cell.get(reverse("watch:feed_create")).status_code == 403
    assert cell.post(reverse("watch:feed_poll", args=[feed.pk])).status_code == 403
    assert "Lire maintenant" not in cell.get(reverse("watch:feed_list")).content.decode()
    referent = client_for(personas.referent)
    assert referent.get(reverse("watch:feed_edit", args=[feed.pk])).status_code == 200


def test_the_log_lists_latest_first_with_colours_and_filters(personas, client_for):
    SignalFactory(cpts=personas.cpts, headline="Ancien rouge", level=Level.RED,
                  sent_at="2026-01-01T10:00:00+01:00")  # fmt: skip
    SignalFactory(cpts=personas.cpts, headline="Exercice orange", level=Level.ORANGE,
                  is_exercise=True, source=SignalSource.CAP, identifier="x")  # fmt: skip
    SignalFactory(cpts=personas.other_cpts, headline="Chez le voisin")
    client = client_for(personas.referent)
    html = client.get(LOG).content.decode()
    assert html.index("Exercice orange") < html.index("Ancien rouge")
    assert '<span class="badge level level-4">Rouge</span>' in html
    assert "EXERCICE" in html and "Chez le voisin" not in html
    assert "3 signaux" in html  # with the personas' sample signal
    html = client.get(LOG, {"level": "4"}).content.decode()
    assert "Ancien rouge" in html and "Exercice orange" not in html
    html = client.get(LOG, {"exercise": "real", "source": "manual"}).content.decode()
    assert "Ancien rouge" in html and "Exercice orange" not in html
    html = client.get(LOG, {"exercise": "only"}).content.decode()
    assert "Exercice orange" in html and "Ancien rouge" not in html
    assert client.get(LOG, {"level": "nimporte"}).status_code == 200


def test_the_in_force_filter_hides_ended_and_replaced_signals(personas, client_for):
    new = SignalFactory(cpts=personas.cpts, headline="Nouvelle version")
    SignalFactory(cpts=personas.cpts, headline="Remplacée", superseded_by=new)
    SignalFactory(cpts=personas.cpts, headline="Échue", expires="2020-01-01T00:00:00Z")
    html = client_for(personas.cell_member).get(LOG, {"state": "current"}).content.decode()
    assert "Nouvelle version" in html and "Remplacée" not in html and "Échue" not in html
    html = client_for(personas.cell_member).get(LOG, {"state": "ended"}).content.decode()
    assert "Nouvelle version" not in html and "Remplacée" in html and "Échue" in html


def test_failing_feeds_are_shown_at_the_top_of_the_log(personas, client_for):
    FeedFactory(cpts=personas.cpts, name="MeteoAlarm France", last_ok=False,
                last_message="Échec : Le serveur a répondu 500.")  # fmt: skip
    html = client_for(personas.cell_member).get(LOG).content.decode()
    assert "Le flux « MeteoAlarm France » n'a pas pu être lu" in html
    assert "Le serveur a répondu 500." in html


def test_the_log_page_has_a_fixed_number_of_queries(personas, client_for):
    client = client_for(personas.referent)
    client.get(LOG)
    with CaptureQueriesContext(connection) as before:
        client.get(LOG)
    for n in range(30):
        SignalFactory(cpts=personas.cpts, level=1 + n % 4)
    with CaptureQueriesContext(connection) as after:
        client.get(LOG)
    assert len(after) == len(before)


def test_signal_detail_offers_to_activate_a_crisis_while_in_force(personas, client_for):
    signal = SignalFactory(cpts=personas.cpts, headline="Canicule orange", level=Level.ORANGE)
    client = client_for(personas.cell_member)
    html = client.get(reverse("watch:signal_detail", args=[signal.pk])).content.decode()
    assert "Activer une crise depuis ce signal" in html
    assert f'/crises/activer/?signal={signal.pk}"' in html
    replaced = SignalFactory(cpts=personas.cpts, headline="Ancienne", superseded_by=signal)
    html = client.get(reverse("watch:signal_detail", args=[replaced.pk])).content.decode()
    assert "Activer une crise" not in html and "Remplacé par" in html
    html = client.get(reverse("watch:signal_detail", args=[signal.pk])).content.decode()
    assert "Ce signal remplace" in html and "Ancienne" in html


def test_another_cpts_signal_is_not_found(personas, client_for):
    theirs = Signal.objects.filter(cpts=personas.other_cpts).first()
    client = client_for(personas.coordinator)
    assert client.get(reverse("watch:signal_detail", args=[theirs.pk])).status_code == 404
    attachment = theirs.attachments.first()
    url = reverse("watch:attachment", args=[theirs.pk, attachment.pk])
    assert client.get(url).status_code == 404
    ours = Signal.objects.filter(cpts=personas.cpts).first()
    url = reverse("watch:attachment", args=[ours.pk, attachment.pk])  # mixing the two
    assert client.get(url).status_code == 404


def test_manual_entry_with_several_attachments_then_download(personas, client_for):
    client = client_for(personas.cell_member)
    files = [SimpleUploadedFile("dgs.pdf", b"%PDF-1.4 dgs"), SimpleUploadedFile("ars.txt", b"ARS")]
    response = client.post(reverse("watch:signal_create"), {
        "sender": "DGS-Urgent", "sent_at": "2026-07-15T09:30", "event": "Épidémie",
        "headline": "DGS-Urgent n° 2026-12", "level": Level.YELLOW, "attachments": files,
    })  # fmt: skip
    signal = Signal.objects.get(headline="DGS-Urgent n° 2026-12")
    assert response["Location"] == reverse("watch:signal_detail", args=[signal.pk])
    assert signal.created_by == personas.cell_member and signal.attachments.count() == 2
    html = client.get(response["Location"]).content.decode()
    pdf = signal.attachments.get(name="dgs.pdf")
    url = reverse("watch:attachment", args=[signal.pk, pdf.pk])
    assert url in html
    download = client.get(url)
    assert b"".join(download.streaming_content) == b"%PDF-1.4 dgs"
    assert 'attachment; filename="dgs.pdf"' in download["Content-Disposition"]
    download.close()


def test_attachments_are_size_limited(personas, client_for, settings):
    settings.WATCH_ATTACHMENT_MAX_BYTES = 10
    response = client_for(personas.referent).post(reverse("watch:signal_create"), {
        "sender": "ARS", "sent_at": "2026-07-15T09:30", "event": "x", "headline": "Trop gros",
        "level": Level.YELLOW, "attachments": [SimpleUploadedFile("gros.pdf", b"x" * 50)],
    })  # fmt: skip
    assert response.status_code == 200
    assert (
        "Fichier trop volumineux" in response.content.decode()
        and "gros.pdf" in response.content.decode()
    )
    assert not Signal.objects.filter(headline="Trop gros").exists()


def test_cap_upload_shows_what_was_created_and_ignored(personas, client_for):
    client = client_for(personas.referent)
    upload = SimpleUploadedFile("alerte.xml", fixture("alerte_canicule_44.xml"))
    html = client.post(reverse("watch:cap_import"), {"file": upload}).content.decode()
    assert "1 nouveau signal" in html and "Vigilance orange canicule en Loire-Atlantique" in html
    upload = SimpleUploadedFile("alerte.xml", fixture("alerte_canicule_44.xml"))
    html = client.post(reverse("watch:cap_import"), {"file": upload}).content.decode()
    assert "déjà enregistrée" in html


def test_cap_upload_errors_are_french_messages(personas, client_for):
    client = client_for(personas.referent)
    upload = SimpleUploadedFile("alerte.xml", cap_alert(severity="Terrible"))
    html = client.post(reverse("watch:cap_import"), {"file": upload}).content.decode()
    assert "L&#x27;alerte n&#x27;est pas conforme au schéma CAP 1.2" in html
    html = client.post(reverse("watch:cap_import"), {}).content.decode()
    assert "Déposez un fichier ou indiquez une adresse" in html
    html = client.post(
        reverse("watch:cap_import"), {"url": "ftp://exemple.test/a.xml"}
    ).content.decode()
    assert "Seules les adresses http:// ou https:// sont acceptées." in html


def test_cap_import_by_url(personas, client_for, stand_in):
    url = stand_in.serve("/alerte.xml", fixture("alerte_canicule_44.xml"))
    html = (
        client_for(personas.coordinator)
        .post(reverse("watch:cap_import"), {"url": url})
        .content.decode()
    )
    assert "1 nouveau signal" in html
    assert Signal.objects.get(identifier__startswith="2.49").document_url == url


def test_feed_lifecycle_and_manual_poll(personas, client_for, stand_in):
    client = client_for(personas.coordinator)
    url = stand_in.serve("/vigilance", fixture("carte_vigilance.json"))
    client.post(reverse("watch:feed_create"), {
        "name": "Vigilance Météo-France", "kind": FeedKind.VIGILANCE, "url": url,
        "enabled": "on", "every_minutes": 30,
    })  # fmt: skip
    feed = Feed.objects.get(name="Vigilance Météo-France")
    assert feed.cpts == personas.cpts and feed.every_minutes == 30
    response = client.post(reverse("watch:feed_poll", args=[feed.pk]), follow=True)
    html = response.content.decode()
    assert "« Vigilance Météo-France » : 4 nouveaux signaux" in html
    assert "Dernières lectures" in html
    assert AuditEntry.objects.filter(code="watch.feed.polled", actor=personas.coordinator)
    html = client.post(reverse("watch:feed_edit", args=[feed.pk]), {
        "name": "Vigilance", "kind": FeedKind.VIGILANCE, "url": "file:///etc/passwd",
        "every_minutes": 1,
    }).content.decode()  # fmt: skip
    assert "Seules les adresses http://" in html or "Saisissez une URL valide" in html
    assert "supérieure ou égale à 5" in html
    client.post(reverse("watch:feed_delete", args=[feed.pk]))
    assert not Feed.objects.filter(pk=feed.pk).exists()
    assert Signal.objects.filter(cpts=personas.cpts, source=SignalSource.VIGILANCE).count() == 4
    codes = set(
        AuditEntry.objects.filter(code__startswith="watch.feed").values_list("code", flat=True)
    )
    assert codes == {"watch.feed.created", "watch.feed.polled", "watch.feed.deleted"}
