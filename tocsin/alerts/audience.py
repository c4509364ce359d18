"""Who a campaign reaches, and how.

The audience is a union of selections (groups, crisis functions of the plan's cell,
organisations, individuals, all volunteers) plus one filter on professions and communes together
(« les infirmiers de Nantes »). Each contact found gets its ordered channels, or the reason it
cannot be alerted: nobody is silently dropped.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from tocsin.alerts.enums import Channel, Exclusion
from tocsin.directory.models import Contact, Group
from tocsin.directory.selectors import rule_condition
from tocsin.plans.models import CellMember, PlanVersion

# Without a stated preference, e-mail first (it carries the whole message), then SMS.
DEFAULT_ORDER = (Channel.EMAIL, Channel.SMS)
SELECTION_KEYS = ("groups", "functions", "organisations", "contacts", "professions", "communes")


def is_empty(criteria: dict) -> bool:
    return not (any(criteria.get(key) for key in SELECTION_KEYS) or criteria.get("volunteers"))


def condition(cpts, criteria: dict) -> Q:
    """The Q selecting the audience's contacts; matches nobody for empty criteria."""
    selected = Q(pk__in=[])
    if criteria.get("groups"):
        for group in Group.objects.filter(cpts=cpts, pk__in=criteria["groups"]):
            selected |= Q(groups=group)
            if group.rule:
                selected |= rule_condition(group.rule)
    if criteria.get("functions"):
        # The cell of the plan in force: the last version the COPIL validated.
        plan = PlanVersion.objects.for_cpts(cpts).published().order_by("-number").first()
        members = CellMember.objects.filter(version=plan, function__in=criteria["functions"])
        selected |= Q(pk__in=members.values("contact_id"))
    if criteria.get("organisations"):
        selected |= Q(organisations__in=criteria["organisations"])
    if criteria.get("contacts"):
        selected |= Q(pk__in=criteria["contacts"])
    if criteria.get("volunteers"):
        selected |= Q(is_volunteer=True)
    if criteria.get("professions") or criteria.get("communes"):
        place = Q()
        if criteria.get("professions"):
            place &= Q(profession_code__in=criteria["professions"])
        if criteria.get("communes"):
            place &= Q(commune__insee_code__in=criteria["communes"])
        selected |= place
    return selected


def contacts(cpts, criteria: dict):
    if is_empty(criteria):
        return Contact.objects.none()
    matching = Contact.objects.filter(cpts=cpts).filter(condition(cpts, criteria))
    # Joins through groups and organisations repeat a contact: select by id, once.
    return (
        Contact.objects.filter(pk__in=matching.values("pk"))
        .select_related("commune")
        .order_by("last_name", "first_name", "pk")
    )


def routes_for(contact, *, health_data: bool, email_only: bool = False) -> tuple[list, str]:
    """The [channel, address] pairs to try in order, and the exclusion reason if none.

    `email_only` is an awareness campaign's (newsletter, information, invitation): one e-mail.
    """
    # The directory holds one consent, to receive the CPTS's mass messages: an information is
    # one too, so it follows the alerts' rule (no mass e-mail to whoever did not agree).
    if not contact.consents_to_alerts:
        return [], Exclusion.NO_CONSENT
    if email_only:
        if not contact.email:
            return [], Exclusion.NO_EMAIL
        return [[Channel.EMAIL.value, contact.email]], ""
    addresses = {
        Channel.EMAIL: contact.email,
        Channel.SMS: contact.mobile_phone.as_e164 if contact.mobile_phone else "",
        Channel.MSSANTE: contact.mssante_email,
    }
    if health_data:
        # Health data travels by MSSanté only, never by plain e-mail or SMS.
        if not contact.mssante_email:
            return [], Exclusion.NO_MSSANTE
        return [[Channel.MSSANTE.value, contact.mssante_email]], ""
    preferred = [c for c in contact.preferred_channels if c in Channel.values]
    order = preferred + [c for c in DEFAULT_ORDER if c not in preferred]
    routes = [[channel, addresses[channel]] for channel in order if addresses[channel]]
    if not routes:
        return [], Exclusion.NO_CHANNEL
    return routes, ""


@dataclass
class Preview:
    total: int = 0
    reachable: int = 0
    first_channel: dict = field(default_factory=dict)
    excluded: list = field(default_factory=list)  # (contact, reason label)
    sample: list = field(default_factory=list)


def preview(cpts, criteria: dict, *, health_data: bool, email_only: bool = False,
            sample_size: int = 12) -> Preview:  # fmt: skip
    result = Preview()
    labels = dict(Channel.choices)
    for contact in contacts(cpts, criteria):
        result.total += 1
        routes, exclusion = routes_for(contact, health_data=health_data, email_only=email_only)
        if exclusion:
            result.excluded.append((contact, Exclusion(exclusion).label))
            continue
        result.reachable += 1
        label = labels[routes[0][0]]
        result.first_channel[label] = result.first_channel.get(label, 0) + 1
        if len(result.sample) < sample_size:
            result.sample.append(contact)
    return result


NO_EMAIL = "Pas d'adresse e-mail dans l'annuaire"


@dataclass
class EmailInvitation:
    """Who a one-to-one mailing (a questionnaire, a training invitation) reaches by e-mail."""

    invited: list = field(default_factory=list)  # contacts with an e-mail
    excluded: list = field(default_factory=list)  # (contact, reason)


def email_invitation(cpts, criteria: dict, *, already=(), already_reason="") -> EmailInvitation:
    """The chosen contacts, each once: invited when they have an e-mail, else listed with the
    reason; those in `already` (contact ids) are listed with `already_reason`."""
    found = EmailInvitation()
    for contact in contacts(cpts, criteria).prefetch_related("organisations"):
        if contact.pk in already:
            found.excluded.append((contact, already_reason))
        elif not contact.email:
            found.excluded.append((contact, NO_EMAIL))
        else:
            found.invited.append(contact)
    return found
