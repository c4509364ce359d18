"""Builders for the watch tests: fictional CAP alerts, feeds and vigilance maps."""

import json
from pathlib import Path

import factory
from django.utils import timezone

from tests.factories import CptsFactory
from tocsin.watch.enums import FeedKind, Level, SignalSource
from tocsin.watch.models import Feed, Signal

FIXTURES = Path(__file__).parent / "fixtures"
ALERT_ID = "2.49.0.0.250.0.FR.20260715060000.44.6"
SENDER = "vigilance@meteo.fr"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class SignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signal

    cpts = factory.SubFactory(CptsFactory)
    source = SignalSource.MANUAL
    sender = "ARS Pays de la Loire"
    sent_at = factory.LazyFunction(timezone.now)
    level = Level.YELLOW
    event = "Information"
    headline = factory.Sequence(lambda n: f"Signal {n}")


class FeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feed

    cpts = factory.SubFactory(CptsFactory)
    kind = FeedKind.CAP
    name = factory.Sequence(lambda n: f"Flux {n}")
    url = "http://127.0.0.1:9/flux.xml"


def cap_alert(
    identifier=ALERT_ID,
    *,
    sent="2026-07-15T06:00:00+02:00",
    status="Actual",
    msg_type="Alert",
    references="",
    severity="Severe",
    awareness="",
    headline="Vigilance canicule en Loire-Atlantique",
    area="<areaDesc>Loire-Atlantique</areaDesc>",
    info=True,
) -> bytes:
    """A fictional CAP 1.2 alert; `area` is the inside of its <area> element."""
    parameter = (
        f"<parameter><valueName>awareness_level</valueName><value>{awareness}</value></parameter>"
        if awareness
        else ""
    )
    info_block = f"""
  <info>
    <language>fr-FR</language>
    <category>Met</category>
    <event>Canicule</event>
    <urgency>Future</urgency>
    <severity>{severity}</severity>
    <certainty>Likely</certainty>
    <expires>2099-07-16T06:00:00+02:00</expires>
    <senderName>Météo-France</senderName>
    <headline>{headline}</headline>
    <description>Fortes chaleurs attendues.</description>
    <instruction>Protégez les personnes fragiles.</instruction>
    {parameter}
    <area>{area}</area>
  </info>"""
    refs = f"<references>{references}</references>" if references else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier>
  <sender>{SENDER}</sender>
  <sent>{sent}</sent>
  <status>{status}</status>
  <msgType>{msg_type}</msgType>
  <scope>Public</scope>
  {refs}{info_block if info else ""}
</alert>""".encode()


def reference(identifier=ALERT_ID, sent="2026-07-15T06:00:00+02:00") -> str:
    return f"{SENDER},{identifier},{sent}"


def vigilance_map(colours: dict, update_time="2026-07-15T14:00:00Z", day="2026-07-14") -> bytes:
    """A one-period (J) map; `colours` maps (domain, phenomenon) to a colour 1–4."""
    domains = {}
    for (domain, phenomenon), colour in colours.items():
        domains.setdefault(domain, []).append(
            {"phenomenon_id": phenomenon, "phenomenon_max_color_id": colour, "timelaps_items": []}
        )
    return json.dumps(
        {
            "product": {
                "update_time": update_time,
                "periods": [
                    {
                        "echeance": "J",
                        "begin_validity_time": f"{day}T22:00:00Z",
                        "end_validity_time": "2099-07-15T22:00:00Z",
                        "timelaps": {
                            "domain_ids": [
                                {"domain_id": d, "phenomenon_items": items}
                                for d, items in domains.items()
                            ]
                        },
                    }
                ],
            }
        }
    ).encode()
