"""The main courante: append-only, hash-chained, and a tampered row is named exactly."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.crises.factories import active_crisis
from tocsin.crises import logbook, services
from tocsin.crises.models import LogbookImmutableError, LogEntry


@pytest.fixture
def crisis(personas):
    crisis = active_crisis(personas.cpts, personas.referent)
    for n in range(1, 6):
        services.add_entry(personas.cell_member, crisis, "information", f"Appel n° {n} reçu")
    return crisis


def test_each_entry_links_to_the_previous_one(crisis):
    entries = list(crisis.entries.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5, 6]  # activation + 5
    assert entries[0].prev_hash == logbook.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    crisis.refresh_from_db()
    assert crisis.log_head == entries[-1].hash and crisis.log_length == 6
    assert logbook.verify(crisis).ok


def test_entries_cannot_be_changed_or_removed_through_the_application(crisis):
    entry = crisis.entries.get(seq=3)
    entry.text = "Autre chose"
    with pytest.raises(LogbookImmutableError):
        entry.save()
    with pytest.raises(LogbookImmutableError):
        entry.delete()
    with pytest.raises(LogbookImmutableError):
        LogEntry.objects.filter(pk=entry.pk).update(text="x")


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_row_edited_in_the_database_is_named(crisis):
    target = crisis.entries.get(seq=4)
    _raw("UPDATE crises_logentry SET text = %s WHERE id = %s", ["Appel jamais reçu", target.pk])
    result = logbook.verify(crisis)
    assert not result.ok
    assert result.broken_seq == 4
    assert "n° 4" in result.sentence and "modifié" in result.sentence


def test_a_row_removed_in_the_middle_is_named(crisis):
    _raw("DELETE FROM crises_logentry WHERE id = %s", [crisis.entries.get(seq=3).pk])
    assert logbook.verify(crisis).broken_seq == 3


def test_rewriting_a_row_and_its_own_hash_breaks_the_next_link(crisis):
    target = crisis.entries.get(seq=2)
    forged = LogEntry(
        crisis_id=crisis.pk,
        seq=2,
        at=target.at,
        author_name=target.author_name,
        kind=target.kind,
        text="Version réécrite",
        automatic=target.automatic,
        prev_hash=target.prev_hash,
    )
    _raw(
        "UPDATE crises_logentry SET text = %s, hash = %s WHERE id = %s",
        ["Version réécrite", logbook.entry_hash(forged, None), target.pk],
    )
    result = logbook.verify(crisis)
    assert result.broken_seq == 3
    assert "lien" in result.sentence


def test_the_last_entries_removed_are_noticed(crisis):
    _raw("DELETE FROM crises_logentry WHERE crisis_id = %s AND seq >= 5", [crisis.pk])
    assert logbook.verify(crisis).broken_seq == 5


def test_a_correction_is_a_new_entry_that_points_to_the_old_one(crisis, personas):
    wrong = crisis.entries.get(seq=2)
    fix = services.add_entry(
        personas.referent, crisis, "information", "Appel n° 1 : de l'ARS", corrects=wrong
    )
    assert fix.seq == 7 and fix.corrects == wrong
    assert LogEntry.objects.get(pk=wrong.pk).text == "Appel n° 1 reçu"
    assert logbook.verify(crisis).ok


def test_the_command_reports_the_broken_entry(crisis, capsys):
    call_command("verify_logbook")
    assert "intègre" in capsys.readouterr().out
    _raw(
        "UPDATE crises_logentry SET author_name = %s WHERE crisis_id = %s AND seq = 2",
        ["Quelqu'un d'autre", crisis.pk],
    )
    with pytest.raises(CommandError):
        call_command("verify_logbook", crisis=crisis.pk)
    assert "altérée à l'entrée n° 2" in capsys.readouterr().out


def _queries_to_append(crisis, user):
    with CaptureQueriesContext(connection) as queries:
        logbook.append(crisis, "information", "Encore une entrée", author=user)
    return [q["sql"] for q in queries.captured_queries]


def test_appending_costs_the_same_whatever_the_length_of_the_log(crisis, personas):
    short = _queries_to_append(crisis, personas.referent)
    for n in range(200):
        logbook.append(crisis, "information", f"Entrée {n}")
    long = _queries_to_append(crisis, personas.referent)
    assert len(short) == len(long) <= 5  # savepoint, locked head, insert, head update, release
    assert not any("COUNT(" in sql.upper() for sql in long)
