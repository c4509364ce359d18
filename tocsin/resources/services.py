"""Operations on the resource inventory; each saves in a transaction and writes the audit trail.

The audit code is `resources.<kind>.<verb>`, the kind being the model's `resource_kind`.
"""

from django.db import transaction
from django.utils import timezone

from tocsin.core.audit import log_action


def save_resource(actor, form):
    """Create or update the resource of a bound, valid ModelForm."""
    created = form.instance.pk is None
    with transaction.atomic():
        resource = form.save()
        verb = "created" if created else "updated"
        _log(actor, resource, verb, {"fields": form.changed_data})
    return resource


def delete_resource(actor, resource):
    with transaction.atomic():
        _log(actor, resource, "deleted")
        resource.delete()


def mark_checked(actor, resource, today=None):
    """Record that someone checked the resource today; a second click the same day is a no-op."""
    today = today or timezone.localdate()
    if resource.checked_on == today:
        return resource
    with transaction.atomic():
        resource.checked_on = today
        resource.save(update_fields=["checked_on", "updated_at"])
        _log(actor, resource, "checked", {"checked_on": today.isoformat()})
    return resource


def _log(actor, resource, verb, data=None):
    code = f"resources.{resource.resource_kind}.{verb}"
    log_action(actor, resource.cpts, code, resource, data)
