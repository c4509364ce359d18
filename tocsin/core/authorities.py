"""Telling the authorities (ARS, Préfecture, CPAM) that a document was transmitted to them."""

from django.db import transaction
from django.template.loader import render_to_string

from tocsin.core.enums import Role
from tocsin.core.models import Membership
from tocsin.core.tasks import send_email


def email_authority_members(cpts, bodies, subject, template, context) -> None:
    """One e-mail to each authority member of `cpts` whose body is in `bodies`, sent once the
    transaction commits; the template gets `context` and the member as `user`."""
    people = Membership.objects.filter(
        cpts=cpts, role=Role.AUTHORITY, authority_body__in=bodies
    ).select_related("user")
    for membership in people:
        body = render_to_string(template, {**context, "user": membership.user})
        to = [membership.user.email]
        transaction.on_commit(lambda to=to, body=body: send_email.enqueue(to, subject, body))
