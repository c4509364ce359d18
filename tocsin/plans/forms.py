"""Forms of the crisis plan: French labels, people chosen from the CPTS directory only."""

from django import forms

from tocsin.core.enums import AuthorityBody, Profession
from tocsin.directory.models import Contact
from tocsin.plans.enums import CellFunction
from tocsin.plans.models import Fiche, PlanVersion
from tocsin.territory.models import Risk


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = PlanVersion
        fields = [
            "referent", "referent_role", "referent_training", "deputy", "deputy_role",
            "deputy_training", "cell_place", "cell_fallback_place", "activation_procedure",
            "alert_chain",
        ]  # fmt: skip
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "referent_role", "referent_training", "deputy_role", "deputy_training",
                "cell_place", "cell_fallback_place", "activation_procedure", "alert_chain",
            ]
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        contacts = Contact.objects.for_cpts(self.instance.cpts).order_by("last_name", "first_name")
        self.fields["referent"].queryset = contacts
        self.fields["deputy"].queryset = contacts

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("referent") and cleaned.get("referent") == cleaned.get("deputy"):
            self.add_error("deputy", "Le suppléant doit être une autre personne que le référent.")
        return cleaned


class SummaryForm(forms.ModelForm):
    class Meta:
        model = PlanVersion
        fields = ["change_summary"]
        widgets = {"change_summary": forms.Textarea(attrs={"rows": 4})}


class SectionForm(forms.Form):
    body = forms.CharField(
        label="Contenu",
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Mise en forme simple : **gras**, *italique*, listes commençant par « - », "
        "titres commençant par « ### ».",
    )


class CellForm(forms.Form):
    """One main holder and one backup per function of the crisis cell."""

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        contacts = Contact.objects.for_cpts(version.cpts).order_by("last_name", "first_name")
        current = {(m.function, m.is_backup): m.contact_id for m in version.cell_members.all()}
        for value, label in CellFunction.choices:
            for backup in (False, True):
                name = f"{value}_{'backup' if backup else 'main'}"
                self.fields[name] = forms.ModelChoiceField(
                    queryset=contacts,
                    required=False,
                    label=f"{label}{' — en second' if backup else ''}",
                    initial=current.get((value, backup)),
                )

    def members(self) -> list[tuple]:
        rows = []
        for value, _label in CellFunction.choices:
            for backup in (False, True):
                contact = self.cleaned_data.get(f"{value}_{'backup' if backup else 'main'}")
                if contact:
                    rows.append((value, contact, backup))
        return rows


class FicheForm(forms.ModelForm):
    class Meta:
        model = Fiche
        fields = [
            "kind", "title", "role", "professions", "risk", "alert_level", "trigger",
            "checklist", "who", "resources", "contacts", "messages",
        ]  # fmt: skip
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["trigger", "who", "resources", "contacts", "messages"]
        }
        widgets["checklist"] = forms.Textarea(attrs={"rows": 8})

    professions = forms.MultipleChoiceField(
        label="Professions concernées", choices=Profession.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Pour une fiche réflexe des professionnels : aucune cochée, toutes.",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk"].queryset = Risk.objects.for_cpts(self.instance.version.cpts)


class ValidationForm(forms.Form):
    copil_date = forms.DateField(
        label="Date du COPIL", widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label="Validation (qui, comment)",
        max_length=300,
        required=False,
        help_text="Ex. : validé à l'unanimité par le COPIL présidé par le Dr Trémeur.",
    )


class TransmissionForm(forms.Form):
    recipients = forms.MultipleChoiceField(
        label="Transmettre à",
        choices=AuthorityBody.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=AuthorityBody.values,
    )
