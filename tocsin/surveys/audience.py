"""Who a survey asks: directory groups and organisations, each contact invited by e-mail or
listed with the reason it cannot be (`alerts.audience.email_invitation`). A respondent's kind
(what results filter on) comes from the directory.
"""

from tocsin.alerts import audience
from tocsin.surveys.enums import OTHER_KIND

KEYS = ("groups", "organisations")


def is_empty(criteria: dict) -> bool:
    return not any(criteria.get(key) for key in KEYS)


def kind_of(contact) -> str:
    """The kind of their first organisation (« Mairie »), else their profession, else Autre."""
    organisations = list(contact.organisations.all())
    if organisations:
        return organisations[0].get_kind_display()
    return contact.profession_label or OTHER_KIND


def invitation(cpts, criteria: dict) -> audience.EmailInvitation:
    return audience.email_invitation(cpts, {key: criteria.get(key, []) for key in KEYS})
