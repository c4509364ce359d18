"""Importing CAP alerts and vigilance into the watch log, and who is told about them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.watch.factories import ALERT_ID, cap_alert, fixture, reference, vigilance_map
from tocsin.core.errors import DomainError
from tocsin.core.models import AuditEntry
from tocsin.watch import services
from tocsin.watch.enums import Level, SignalSource
from tocsin.watch.forms import SignalForm
from tocsin.watch.models import Signal


def cap_signals(cpts):
    return Signal.objects.filter(cpts=cpts, source=SignalSource.CAP)


def test_an_alert_for_the_territory_becomes_a_signal(personas):
    report = services.import_cap_document(
        personas.coordinator, personas.cpts, fixture("alerte_canicule_44.xml")
    )
    (signal,) = report.created
    assert signal.identifier == ALERT_ID and signal.sender == "vigilance@meteo.fr"
    assert signal.level == Level.ORANGE and signal.event == "Canicule"
    assert signal.headline == "Vigilance orange canicule en Loire-Atlantique"
    assert signal.areas == "Loire-Atlantique" and signal.departments == ["44"]
    assert signal.is_in_force and not signal.is_exercise
    assert "<identifier>2.49.0.0.250.0.FR" in signal.document  # kept as evidence
    assert AuditEntry.objects.filter(code="watch.signal.received", target_id=str(signal.pk))
    assert AuditEntry.objects.filter(code="watch.cap.imported", actor=personas.coordinator)


def test_an_alert_elsewhere_is_ignored_and_says_why(personas):
    data = cap_alert(area="<areaDesc>Finistère</areaDesc>")
    report = services.import_cap_document(personas.coordinator, personas.cpts, data)
    assert not report.created
    assert report.ignored == [
        (f"Vigilance canicule en Loire-Atlantique ({ALERT_ID})", "hors du territoire de la CPTS")
    ]
    assert not cap_signals(personas.cpts).exists()


def test_a_polygon_over_the_territory_is_kept(personas):
    commune = personas.cpts.territory.first().commune  # at 47.15, -2.05
    ring = "47.1,-2.1 47.2,-2.1 47.2,-2.0 47.1,-2.0 47.1,-2.1"
    data = cap_alert(area=f"<areaDesc>Estuaire</areaDesc><polygon>{ring}</polygon>")
    report = services.import_cap_document(personas.coordinator, personas.cpts, data)
    assert report.created[0].departments == [commune.department_code]


def test_the_same_alert_twice_is_recorded_once(personas):
    for _ in range(2):
        report = services.import_cap_document(personas.coordinator, personas.cpts, cap_alert())
    assert report.ignored[0][1] == "déjà enregistrée"
    assert cap_signals(personas.cpts).count() == 1


def test_each_cpts_keeps_its_own_copy(personas):
    services.import_cap_document(personas.coordinator, personas.cpts, cap_alert())
    services.import_cap_document(personas.outsider, personas.other_cpts, cap_alert())
    assert cap_signals(personas.cpts).count() == cap_signals(personas.other_cpts).count() == 1


def test_an_update_supersedes_the_alert_it_references(personas):
    services.import_cap_document(personas.coordinator, personas.cpts, cap_alert())
    update = cap_alert("id-update", msg_type="Update", references=reference(),
                       sent="2026-07-15T10:00:00+02:00", severity="Extreme")  # fmt: skip
    report = services.import_cap_document(personas.coordinator, personas.cpts, update)
    old = Signal.objects.get(identifier=ALERT_ID)
    new = Signal.objects.get(identifier="id-update")
    assert report.superseded == [(old, new)] and not report.created
    assert old.superseded_by == new and not old.is_in_force
    assert new.is_in_force and new.level == Level.RED and new.message_type == "Update"
    assert AuditEntry.objects.filter(code="watch.signal.superseded", target_id=str(old.pk))


def test_a_cancel_ends_the_alert_and_is_kept_but_never_in_force(personas):
    services.import_cap_document(personas.coordinator, personas.cpts, cap_alert())
    cancel = cap_alert("id-cancel", msg_type="Cancel", references=reference(),
                       sent="2026-07-15T11:00:00+02:00")  # fmt: skip
    report = services.import_cap_document(personas.coordinator, personas.cpts, cancel)
    old = Signal.objects.get(identifier=ALERT_ID)
    assert old.cancelled_at.isoformat() == "2026-07-15T09:00:00+00:00" and not old.is_in_force
    assert report.cancelled == [(old, "alerte annulée par son émetteur")]
    assert not Signal.objects.get(identifier="id-cancel").is_in_force
    assert Signal.objects.in_force().filter(source=SignalSource.CAP).count() == 0


def test_a_cancel_without_info_of_an_alert_we_hold(personas):
    services.import_cap_document(personas.coordinator, personas.cpts, cap_alert())
    cancel = cap_alert("id-cancel", msg_type="Cancel", references=reference(), info=False)
    services.import_cap_document(personas.coordinator, personas.cpts, cancel)
    row = Signal.objects.get(identifier="id-cancel")
    assert row.headline == "Annulation : Vigilance canicule en Loire-Atlantique"


def test_a_cancel_of_an_unknown_alert_is_ignored(personas):
    cancel = cap_alert("id-cancel", msg_type="Cancel", references=reference("inconnue"))
    report = services.import_cap_document(personas.coordinator, personas.cpts, cancel)
    assert report.ignored[0][1] == "annule une alerte que la veille n'a pas reçue"


def test_an_update_and_its_alert_in_one_feed_are_applied_in_order(personas):
    """Newest first in the document, oldest first in the log."""
    update = cap_alert("id-update", msg_type="Update", references=reference(),
                       sent="2026-07-15T10:00:00+02:00")  # fmt: skip
    items = "".join(
        f"<item>{alert.split(b'?>', 1)[1].decode()}</item>" for alert in (update, cap_alert())
    )
    feed = f"<rss><channel>{items}</channel></rss>".encode()
    services.import_cap_document(personas.coordinator, personas.cpts, feed)
    assert Signal.objects.get(identifier=ALERT_ID).superseded_by.identifier == "id-update"


@pytest.mark.parametrize(
    ("status", "reason"),
    [("Test", "message de test"), ("System", "message technique entre systèmes"),
     ("Draft", "brouillon")],
)  # fmt: skip
def test_test_and_system_messages_are_ignored_and_reported(personas, status, reason):
    report = services.import_cap_document(
        personas.coordinator, personas.cpts, cap_alert(status=status)
    )
    assert report.ignored[0][1] == reason and not cap_signals(personas.cpts).exists()
    assert reason in report.summary()


def test_an_exercise_is_marked_as_such(personas):
    report = services.import_cap_document(
        personas.coordinator, personas.cpts, cap_alert(status="Exercise")
    )
    assert report.created[0].is_exercise


def test_a_malformed_document_writes_nothing(personas):
    with pytest.raises(DomainError, match="schéma CAP 1.2"):
        services.import_cap_document(
            personas.coordinator, personas.cpts, cap_alert(severity="Terrible")
        )
    assert not cap_signals(personas.cpts).exists()


# --- Notifications ----------------------------------------------------------------------------


def test_an_orange_alert_emails_the_referent_and_the_deputy(
    personas, deputy, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.import_cap_document(
            personas.coordinator, personas.cpts, fixture("alerte_canicule_44.xml")
        )
    signal = report.created[0]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([personas.referent.email, deputy.email])
    subject = mailoutbox[0].subject
    assert subject == (
        "CPTS Côte de Test : signal orange — Vigilance orange canicule en Loire-Atlantique"
    )
    assert f"/veille/signaux/{signal.pk}/" in mailoutbox[0].body
    assert personas.coordinator.email not in [m.to[0] for m in mailoutbox]
    assert AuditEntry.objects.filter(code="watch.signal.notified", target_id=str(signal.pk))


def test_an_exercise_says_so_in_the_subject(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.import_cap_document(
            personas.coordinator, personas.cpts, cap_alert(status="Exercise", severity="Extreme")
        )
    assert mailoutbox[0].subject.startswith("EXERCICE — CPTS Côte de Test : signal rouge")
    assert "EXERCICE" in mailoutbox[0].body


def test_yellow_signals_and_updates_that_do_not_rise_send_nothing(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    steps = [
        (cap_alert(severity="Moderate"), 0),
        (cap_alert("id-2", msg_type="Update", references=reference(), severity="Severe"), 1),
        (cap_alert("id-3", msg_type="Update", references=reference("id-2"), severity="Severe"), 1),
    ]  # jaune: nothing; jaune → orange: the rise is news; orange → orange: nothing new
    for data, sent in steps:
        with django_capture_on_commit_callbacks(execute=True):
            services.import_cap_document(personas.coordinator, personas.cpts, data)
        assert len(mailoutbox) == sent


def test_a_manual_red_signal_with_attachments(
    personas, deputy, mailoutbox, django_capture_on_commit_callbacks
):
    form = SignalForm(
        {"sender": "DGS-Urgent", "sent_at": "2026-07-15T09:30", "event": "Pénurie",
         "headline": "DGS-Urgent : tension sur l'amoxicilline", "level": Level.RED},
        instance=Signal(cpts=personas.cpts),
    )  # fmt: skip
    assert form.is_valid(), form.errors
    files = [
        SimpleUploadedFile("dgs-urgent.pdf", b"%PDF-1.4"),
        SimpleUploadedFile("note.txt", b"x"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        signal = services.record_signal(personas.cell_member, form, files)
    assert signal.source == SignalSource.MANUAL and signal.created_by == personas.cell_member
    assert sorted(a.name for a in signal.attachments.all()) == ["dgs-urgent.pdf", "note.txt"]
    assert len(mailoutbox) == 2
    assert mailoutbox[0].subject == (
        "CPTS Côte de Test : signal rouge — DGS-Urgent : tension sur l'amoxicilline"
    )
    entry = AuditEntry.objects.get(code="watch.signal.recorded")
    assert entry.actor == personas.cell_member and entry.data["attachments"] == 2


# --- Météo-France vigilance -------------------------------------------------------------------


def vigilance_signals(cpts):
    return Signal.objects.filter(cpts=cpts, source=SignalSource.VIGILANCE)


def test_the_vigilance_map_keeps_jaune_and_above_for_the_territory(personas):
    report = services.import_vigilance(None, personas.cpts, fixture("carte_vigilance.json"))
    headlines = sorted(s.headline for s in report.created)
    assert headlines == [
        "Vigilance jaune canicule le 16/07/2026 — Loire-Atlantique (44)",
        "Vigilance jaune orages le 15/07/2026 — Loire-Atlantique (44)",
        "Vigilance jaune vagues-submersion le 15/07/2026 — Littoral de Loire-Atlantique (4410)",
        "Vigilance orange canicule le 15/07/2026 — Loire-Atlantique (44)",
    ]  # Finistère's red wind and the green wind in 44 are not kept
    canicule = vigilance_signals(personas.cpts).get(level=Level.ORANGE)
    assert canicule.identifier == "44:6:2026-07-15@20260715T140000Z"
    assert canicule.departments == ["44"] and canicule.sender == "Météo-France"
    coast = vigilance_signals(personas.cpts).get(identifier__startswith="4410:")
    assert coast.departments == ["44"]


def test_the_same_map_twice_changes_nothing(personas):
    services.import_vigilance(None, personas.cpts, fixture("carte_vigilance.json"))
    report = services.import_vigilance(None, personas.cpts, fixture("carte_vigilance.json"))
    assert report.created == [] and report.unchanged == 4
    assert vigilance_signals(personas.cpts).count() == 4


def test_a_colour_change_makes_a_new_signal_that_supersedes_the_previous(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.import_vigilance(None, personas.cpts, vigilance_map({("44", "6"): 2}))
        assert mailoutbox == []
        report = services.import_vigilance(
            None, personas.cpts,
            vigilance_map({("44", "6"): 3}, update_time="2026-07-15T16:00:00Z"),
        )  # fmt: skip
    ((old, new),) = report.superseded
    assert (old.level, new.level) == (Level.YELLOW, Level.ORANGE)
    assert old.superseded_by == new and new.is_in_force
    assert new.identifier == "44:6:2026-07-15@20260715T160000Z"
    assert len(mailoutbox) == 1  # to the référent: jaune → orange
    assert mailoutbox[0].subject.startswith("CPTS Côte de Test : signal orange — Vigilance orange")


def test_back_to_green_ends_the_signal(personas):
    services.import_vigilance(None, personas.cpts, vigilance_map({("44", "6"): 3}))
    report = services.import_vigilance(
        None, personas.cpts, vigilance_map({("44", "6"): 1}, update_time="2026-07-15T18:00:00Z")
    )
    ((signal, reason),) = report.cancelled
    assert reason == "vigilance levée par Météo-France" and not signal.is_in_force


def test_a_malformed_map_is_a_french_error(personas):
    with pytest.raises(DomainError, match="pas un JSON lisible"):
        services.import_vigilance(None, personas.cpts, b"<html>")
    with pytest.raises(DomainError, match="forme d'une carte de vigilance"):
        services.import_vigilance(None, personas.cpts, b'{"product": {}}')
    broken = b'{"product": {"update_time": "2026-07-15T14:00:00Z", "periods": [{"echeance": "J"}]}}'
    with pytest.raises(DomainError, match="« timelaps »"):
        services.import_vigilance(None, personas.cpts, broken)
