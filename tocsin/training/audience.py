"""Who a session invites: directory groups, organisations and individual contacts, resolved
as the alerts' audience. Each contact found is invited by e-mail, or listed with the reason it
cannot be (no e-mail, already invited): nobody is silently left out."""

from dataclasses import dataclass, field

from tocsin.alerts import audience

KEYS = ("groups", "organisations", "contacts")
NO_EMAIL = "Pas d'adresse e-mail dans l'annuaire"
ALREADY_INVITED = "Déjà invité(e) à cette session"


def is_empty(criteria: dict) -> bool:
    return not any(criteria.get(key) for key in KEYS)


@dataclass
class Invitation:
    invited: list = field(default_factory=list)  # contacts to e-mail
    excluded: list = field(default_factory=list)  # (contact, reason)


def invitation(session, criteria: dict) -> Invitation:
    selection = {key: criteria.get(key, []) for key in KEYS}
    already = set(session.registrations.values_list("contact_id", flat=True))
    found = Invitation()
    for contact in audience.contacts(session.cpts, selection):
        if contact.pk in already:
            found.excluded.append((contact, ALREADY_INVITED))
        elif not contact.email:
            found.excluded.append((contact, NO_EMAIL))
        else:
            found.invited.append(contact)
    return found
