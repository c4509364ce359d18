"""Read-only queries of the directory: group members, key contacts, facets."""

from django.db.models import Q

from tocsin.directory.models import Contact, Group


def group_members(group: Group):
    """Static members plus whoever the group's rule selects."""
    contacts = Contact.objects.for_cpts(group.cpts)
    condition = Q(groups=group)
    if group.rule:
        condition |= rule_condition(group.rule)
    return contacts.filter(condition).distinct()


def rule_condition(rule: dict) -> Q:
    condition = Q()
    if rule.get("professions"):
        condition &= Q(profession_code__in=rule["professions"])
    if rule.get("communes"):
        condition &= Q(commune__insee_code__in=rule["communes"])
    if rule.get("organisation_kinds"):
        condition &= Q(organisations__kind__in=rule["organisation_kinds"])
    if rule.get("volunteers_only"):
        condition &= Q(is_volunteer=True)
    return condition


def profession_choices(cpts) -> list[tuple[str, str]]:
    rows = (
        Contact.objects.for_cpts(cpts)
        .exclude(profession_code="")
        .values_list("profession_code", "profession_label")
        .distinct()
        .order_by("profession_label")
    )
    return list(dict(rows).items())
