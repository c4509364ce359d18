"""Operations on CPTS, users and memberships. Each checks, saves, and writes the audit trail."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tocsin.core.audit import log_action
from tocsin.core.enums import Role
from tocsin.core.errors import DomainError
from tocsin.core.models import Cpts, Membership, User
from tocsin.core.tasks import send_email


def create_cpts(actor, *, name: str, slug: str, **fields) -> Cpts:
    if Cpts.objects.filter(slug=slug).exists():
        raise DomainError(f"Une CPTS utilise déjà l'identifiant « {slug} ».")
    with transaction.atomic():
        cpts = Cpts.objects.create(name=name, slug=slug, **fields)
        log_action(actor, cpts, "core.cpts.created", cpts)
    return cpts


def create_user(actor, *, email: str, full_name: str, password=None, **fields) -> User:
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email=email).exists():
        raise DomainError(f"Un compte existe déjà pour {email}.")
    with transaction.atomic():
        user = User.objects.create_user(email, password, full_name=full_name, **fields)
        log_action(actor, None, "core.user.created", user)
    return user


def add_member(actor, cpts, user, role, *, is_deputy=False, authority_body="") -> Membership:
    if Membership.objects.filter(cpts=cpts, user=user).exists():
        raise DomainError(f"{user} a déjà un rôle dans {cpts}.")
    _check_role_fields(role, is_deputy, authority_body)
    with transaction.atomic():
        membership = Membership.objects.create(
            cpts=cpts, user=user, role=role, is_deputy=is_deputy, authority_body=authority_body
        )
        log_action(actor, cpts, "core.membership.created", user, {"role": membership.role_label})
    return membership


def change_member_role(actor, membership, role, *, is_deputy=False, authority_body=""):
    _check_role_fields(role, is_deputy, authority_body)
    if membership.role == Role.COORDINATOR and role != Role.COORDINATOR:
        _check_not_last_coordinator(membership)
    old_role = membership.role_label
    with transaction.atomic():
        membership.role = role
        membership.is_deputy = is_deputy
        membership.authority_body = authority_body
        membership.save(update_fields=["role", "is_deputy", "authority_body"])
        log_action(
            actor,
            membership.cpts,
            "core.membership.role_changed",
            membership.user,
            {"old_role": old_role, "role": membership.role_label},
        )
    return membership


def link_member_contact(actor, membership, contact) -> Membership:
    """Say which directory entry is this member (None to undo): it makes them the treating
    professional of the patients that entry follows."""
    if contact is not None and contact.cpts_id != membership.cpts_id:
        raise DomainError("Cette fiche n'appartient pas à l'annuaire de cette CPTS.")
    if contact is not None and contact.memberships.exclude(pk=membership.pk).exists():
        raise DomainError(f"La fiche « {contact} » est déjà reliée au compte d'une autre personne.")
    with transaction.atomic():
        membership.contact = contact
        membership.save(update_fields=["contact"])
        label = str(contact) if contact else "aucune"
        log_action(actor, membership.cpts, "core.membership.contact_linked", membership.user,
                   {"contact": label})  # fmt: skip
    return membership


def own_contact(membership):
    """The member's directory entry: the one linked, else the only unlinked entry of the CPTS
    with their login e-mail (read only: `claim_own_contact` records the link)."""
    if membership is None:
        return None
    if membership.contact_id is not None:
        return membership.contact
    matches = list(
        membership.cpts.contacts.filter(email__iexact=membership.user.email, memberships=None)[:2]
    )
    return matches[0] if len(matches) == 1 else None


def claim_own_contact(actor, membership):
    """Record the link `own_contact` found by e-mail, the first time the member acts on it."""
    contact = own_contact(membership)
    if contact is not None and membership.contact_id is None:
        link_member_contact(actor, membership, contact)
    return contact


def remove_member(actor, membership):
    if membership.role == Role.COORDINATOR:
        _check_not_last_coordinator(membership)
    with transaction.atomic():
        log_action(actor, membership.cpts, "core.membership.removed", membership.user)
        membership.delete()


def invite_user(inviter, cpts, user):
    """E-mail a new member a link to choose their password, once the transaction commits."""
    context = {
        "user": user,
        "inviter": inviter,
        "cpts": cpts,
        "site_url": settings.SITE_URL,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    subject = f"Votre accès à Tocsin pour {cpts}"
    body = render_to_string("core/emails/invitation.txt", context)
    transaction.on_commit(lambda: send_email.enqueue([user.email], subject, body))


def _check_role_fields(role, is_deputy, authority_body):
    if is_deputy and role != Role.REFERENT:
        raise DomainError("Seul un référent SSE peut être suppléant.")
    if authority_body and role != Role.AUTHORITY:
        raise DomainError("Seule une autorité de tutelle a un organisme de rattachement.")
    if role == Role.AUTHORITY and not authority_body:
        raise DomainError("Indiquez l'organisme de l'autorité : ARS, Préfecture ou CPAM.")


def _check_not_last_coordinator(membership):
    others = Membership.objects.filter(cpts=membership.cpts, role=Role.COORDINATOR).exclude(
        pk=membership.pk
    )
    if not others.exists():
        raise DomainError("La CPTS doit garder au moins une personne à la coordination.")
