import pytest
from django.core import mail
from django.db import IntegrityError

from tocsin.core import services
from tocsin.core.enums import AuthorityBody, Role
from tocsin.core.errors import DomainError
from tocsin.core.models import AuditEntry, Membership


def test_create_cpts_is_audited(db):
    cpts = services.create_cpts(None, name="CPTS Nouvelle", slug="nouvelle")
    assert AuditEntry.objects.filter(cpts=cpts, code="core.cpts.created").exists()
    with pytest.raises(DomainError, match="nouvelle"):
        services.create_cpts(None, name="Doublon", slug="nouvelle")


def test_add_member_checks_role_fields(personas):
    user = services.create_user(None, email="Nouvelle@Exemple.test", full_name="Nouvelle Personne")
    assert user.email == "nouvelle@exemple.test"
    with pytest.raises(DomainError, match="suppléant"):
        services.add_member(None, personas.cpts, user, Role.MEMBER, is_deputy=True)
    with pytest.raises(DomainError, match="organisme"):
        services.add_member(None, personas.cpts, user, Role.AUTHORITY)
    membership = services.add_member(
        personas.coordinator, personas.cpts, user, Role.AUTHORITY, authority_body=AuthorityBody.CPAM
    )
    assert membership.role_label == "Autorité de tutelle (CPAM)"
    entry = AuditEntry.objects.get(code="core.membership.created", target_id=str(user.pk))
    assert "Autorité de tutelle (CPAM)" in entry.sentence


def test_a_person_has_one_role_per_cpts(personas):
    with pytest.raises(DomainError, match="déjà un rôle"):
        services.add_member(None, personas.cpts, personas.member, Role.CELL_MEMBER)


def test_database_refuses_a_deputy_who_is_not_referent(personas):
    with pytest.raises(IntegrityError):
        Membership.objects.filter(user=personas.member).update(is_deputy=True)


def test_role_change_is_audited_with_old_and_new_role(personas):
    membership = Membership.objects.get(user=personas.member, cpts=personas.cpts)
    services.change_member_role(personas.coordinator, membership, Role.REFERENT, is_deputy=True)
    membership.refresh_from_db()
    assert membership.is_deputy
    entry = AuditEntry.objects.get(code="core.membership.role_changed")
    assert entry.data == {"old_role": "Professionnel membre", "role": "Référent SSE suppléant"}


def test_the_last_coordinator_cannot_leave(personas):
    membership = Membership.objects.get(user=personas.coordinator, cpts=personas.cpts)
    with pytest.raises(DomainError, match="au moins une personne"):
        services.remove_member(personas.coordinator, membership)
    with pytest.raises(DomainError):
        services.change_member_role(personas.coordinator, membership, Role.MEMBER)
    assert Membership.objects.filter(pk=membership.pk, role=Role.COORDINATOR).exists()


def test_remove_member_is_audited(personas):
    membership = Membership.objects.get(user=personas.member, cpts=personas.cpts)
    services.remove_member(personas.coordinator, membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(code="core.membership.removed", cpts=personas.cpts).exists()


def test_invitation_mail_carries_a_working_password_link(
    personas, client, django_capture_on_commit_callbacks
):
    user = services.create_user(None, email="invitee@exemple.test", full_name="Invitée Test")
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_user(personas.coordinator, personas.cpts, user)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["invitee@exemple.test"]
    assert "CPTS Côte de Test" in message.subject
    link = next(line for line in message.body.splitlines() if "/mot-de-passe/nouveau/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert "Choisir un mot de passe" in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Un-Nouveau-Mot-2026", "new_password2": "Un-Nouveau-Mot-2026"},
    )
    user.refresh_from_db()
    assert user.check_password("Un-Nouveau-Mot-2026")
    assert AuditEntry.objects.filter(code="core.user.password_reset", actor=user).exists()
