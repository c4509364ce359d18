import pytest
from django.apps import apps

from tocsin.core.audit import UnknownAuditCodeError, audit_codes, log_action
from tocsin.core.models import AuditEntry, AuditImmutableError


@pytest.fixture
def entry(personas):
    return log_action(
        personas.coordinator,
        personas.cpts,
        "core.membership.created",
        personas.member,
        {"role": "Professionnel membre"},
    )


def test_log_action_records_who_what_and_target(entry, personas):
    assert entry.actor == personas.coordinator
    assert entry.cpts == personas.cpts
    assert entry.target_id == str(personas.member.pk)
    assert entry.target_label == str(personas.member)
    expected = (
        f"{personas.coordinator} a donné le rôle « Professionnel membre » à {personas.member}"
    )
    assert entry.sentence == expected


def test_unknown_code_is_refused(personas):
    with pytest.raises(UnknownAuditCodeError):
        log_action(personas.coordinator, personas.cpts, "core.nothing.happened")
    assert not AuditEntry.objects.filter(code="core.nothing.happened").exists()


def test_entries_can_be_neither_changed_nor_deleted(entry):
    entry.code = "core.cpts.updated"
    with pytest.raises(AuditImmutableError):
        entry.save()
    with pytest.raises(AuditImmutableError):
        entry.delete()
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).update(code="x")
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).code == "core.membership.created"


def test_system_actions_are_attributed_to_the_system(personas):
    entry = log_action(None, personas.cpts, "core.cpts.updated", personas.cpts)
    assert entry.actor is None
    assert entry.sentence.startswith("Système a modifié")


def test_every_code_is_dotted_and_reads_as_a_sentence():
    for code, sentence in audit_codes().items():
        assert code.count(".") >= 2, code
        assert apps.is_installed(f"tocsin.{code.split('.')[0]}"), code
        assert sentence[0].isupper() or sentence.startswith("{actor}"), code
