"""The tenant (CPTS), people, their memberships and roles, and the append-only audit trail."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tocsin.core.enums import AuthorityBody, Profession, Role

TWO_FACTOR_ROLES = frozenset({Role.COORDINATOR, Role.REFERENT, Role.CELL_MEMBER})


class Cpts(models.Model):
    """A Communauté Professionnelle Territoriale de Santé: the tenant of every CPTS-owned row."""

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant court", max_length=60, unique=True)
    email = models.EmailField("e-mail de contact", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    address = models.TextField("adresse du siège", blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "CPTS"
        verbose_name_plural = "CPTS"
        ordering = ["name"]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("Une adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in; identified by e-mail."""

    email = models.EmailField("adresse e-mail", unique=True)
    full_name = models.CharField("nom complet", max_length=200)
    profession = models.CharField("profession", max_length=3, choices=Profession, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField("équipe technique", default=False)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class MembershipQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)

    def with_role(self, *roles):
        return self.filter(role__in=roles)


class Membership(models.Model):
    """A user's role in one CPTS. A user with several memberships switches between CPTS."""

    user = models.ForeignKey(User, models.CASCADE, related_name="memberships")
    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=20, choices=Role)
    is_deputy = models.BooleanField(
        "suppléant", default=False, help_text="Le suppléant du référent SSE a le même rôle."
    )
    authority_body = models.CharField("autorité", max_length=20, choices=AuthorityBody, blank=True)
    # The person's own entry in the directory: what makes them the treating professional of
    # the patients registered for continuity of care (tocsin.care).
    contact = models.ForeignKey(
        "directory.Contact", models.SET_NULL, null=True, blank=True, related_name="memberships",
        verbose_name="fiche de l'annuaire",
    )  # fmt: skip
    created_at = models.DateTimeField("depuis le", auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "adhésion"
        ordering = ["cpts__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cpts"],
                name="membership_unique_user_cpts",
                violation_error_message="Cette personne a déjà un rôle dans cette CPTS.",
            ),
            models.CheckConstraint(
                condition=Q(is_deputy=False) | Q(role=Role.REFERENT),
                name="membership_deputy_is_referent",
                violation_error_message="Seul un référent SSE peut être suppléant.",
            ),
            models.CheckConstraint(
                condition=Q(authority_body="") | Q(role=Role.AUTHORITY),
                name="membership_body_only_for_authority",
                violation_error_message=(
                    "Seule une autorité de tutelle a un organisme de rattachement."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.role_label} ({self.cpts})"

    @property
    def role_label(self) -> str:
        if self.is_deputy:
            return "Référent SSE suppléant"
        if self.role == Role.AUTHORITY and self.authority_body:
            return f"Autorité de tutelle ({self.get_authority_body_display()})"
        return self.get_role_display()


class AuditImmutableError(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)

    def update(self, **kwargs):
        raise AuditImmutableError("Le journal d'audit ne se modifie pas.")

    def delete(self):
        raise AuditImmutableError("Le journal d'audit ne se supprime pas.")


class AuditEntry(models.Model):
    """One state change: who did what to which object, when. Written by log_action only."""

    cpts = models.ForeignKey(
        Cpts, models.PROTECT, null=True, blank=True, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="audit_entries"
    )
    actor_label = models.CharField("auteur", max_length=200)
    code = models.CharField("action", max_length=100, db_index=True)
    target_type = models.ForeignKey(ContentType, models.PROTECT, null=True, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField("objet", max_length=300, blank=True)
    data = models.JSONField("détails", default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("date", default=timezone.now, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "journal d'audit"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["cpts", "-created_at"], name="audit_cpts_recent")]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.actor_label} {self.code}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutableError("Le journal d'audit ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("Le journal d'audit ne se supprime pas.")

    @property
    def sentence(self) -> str:
        from tocsin.core.audit import describe

        return describe(self)
