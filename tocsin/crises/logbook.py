"""The main courante: append-only, hash-chained.

Each entry stores the SHA-256 of its own content joined to the previous entry's hash. Changing,
removing or reordering any row in the database breaks the chain at that row, which `verify`
finds and names. Appending locks the crisis row and reads the chain head kept on it, so the
cost of an entry does not grow with the length of the log.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tocsin.crises.models import Crisis, LogEntry

GENESIS = "0" * 64


def entry_hash(entry: LogEntry, corrects_seq: int | None) -> str:
    content = [
        entry.crisis_id,
        entry.seq,
        entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        entry.author_name,
        entry.kind,
        entry.text,
        corrects_seq,
        entry.automatic,
        entry.prev_hash,
    ]
    payload = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def append(crisis, kind, text, *, author=None, author_name="", corrects=None, automatic=False):
    """Add one entry at the end of the crisis's logbook and return it."""
    with transaction.atomic():
        head = Crisis.objects.select_for_update().only("log_length", "log_head").get(pk=crisis.pk)
        entry = LogEntry(
            crisis_id=crisis.pk,
            seq=head.log_length + 1,
            at=timezone.now(),
            author=author,
            author_name=(author_name or (str(author) if author else "Tocsin"))[:200],
            kind=kind,
            text=text,
            corrects=corrects,
            automatic=automatic,
            prev_hash=head.log_head or GENESIS,
        )
        entry.hash = entry_hash(entry, corrects.seq if corrects else None)
        entry.save()
        Crisis.objects.filter(pk=crisis.pk).update(
            log_length=entry.seq, log_head=entry.hash, revision=F("revision") + 1
        )
    crisis.log_length, crisis.log_head = entry.seq, entry.hash
    return entry


@dataclass(frozen=True)
class Verification:
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    head: str = GENESIS  # hash of the last entry verified, to resume from

    @property
    def ok(self) -> bool:
        return self.broken_seq is None

    @property
    def sentence(self) -> str:
        if self.ok:
            return f"Main courante intègre : {self.checked} entrée(s) vérifiée(s)."
        return f"Main courante altérée à l'entrée n° {self.broken_seq} : {self.reason}"


def verify(crisis, *, after: int = 0, prev_hash: str = GENESIS, batch_size=2000) -> Verification:
    """Walk the chain and report the first entry that does not hold.

    From the start by default; `after` and `prev_hash` resume from an entry already verified,
    so a page can check only what was appended since (a full walk still runs regularly).
    """
    expected_prev, expected_seq = prev_hash, after + 1
    rows = (
        LogEntry.objects.filter(crisis_id=crisis.pk, seq__gt=after)
        .order_by("seq")
        .values_list("seq", "at", "author_name", "kind", "text", "corrects__seq",
                     "corrects_id", "automatic", "prev_hash", "hash")
    )  # fmt: skip
    checked = after
    for (
        seq,
        at,
        author_name,
        kind,
        text,
        corrects_seq,
        corrects_id,
        automatic,
        prev,
        stored,
    ) in rows.iterator(chunk_size=batch_size):
        if seq != expected_seq:
            return Verification(checked, expected_seq, "entrée manquante ou renumérotée.")
        if prev != expected_prev:
            return Verification(checked, seq, "le lien avec l'entrée précédente est rompu.")
        if corrects_id and (corrects_seq is None or corrects_seq >= seq):
            return Verification(checked, seq, "l'entrée corrigée n'existe pas avant elle.")
        entry = LogEntry(crisis_id=crisis.pk, seq=seq, at=at, author_name=author_name,
                         kind=kind, text=text, automatic=automatic, prev_hash=prev)  # fmt: skip
        if entry_hash(entry, corrects_seq) != stored:
            return Verification(checked, seq, "son contenu a été modifié après enregistrement.")
        expected_prev, expected_seq = stored, seq + 1
        checked += 1
    length, head = Crisis.objects.filter(pk=crisis.pk).values_list("log_length", "log_head").get()
    if length > checked:
        return Verification(checked, checked + 1, "les entrées suivantes ont été supprimées.")
    if length < checked:
        return Verification(checked, length + 1, "entrée ajoutée en dehors de Tocsin.")
    if checked and head != expected_prev:
        return Verification(checked, checked, "la dernière entrée ne correspond plus.")
    return Verification(checked, head=expected_prev)
