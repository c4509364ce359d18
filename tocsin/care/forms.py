"""Forms of the register and of the call campaigns, in French, phones as French numbers."""

from django import forms
from django.utils import timezone
from phonenumber_field.formfields import PhoneNumberField

from tocsin.care.enums import CRISIS_REASONS, Need, Outcome
from tocsin.care.models import Patient
from tocsin.core.models import User
from tocsin.directory.forms import PHONE_ERROR
from tocsin.directory.models import Contact
from tocsin.territory.selectors import territory_communes

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PatientForm(forms.ModelForm):
    last_name = forms.CharField(label="Nom", max_length=150)
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    birth_date = forms.DateField(label="Date de naissance", required=False, widget=DATE_INPUT)
    address = forms.CharField(label="Adresse", max_length=300, required=False)
    phone = PhoneNumberField(label="Téléphone", error_messages={"invalid": PHONE_ERROR})
    needs = forms.MultipleChoiceField(
        label="Besoins", choices=Need.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un besoin."},
    )  # fmt: skip
    emergency_contact = forms.CharField(
        label="Personne à prévenir", max_length=300, required=False,
        help_text="Nom, lien et téléphone.",
    )  # fmt: skip
    basis_recorded_on = forms.DateField(
        label="Consentement ou base légale recueilli le", widget=DATE_INPUT
    )

    class Meta:
        model = Patient
        fields = ["last_name", "first_name", "birth_date", "address", "commune", "phone",
                  "needs", "emergency_contact", "notes", "professionals", "legal_basis",
                  "basis_recorded_on"]  # fmt: skip
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"professionals": "Autres professionnels qui le suivent"}
        help_texts = {
            "professionals": "Vous le suivez d'office ; ceux-ci le verront aussi.",
        }

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpts = cpts
        self.fields["commune"].queryset = territory_communes(cpts)
        pros = Contact.objects.for_cpts(cpts).exclude(profession_code="")
        self.fields["professionals"].queryset = pros.order_by("last_name", "first_name")
        self.fields["professionals"].required = False
        if self.instance.pk is None:
            self.initial.setdefault("basis_recorded_on", timezone.localdate())

    def clean_phone(self):
        return self.cleaned_data["phone"].as_e164

    def save(self, commit=True):
        # Saving the form is checking it: the entry is verified today.
        self.instance.verified_on = timezone.localdate()
        return super().save(commit)


class ReasonForm(forms.Form):
    reason = forms.ChoiceField(label="Motif", choices=CRISIS_REASONS, widget=forms.RadioSelect)
    details = forms.CharField(label="Précisions", max_length=250, required=False)

    def clean(self):
        data = super().clean()
        if data.get("reason") == "other" and not data.get("details", "").strip():
            self.add_error("details", "Précisez le motif en quelques mots.")
        return data

    @property
    def text(self) -> str:
        label = dict(CRISIS_REASONS)[self.cleaned_data["reason"]]
        details = self.cleaned_data.get("details", "").strip()
        if self.cleaned_data["reason"] == "other":
            return details
        return f"{label} — {details}" if details else label


class NeedsFilterForm(forms.Form):
    need = forms.ChoiceField(label="Besoin", choices=[("", "Tous")] + Need.choices,
                             required=False)  # fmt: skip


class CallCampaignForm(forms.Form):
    title = forms.CharField(label="Intitulé", max_length=200)
    needs = forms.MultipleChoiceField(
        label="Patients à appeler", choices=Need.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucune case cochée : tous les patients des communes exposées.",
    )  # fmt: skip
    callers = forms.ModelMultipleChoiceField(
        label="Appelants", queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un appelant."},
    )  # fmt: skip

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [m.user_id for m in memberships]
        self.fields["callers"].queryset = User.objects.filter(pk__in=ids).order_by("full_name")
        labels = {m.user_id: f"{m.user} — {m.role_label}" for m in memberships}
        self.fields["callers"].label_from_instance = lambda user: labels.get(user.pk, str(user))


class CallForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Résultat", widget=forms.RadioSelect,
        choices=[c for c in Outcome.choices if c[0] != Outcome.PENDING],
    )  # fmt: skip
    note = forms.CharField(label="Note", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class ReassignForm(forms.Form):
    from_user = forms.ModelChoiceField(label="Appels de", queryset=None)
    to_user = forms.ModelChoiceField(label="Confier à", queryset=None)

    def __init__(self, *args, callers, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_user"].queryset = User.objects.filter(pk__in=callers)
        self.fields["to_user"].queryset = User.objects.filter(
            pk__in=[m.user_id for m in memberships]
        ).order_by("full_name")


class ErasureForm(forms.Form):
    last_name = forms.CharField(label="Nom de la personne", max_length=150)
    birth_date = forms.DateField(label="Date de naissance", widget=DATE_INPUT)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Séparateur « ; » ou « , », encodage UTF-8 ou Windows ; une ligne d'en-tête.",
    )
