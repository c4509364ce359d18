"""Alert campaigns and informations in tests, built through the services the pages use."""

from tests.factories import ContactFactory, GroupFactory
from tocsin.alerts import services
from tocsin.alerts.enums import CampaignKind


def reachable_contact(cpts, **extra):
    extra.setdefault("consents_to_alerts", True)
    return ContactFactory(cpts=cpts, **extra)


def group_of(cpts, *contacts, name="Infirmiers du secteur"):
    group = GroupFactory(cpts=cpts, name=name)
    group.members.add(*contacts)
    return group


def draft(actor, cpts, *, groups=(), contacts=(), **fields):
    fields.setdefault("title", "Renfort demandé au centre de vaccination")
    fields.setdefault("body", "Nous cherchons des infirmiers pour samedi 8 h – 13 h.")
    criteria = {"groups": [g.pk for g in groups], "contacts": [c.pk for c in contacts]}
    return services.save_draft(actor, cpts, None, criteria=criteria, **fields)


def sent(actor, cpts, **kwargs):
    campaign = draft(actor, cpts, **kwargs)
    services.send_campaign(actor, campaign)
    return campaign


def information(actor, cpts, **kwargs):
    """A draft newsletter (by default) with the alerts' defaults for the audience."""
    kwargs.setdefault("kind", CampaignKind.NEWSLETTER)
    kwargs.setdefault("title", "Lettre d'information de mars")
    kwargs.setdefault("body", "La campagne de vaccination antigrippale commence lundi.")
    return draft(actor, cpts, **kwargs)
