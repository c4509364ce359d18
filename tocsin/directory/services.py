"""Operations on the directory; each saves in a transaction and writes the audit trail."""

from django.db import transaction
from django.utils.timezone import now

from tocsin.core.audit import log_action


def save_organisation(actor, form):
    """Create or update the organisation of a bound, valid ModelForm."""
    created = form.instance.pk is None
    with transaction.atomic():
        organisation = form.save()
        # Their search text holds its name; prefetched so a hospital with hundreds of contacts
        # costs a fixed number of queries plus one update per changed contact.
        contacts = organisation.contacts.select_related("commune").prefetch_related("organisations")
        for contact in contacts:
            refresh_search_text(contact)
        code = "created" if created else "updated"
        log_action(
            actor,
            organisation.cpts,
            f"directory.organisation.{code}",
            organisation,
            {"fields": form.changed_data},
        )
    return organisation


def save_contact(actor, form):
    created = form.instance.pk is None
    with transaction.atomic():
        contact = form.save()
        refresh_search_text(contact)
        code = "created" if created else "updated"
        log_action(
            actor, contact.cpts, f"directory.contact.{code}", contact, {"fields": form.changed_data}
        )
    return contact


def save_group(actor, form):
    created = form.instance.pk is None
    with transaction.atomic():
        group = form.save()
        code = "created" if created else "updated"
        log_action(actor, group.cpts, f"directory.group.{code}", group)
    return group


def delete_entry(actor, entry, kind: str):
    """Delete a contact, organisation or group (kind is the audit word)."""
    with transaction.atomic():
        log_action(actor, entry.cpts, f"directory.{kind}.deleted", entry)
        entry.delete()


def refresh_search_text(contact):
    names = [o.name for o in contact.organisations.all()]
    text = contact.build_search_text(names)
    if text != contact.search_text:
        # updated_at moves too: the search vocabulary cache is keyed on it.
        type(contact).objects.filter(pk=contact.pk).update(search_text=text, updated_at=now())
        contact.search_text = text
