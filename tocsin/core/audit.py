"""log_action, the single way a state change reaches the audit trail, and the code registry.

Every app declares its action codes with a French sentence in its `audit_codes.py`
(`AUDIT_CODES = {"plans.version.validated": "{actor} a validé la version {target}"}`);
log_action refuses an unknown code so that every entry can be read by a coordinator.
"""

from importlib import import_module

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from tocsin.core.models import AuditEntry

SYSTEM_ACTOR = "Système"
_codes: dict[str, str] = {}


class UnknownAuditCodeError(LookupError):
    pass


def audit_codes() -> dict[str, str]:
    if not _codes:
        for config in apps.get_app_configs():
            if config.name.startswith("tocsin."):
                try:
                    module = import_module(f"{config.name}.audit_codes")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.audit_codes":
                        raise
                    continue
                _codes.update(module.AUDIT_CODES)
    return _codes


def log_action(actor, cpts, code, target=None, data=None, *, actor_label=None) -> AuditEntry:
    """Record that `actor` (a user, or None for the system) did `code` to `target` in `cpts`."""
    if code not in audit_codes():
        raise UnknownAuditCodeError(f"Code d'audit inconnu : {code}")
    if actor is not None and not actor.is_authenticated:
        actor = None
    entry = AuditEntry(
        cpts=cpts,
        actor=actor,
        actor_label=actor_label or (str(actor) if actor else SYSTEM_ACTOR),
        code=code,
        data=data or {},
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
        entry.target_label = str(target)[:300]
    entry.save()
    return entry


class _Defaulting(dict):
    def __missing__(self, key):
        return "?"


def describe(entry: AuditEntry) -> str:
    """The entry as a French sentence, e.g. « Claire Martin a créé la CPTS Côte de Jade »."""
    template = audit_codes().get(entry.code, "{actor} : " + entry.code)
    values = _Defaulting(entry.data if isinstance(entry.data, dict) else {})
    values.update(actor=entry.actor_label, target=entry.target_label or "—")
    return template.format_map(values)
