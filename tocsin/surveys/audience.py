"""Who a survey asks: directory groups and organisations, resolved as the alerts' audience.

Each contact found is invited by e-mail, or listed with the reason it cannot be: nobody is
silently left out. A respondent's kind (what results filter on) comes from the directory.
"""

from dataclasses import dataclass, field

from tocsin.alerts import audience
from tocsin.surveys.enums import OTHER_KIND

NO_EMAIL = "Pas d'adresse e-mail dans l'annuaire"


def is_empty(criteria: dict) -> bool:
    return not (criteria.get("groups") or criteria.get("organisations"))


def contacts(cpts, criteria: dict):
    """The chosen contacts, each once, with their organisations (for their kind)."""
    selection = {key: criteria.get(key, []) for key in ("groups", "organisations")}
    return audience.contacts(cpts, selection).prefetch_related("organisations")


def kind_of(contact) -> str:
    """The kind of their first organisation (« Mairie »), else their profession, else Autre."""
    organisations = list(contact.organisations.all())
    if organisations:
        return organisations[0].get_kind_display()
    return contact.profession_label or OTHER_KIND


@dataclass
class Invitation:
    invited: list = field(default_factory=list)  # contacts with an e-mail
    excluded: list = field(default_factory=list)  # (contact, reason)


def invitation(cpts, criteria: dict) -> Invitation:
    found = Invitation()
    for contact in contacts(cpts, criteria):
        if contact.email:
            found.invited.append(contact)
        else:
            found.excluded.append((contact, NO_EMAIL))
    return found
