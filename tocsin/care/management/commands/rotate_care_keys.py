"""Re-encrypt the register with the newest key of TOCSIN_CARE_KEYS, so the older ones can go.

Put the new key first in TOCSIN_CARE_KEYS (the old ones after it), restart, run this, then
remove the old keys. It works on the stored tokens in SQL: no clear value goes through Python
model instances, and it is one transaction.
"""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from tocsin.care import crypto
from tocsin.care.models import Call, Patient
from tocsin.core.audit import log_action


def rotate_all() -> int:
    rows = 0
    with transaction.atomic():
        for model in (Patient, Call):
            columns = [f.column for f in model._meta.concrete_fields
                       if getattr(f, "encrypted_at_rest", False)]  # fmt: skip
            rows += _rotate_table(model._meta.db_table, columns)
        log_action(None, None, "care.keys.rotated", data={"rows": rows})
    return rows


def _rotate_table(table, columns) -> int:
    quote = connection.ops.quote_name
    listed = ", ".join(quote(c) for c in columns)
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {listed} FROM {quote(table)}")  # noqa: S608 — our own names
        stored = cursor.fetchall()
        for pk, *tokens in stored:
            cursor.execute(
                f"UPDATE {quote(table)} SET {assignments} WHERE id = %s",  # noqa: S608
                [crypto.rotate(token or "") for token in tokens] + [pk],
            )
    return len(stored)


class Command(BaseCommand):
    help = "Rechiffre le registre des patients avec la première clé de TOCSIN_CARE_KEYS."

    def handle(self, *args, **options):
        rows = rotate_all()
        self.stdout.write(f"{rows} ligne(s) rechiffrée(s) avec la nouvelle clé.")
