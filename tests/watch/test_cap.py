"""CAP 1.2 reading: schema validation, hardened parsing, feeds, colour."""

import pytest

from tests.watch.factories import ALERT_ID, cap_alert, fixture
from tocsin.core.errors import DomainError
from tocsin.watch import cap
from tocsin.watch.enums import Level

LIMIT = 1_000_000


def test_reads_a_meteoalarm_style_alert_in_french():
    alert = cap.parse_alert(fixture("alerte_canicule_44.xml"), LIMIT)
    assert alert.identifier == ALERT_ID and alert.sender == "vigilance@meteo.fr"
    assert alert.status == "Actual" and alert.msg_type == "Alert"
    assert alert.info.language == "fr-FR"  # the French block, not the English one
    assert alert.info.headline == "Vigilance orange canicule en Loire-Atlantique"
    assert alert.info.areas[0].description == "Loire-Atlantique"
    assert alert.info.areas[0].geocodes == (("EMMA_ID", "FR232"),)
    assert alert.sent.isoformat() == "2026-07-15T06:00:00+02:00"


def test_awareness_level_wins_over_severity():
    # Severity says Moderate (jaune) but MeteoAlarm's awareness colour says orange.
    assert cap.parse_alert(fixture("alerte_canicule_44.xml"), LIMIT).info.level == Level.ORANGE


@pytest.mark.parametrize(
    ("severity", "level"),
    [("Extreme", Level.RED), ("Severe", Level.ORANGE), ("Moderate", Level.YELLOW),
     ("Minor", Level.GREEN), ("Unknown", Level.GREEN)],
)  # fmt: skip
def test_severity_maps_to_a_colour(severity, level):
    assert cap.parse_alert(cap_alert(severity=severity), LIMIT).info.level == level


def test_awareness_level_in_french_or_as_a_number():
    assert cap.parse_alert(cap_alert(awareness="4; rouge"), LIMIT).info.level == Level.RED
    assert cap.parse_alert(cap_alert(awareness="2"), LIMIT).info.level == Level.YELLOW


def test_an_alert_off_the_schema_is_refused_with_a_french_message():
    with pytest.raises(DomainError) as error:
        cap.parse_alert(cap_alert(severity="Terrible"), LIMIT)
    assert error.value.message.startswith("L'alerte n'est pas conforme au schéma CAP 1.2 :")
    assert "Terrible" in error.value.message and "ligne" in error.value.message


def test_a_missing_mandatory_element_is_refused():
    data = cap_alert().replace(b"<scope>Public</scope>", b"")
    with pytest.raises(DomainError, match="schéma CAP 1.2"):
        cap.parse_alert(data, LIMIT)


def test_cap_1_1_and_other_documents_are_named():
    with pytest.raises(DomainError, match="CAP 1.1"):
        cap.parse_alert(cap_alert().replace(b"cap:1.2", b"cap:1.1"), LIMIT)
    with pytest.raises(DomainError, match="élément racine « html »"):
        cap.read_document(b"<html><body>Bonjour</body></html>", LIMIT)
    with pytest.raises(DomainError, match="pas du XML lisible"):
        cap.read_document(b"<alert>", LIMIT)
    with pytest.raises(DomainError, match="vide"):
        cap.read_document(b"  ", LIMIT)


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&xxe;</identifier></alert>"""
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>"""
PLAIN_DOCTYPE = b'<!doctype alert SYSTEM "http://example.invalid/cap.dtd"><alert/>'


@pytest.mark.parametrize("data", [XXE, BILLION_LAUGHS, PLAIN_DOCTYPE])
def test_doctype_entities_and_external_dtds_are_refused(data):
    with pytest.raises(DomainError, match="DOCTYPE ou ENTITY"):
        cap.read_document(data, LIMIT)


def test_a_doctype_hidden_in_utf16_is_still_refused():
    with pytest.raises(DomainError, match="DOCTYPE"):
        cap.read_document(
            XXE.replace(b'"1.0"?>', b'"1.0" encoding="UTF-16"?>').decode().encode("utf-16"), LIMIT
        )


def test_size_limit():
    data = cap_alert()
    with pytest.raises(DomainError, match="la limite est de 1 Ko"):
        cap.read_document(data + b" " * 2048, 1024)


def test_an_atom_feed_lists_its_entries_with_their_cap_link():
    entries = cap.read_document(fixture("flux_meteoalarm.atom"), LIMIT)
    assert [e.identifier for e in entries][:2] == [
        ALERT_ID,
        "2.49.0.0.250.0.FR.20260715060000.29.1",
    ]
    first = entries[0]
    assert first.cap_url == "{base}/cap/canicule-44.xml"  # the cap+xml link, not the web page
    assert first.msg_type == "Alert" and first.status == "Actual"
    assert first.areas[0].description == "Loire-Atlantique"
    assert first.areas[0].geocodes == (("EMMA_ID", "FR232"),)
    assert entries[2].status == "Test"


def test_an_rss_feed_and_an_embedded_alert():
    embedded = cap_alert().split(b"?>", 1)[1].decode()
    rss = f"""<rss version="2.0"><channel><title>Alertes</title>
      <item><title>Par lien</title><link>https://exemple.test/a.xml</link></item>
      <item><title>Intégrée</title><description>x</description>{embedded}</item>
      <item><title>Invalide</title>{embedded.replace("Severe", "Terrible")}</item>
    </channel></rss>""".encode()
    linked, inline, invalid = cap.read_document(rss, LIMIT)
    assert linked.cap_url == "https://exemple.test/a.xml" and linked.alert is None
    assert inline.alert.identifier == ALERT_ID
    assert invalid.alert is None and "schéma CAP 1.2" in invalid.error


def test_update_references_are_read():
    data = cap_alert("id-2", msg_type="Update", references="a@b,id-1,2026-07-15T06:00:00+02:00")
    alert = cap.parse_alert(data, LIMIT)
    assert [(r.sender, r.identifier) for r in alert.references] == [("a@b", "id-1")]
