"""Forms of the core app; every label and error message in French."""

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction

from tocsin.core.audit import audit_codes
from tocsin.core.enums import AuthorityBody, Profession, Role
from tocsin.core.models import User
from tocsin.core.tasks import send_email


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].lower()


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code de vérification",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail leaves through the task worker once the request commits."""

    def get_users(self, email):
        # Django skips accounts without a usable password; here those are invited members
        # whose invitation expired, and "mot de passe oublié" is how they get a new link.
        return User.objects.filter(email__iexact=email, is_active=True)

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):  # fmt: skip
        from django.template import loader

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        transaction.on_commit(lambda: send_email.enqueue([to_email], subject, body))


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)
    is_deputy = forms.BooleanField(label="Suppléant du référent SSE", required=False)
    authority_body = forms.ChoiceField(
        label="Organisme (pour une autorité de tutelle)",
        choices=[("", "—")] + AuthorityBody.choices,
        required=False,
    )


class MemberContactForm(forms.Form):
    contact = forms.ModelChoiceField(
        label="Sa fiche dans l'annuaire",
        queryset=None,
        required=False,
        empty_label="— aucune —",
        help_text="Fait de cette personne le professionnel traitant des patients que sa fiche "
        "suit dans le registre de continuité des soins.",
    )

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = cpts.contacts.order_by("last_name", "first_name")


class MemberForm(MemberRoleForm):
    email = forms.EmailField(label="Adresse e-mail")
    full_name = forms.CharField(label="Prénom et nom", max_length=200)
    profession = forms.ChoiceField(
        label="Profession", choices=[("", "—")] + Profession.choices, required=False
    )
    field_order = ["email", "full_name", "profession"]


def action_label(sentence: str) -> str:
    """« {actor} a retiré {target} de la CPTS » → « a retiré … de la CPTS »."""
    text = sentence.removeprefix("{actor} ")
    return re.sub(r"\{[a-z_]+\}", "…", text)


class AuditFilterForm(forms.Form):
    code = forms.ChoiceField(label="Action", required=False)
    actor = forms.CharField(label="Auteur", required=False, max_length=100)
    date_from = forms.DateField(
        label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = sorted((action_label(s), code) for code, s in audit_codes().items())
        self.fields["code"].choices = [("", "Toutes")] + [(c, label) for label, c in labels]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "La date de fin précède la date de début.")
        return cleaned
