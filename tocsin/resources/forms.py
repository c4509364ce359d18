"""Resource forms: every organisation, contact and commune offered belongs to the current CPTS."""

from django import forms

from tocsin.directory.models import Contact, Organisation
from tocsin.resources.enums import MissionKind, ResourceStatus
from tocsin.resources.models import Capacity, Equipment, HumanResource, Premises, Stock
from tocsin.territory.selectors import territory_communes

COMMON_FIELDS = ["status", "owner", "contact", "checked_on", "notes"]


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContactChoiceField(forms.ModelChoiceField):
    """Contacts shown with their profession: two namesakes must not be confused."""

    def label_from_instance(self, obj):
        job = obj.profession_label or obj.job_title
        return f"{obj.full_name} — {job}" if job else obj.full_name


class ResourceForm(forms.ModelForm):
    """Base of the resource forms: binds the instance to the CPTS and limits every choice."""

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpts = cpts
        # A foreign id posted by hand fails as « Sélectionnez un choix valide ».
        querysets = {
            "owner": Organisation.objects.for_cpts(cpts),
            "contact": Contact.objects.for_cpts(cpts),
            "keys_holder": Contact.objects.for_cpts(cpts),
            "commune": territory_communes(cpts),
        }
        for name, queryset in querysets.items():
            if name in self.fields:
                self.fields[name].queryset = queryset


WIDGETS = {
    "checked_on": date_input(),
    "notes": forms.Textarea(attrs={"rows": 3}),
}
FIELD_CLASSES = {"contact": ContactChoiceField, "keys_holder": ContactChoiceField}


class PremisesForm(ResourceForm):
    class Meta:
        model = Premises
        fields = [
            "name", "kind", "address", "commune", "latitude", "longitude", "capacity",
            "access_notes", "has_power_supply", "power_notes", "keys_holder", *COMMON_FIELDS,
        ]  # fmt: skip
        field_classes = FIELD_CLASSES
        widgets = {
            **WIDGETS,
            "address": forms.Textarea(attrs={"rows": 2}),
            "access_notes": forms.Textarea(attrs={"rows": 2}),
            "power_notes": forms.Textarea(attrs={"rows": 2}),
        }


class EquipmentForm(ResourceForm):
    class Meta:
        model = Equipment
        fields = ["name", "kind", "quantity", "commune", "latitude", "longitude", *COMMON_FIELDS]
        field_classes = FIELD_CLASSES
        widgets = WIDGETS


class StockForm(ResourceForm):
    class Meta:
        model = Stock
        fields = [
            "name", "quantity", "unit", "expiry_date", "commune", "latitude", "longitude",
            *COMMON_FIELDS,
        ]  # fmt: skip
        field_classes = FIELD_CLASSES
        widgets = {**WIDGETS, "expiry_date": date_input()}


class HumanResourceForm(ResourceForm):
    missions = forms.MultipleChoiceField(
        label="Missions pour lesquelles il ou elle se porte volontaire",
        choices=MissionKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = HumanResource
        fields = [
            "contact", "skills", "availability", "available_from", "available_until",
            "missions", "status", "owner", "checked_on", "notes",
        ]  # fmt: skip
        field_classes = FIELD_CLASSES
        labels = {"owner": "Structure d'exercice"}
        widgets = {
            **WIDGETS,
            "skills": forms.Textarea(attrs={"rows": 3}),
            "available_from": date_input(),
            "available_until": date_input(),
        }


class CapacityForm(ResourceForm):
    class Meta:
        model = Capacity
        fields = [
            "owner", "label", "quantity", "unit", "opening_hours", "status", "contact",
            "checked_on", "notes",
        ]  # fmt: skip
        field_classes = FIELD_CLASSES
        widgets = {**WIDGETS, "opening_hours": forms.Textarea(attrs={"rows": 2})}


FLAG_CHOICES = [
    ("", "Toutes"),
    ("any", "À signaler seulement"),
    ("stale", "Non vérifiées depuis 12 mois"),
]
EXPIRING_CHOICE = ("expiring", "Périmés ou proches de l'expiration")


class ResourceFilters(forms.Form):
    status = forms.ChoiceField(
        label="État", required=False, choices=[("", "Tous")] + ResourceStatus.choices
    )
    commune = forms.ChoiceField(label="Commune", required=False)
    flag = forms.ChoiceField(label="Signalement", required=False)

    def __init__(self, *args, cpts, expiring=False, **kwargs):
        super().__init__(*args, **kwargs)
        communes = territory_communes(cpts).values_list("insee_code", "name")
        self.fields["commune"].choices = [("", "Toutes")] + list(communes)
        self.fields["flag"].choices = FLAG_CHOICES + ([EXPIRING_CHOICE] if expiring else [])

    def apply(self, queryset):
        """The queryset narrowed by the valid filters (all of it when nothing is chosen)."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("commune"):
            queryset = queryset.in_commune(data["commune"])
        flag = data.get("flag")
        if flag == "any":
            queryset = queryset.flagged()
        elif flag == "stale":
            queryset = queryset.stale()
        elif flag == "expiring":
            queryset = queryset.expiring()
        return queryset
