"""Directory forms: French labels, phones validated as French numbers by default."""

from itertools import groupby

from django import forms
from phonenumber_field.formfields import PhoneNumberField

from tocsin.directory.enums import Channel, ImportKind, OrganisationKind
from tocsin.directory.mapping import CONTACT_TARGETS, REQUIRED_TARGETS
from tocsin.directory.models import Contact, Group, Organisation
from tocsin.territory.selectors import territory_communes

PHONE_ERROR = (
    "Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78, "
    "ou un numéro international commençant par +."
)


class CommuneChoiceMixin:
    """Communes are offered from the CPTS territory only; phone errors are in French."""

    def limit_communes(self, cpts):
        # django-phonenumber-field's French catalogue lacks this message.
        for field in self.fields.values():
            if isinstance(field, PhoneNumberField):
                field.error_messages["invalid"] = PHONE_ERROR
        self.fields["commune"].queryset = territory_communes(cpts)


class OrganisationForm(CommuneChoiceMixin, forms.ModelForm):
    website = forms.URLField(
        label="Site web", required=False, max_length=300, assume_scheme="https"
    )

    class Meta:
        model = Organisation
        fields = [
            "kind", "name", "finess_et", "finess_ej", "address", "postal_code", "commune",
            "switchboard_phone", "crisis_phone", "crisis_email", "website", "latitude",
            "longitude", "notes", "verified_on",
        ]  # fmt: skip
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "verified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpts = cpts
        self.limit_communes(cpts)


class ContactForm(CommuneChoiceMixin, forms.ModelForm):
    preferred_channels = forms.MultipleChoiceField(
        label="Canaux d'alerte préférés",
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Contact
        fields = [
            "last_name", "first_name", "job_title", "profession_code", "profession_label",
            "rpps_id", "organisations", "commune", "mobile_phone", "work_phone", "email",
            "mssante_email", "skills", "is_volunteer", "consents_to_alerts",
            "preferred_channels", "backup", "verified_on",
        ]  # fmt: skip
        widgets = {
            "skills": forms.Textarea(attrs={"rows": 3}),
            "verified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpts = cpts
        self.limit_communes(cpts)
        self.fields["organisations"].queryset = Organisation.objects.for_cpts(cpts)
        backups = Contact.objects.for_cpts(cpts).order_by("last_name", "first_name")
        if self.instance.pk:
            backups = backups.exclude(pk=self.instance.pk)
        self.fields["backup"].queryset = backups

    def clean_rpps_id(self):
        value = self.cleaned_data["rpps_id"].strip()
        if value and not (value.isdigit() and len(value) == 11):
            raise forms.ValidationError("Un identifiant RPPS compte 11 chiffres.")
        return value


class GroupForm(forms.ModelForm):
    rule_professions = forms.CharField(
        label="Règle : codes profession RPPS",
        required=False,
        help_text="Ex. 21 pour les pharmaciens, 60 pour les infirmiers ; séparés par des espaces.",
    )
    rule_communes = forms.CharField(
        label="Règle : codes INSEE des communes", required=False, help_text="Ex. 44131 44154."
    )
    rule_volunteers_only = forms.BooleanField(label="Règle : volontaires seulement", required=False)

    class Meta:
        model = Group
        fields = ["name", "description", "is_crisis_function", "members", "deputy"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpts = cpts
        self.fields["members"].queryset = Contact.objects.for_cpts(cpts)
        self.fields["members"].required = False
        self.fields["deputy"].queryset = Contact.objects.for_cpts(cpts)
        rule = self.instance.rule or {}
        self.initial.setdefault("rule_professions", " ".join(rule.get("professions", [])))
        self.initial.setdefault("rule_communes", " ".join(rule.get("communes", [])))
        self.initial.setdefault("rule_volunteers_only", rule.get("volunteers_only", False))

    def clean(self):
        cleaned = super().clean()
        rule = {
            "professions": cleaned.get("rule_professions", "").split(),
            "communes": cleaned.get("rule_communes", "").split(),
            "volunteers_only": cleaned.get("rule_volunteers_only", False),
        }
        self.instance.rule = {k: v for k, v in rule.items() if v}
        return cleaned


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="Type d'import", choices=ImportKind.choices)
    file = forms.FileField(
        label="Fichier",
        required=False,
        help_text="FINESS : etalab-cs1100507-stock-….csv ; RPPS : "
        "PS_LibreAcces_Personne_activite_….txt ; contacts : .csv ou .xlsx avec une ligne "
        "d'intitulés. Inutile pour les mairies.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != ImportKind.MAIRIES and not cleaned.get("file"):
            self.add_error("file", "Choisissez le fichier à importer.")
        return cleaned


class ContactSelfForm(CommuneChoiceMixin, forms.ModelForm):
    """What a contact may correct about themselves through their signed link."""

    preferred_channels = forms.MultipleChoiceField(
        label="Comment préférez-vous être alerté ?",
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Contact
        fields = [
            "first_name", "last_name", "job_title", "mobile_phone", "work_phone", "email",
            "mssante_email", "skills", "is_volunteer", "consents_to_alerts", "preferred_channels",
        ]  # fmt: skip
        widgets = {"skills": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, PhoneNumberField):
                field.error_messages["invalid"] = PHONE_ERROR


class MappingForm(forms.Form):
    """One select per contact field, offering the file's columns."""

    def __init__(self, *args, headers, initial_mapping, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— ignorer —")] + [(h, h) for h in headers]
        for field, label, _aliases in CONTACT_TARGETS:
            self.fields[field] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=field in REQUIRED_TARGETS,
                initial=initial_mapping.get(field, ""),
            )

    def clean(self):
        cleaned = super().clean()
        used = [v for v in cleaned.values() if v]
        if len(used) != len(set(used)):
            raise forms.ValidationError("Une même colonne est associée à deux champs.")
        return cleaned

    @property
    def mapping(self) -> dict[str, str]:
        return {field: column for field, column in self.cleaned_data.items() if column}


def organisation_choices(cpts) -> list:
    """The CPTS's organisations as checkbox groups, one per kind, in the kinds' order."""
    rank = {kind: position for position, kind in enumerate(OrganisationKind.values)}
    rows = Organisation.objects.for_cpts(cpts).only("pk", "name", "kind")
    ordered = sorted(rows, key=lambda o: (rank.get(o.kind, len(rank)), o.name))
    return [(label, [(o.pk, o.name) for o in group])
            for label, group in groupby(ordered, key=lambda o: o.get_kind_display())]  # fmt: skip


class GroupsAndOrganisationsForm(forms.Form):
    """Who a mailing reaches (a questionnaire, a training invitation): whole groups of the
    directory and the contacts of chosen organisations, ranked by kind."""

    groups = forms.ModelMultipleChoiceField(
        label="Groupes de l'annuaire", queryset=Group.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    organisations = forms.TypedMultipleChoiceField(
        label="Organisations", required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text="Leurs contacts dans l'annuaire, rangées par type.",
    )  # fmt: skip

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = Group.objects.for_cpts(cpts).order_by("name")
        self.fields["organisations"].choices = organisation_choices(cpts)

    def criteria(self) -> dict:
        data = self.cleaned_data
        return {"groups": [g.pk for g in data["groups"]], "organisations": data["organisations"]}
