"""Forms of trainings: the catalogue, a session, who is invited, attendance and walk-ins, the
filter of the « formations suivies » page."""

from django import forms

from tocsin.directory.forms import GroupsAndOrganisationsForm
from tocsin.directory.models import Contact
from tocsin.directory.search import search
from tocsin.training.models import Session, Training


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["title", "provider", "kind", "duration_hours", "validity_months",
                  "description", "required_for_referent"]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "title": {"required": "Donnez un intitulé à la formation."},
            "kind": {"required": "Choisissez le type de formation."},
            "duration_hours": {"required": "Indiquez la durée en heures, par exemple 14.",
                               "invalid": "Indiquez la durée en heures, par exemple 14 ou 3,5."},
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duration_hours"].localize = True
        self.fields["duration_hours"].widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def clean_duration_hours(self):
        hours = self.cleaned_data["duration_hours"]
        if hours is not None and hours <= 0:
            raise forms.ValidationError("La durée d'une formation est d'au moins une heure.")
        return hours

    def clean_validity_months(self):
        months = self.cleaned_data["validity_months"]
        if months == 0:
            raise forms.ValidationError("La validité est d'au moins un mois, ou laissée vide.")
        return months

    def fields_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SessionForm(forms.ModelForm):
    online_url = forms.URLField(
        label="Lien de la visioconférence", required=False, max_length=200,
        assume_scheme="https", help_text="Pour une session en ligne.",
        error_messages={"invalid": "Indiquez une adresse web complète (https://…)."},
    )  # fmt: skip

    class Meta:
        model = Session
        fields = ["date", "start_time", "end_time", "place", "online_url", "capacity", "trainer"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {"place": "L'adresse, ou laissez vide pour une session en ligne."}
        error_messages = {
            "date": {"required": "Indiquez la date de la session.",
                     "invalid": "Indiquez une date, par exemple 12/03/2026."},
            "start_time": {"required": "Indiquez l'heure de début.",
                           "invalid": "Indiquez une heure au format HH:MM, par exemple 09:00."},
            "end_time": {"required": "Indiquez l'heure de fin.",
                         "invalid": "Indiquez une heure au format HH:MM, par exemple 17:00."},
            "capacity": {"required": "Indiquez le nombre de places."},
        }  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "La session se termine après son heure de début.")
        if not cleaned.get("place") and not cleaned.get("online_url") and "online_url" in cleaned:
            self.add_error("place", "Indiquez le lieu de la session ou son lien en ligne.")
        if cleaned.get("capacity") == 0:
            self.add_error("capacity", "Une session a au moins une place.")
        return cleaned

    def fields_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class InviteForm(GroupsAndOrganisationsForm):
    """Whole groups, the contacts of organisations, and people found by a search."""

    q = forms.CharField(
        label="Chercher une personne dans l'annuaire", required=False, max_length=100,
        help_text="Nom, profession ou commune ; puis « Chercher ».",
    )  # fmt: skip
    # Only the people chosen and the search results are listed, never the whole directory.
    contacts = forms.ModelMultipleChoiceField(
        label="Personnes", queryset=Contact.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Une personne choisie n'est plus dans l'annuaire."},
    )  # fmt: skip

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, cpts=cpts, **kwargs)
        directory = Contact.objects.for_cpts(cpts)
        chosen = [pk for pk in self.data.getlist("contacts") if pk.isdigit()] if self.data else []
        query = self.data.get("q", "").strip() if self.data else ""
        found = search(directory, query).queryset.values("pk")[:30] if query else []
        listed = directory.filter(pk__in=chosen) | directory.filter(pk__in=found)
        self.fields["contacts"].queryset = listed.order_by("last_name", "first_name")
        if not chosen and not query:
            self.fields["contacts"].help_text = "Cherchez une personne pour l'ajouter."

    def criteria(self) -> dict:
        return super().criteria() | {"contacts": [c.pk for c in self.cleaned_data["contacts"]]}


class AttendanceForm(forms.Form):
    """A checkbox per registered person: ticked is present, unticked absent."""

    present = forms.ModelMultipleChoiceField(
        label="Présents", queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Une personne cochée n'est plus inscrite : rechargez "
                                          "la page."},
    )  # fmt: skip

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = list(registrations)
        self.fields["present"].queryset = registrations
        self.fields["present"].label_from_instance = lambda r: f"{r.name} présent(e)"
        self.initial.setdefault("present", [r.pk for r in self.registrations if r.attended])

    def rows(self) -> list:
        """[(registration, its checkbox)], in the list's order, for the table."""
        boxes = {str(box.data["value"]): box for box in self["present"]}
        return [(r, boxes[str(r.pk)]) for r in self.registrations]


class WalkInForm(forms.Form):
    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(),
        error_messages={"required": "Choisissez la personne venue sans inscription.",
                        "invalid_choice": "Cette personne n'est pas dans l'annuaire."},
    )  # fmt: skip

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.for_cpts(cpts)


class RecordsFilterForm(forms.Form):
    training = forms.ModelChoiceField(
        label="Formation", queryset=Training.objects.none(), required=False,
        empty_label="Toutes les formations",
    )  # fmt: skip

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training"].queryset = Training.objects.for_cpts(cpts)

    def chosen(self):
        return self.cleaned_data.get("training") if self.is_valid() else None
