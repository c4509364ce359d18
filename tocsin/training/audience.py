"""Who a session invites: directory groups, organisations and individual contacts, each invited
by e-mail or listed with the reason it cannot be (no e-mail, already invited): nobody is
silently left out (`alerts.audience.email_invitation`)."""

from tocsin.alerts import audience

KEYS = ("groups", "organisations", "contacts")
ALREADY_INVITED = "Déjà invité(e) à cette session"


def is_empty(criteria: dict) -> bool:
    return not any(criteria.get(key) for key in KEYS)


def invitation(session, criteria: dict) -> audience.EmailInvitation:
    already = set(session.registrations.values_list("contact_id", flat=True))
    return audience.email_invitation(session.cpts, {key: criteria.get(key, []) for key in KEYS},
                                     already=already, already_reason=ALREADY_INVITED)  # fmt: skip
