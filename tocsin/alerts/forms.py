"""Forms of alerts: a campaign (an alert or an information) and its audience, and the answer a
recipient gives through their link."""

from django import forms

from tocsin.alerts.enums import AWARENESS_KINDS, Answer, CampaignKind
from tocsin.alerts.models import Campaign
from tocsin.crises.models import Crisis
from tocsin.directory.models import Contact, Group, Organisation
from tocsin.directory.selectors import profession_choices
from tocsin.plans.enums import CellFunction
from tocsin.territory.selectors import territory_communes

MINUTES = {"min": 1, "max": 1440, "inputmode": "numeric"}
AUDIENCE_KEYS = ("groups", "functions", "organisations", "contacts", "professions", "communes")


class CampaignForm(forms.ModelForm):
    """The message and how it escalates; the audience is the AudienceForm's."""

    class Meta:
        model = Campaign
        fields = ["crisis", "title", "body", "severity", "ask_availability", "has_health_data",
                  "next_channel_after", "backup_after"]  # fmt: skip
        widgets = {
            "body": forms.Textarea(attrs={"rows": 6}),
            "next_channel_after": forms.NumberInput(attrs=MINUTES),
            "backup_after": forms.NumberInput(attrs=MINUTES),
        }
        help_texts = {
            "crisis": "L'alerte et son bilan sont alors inscrits à la main courante.",
            "body": "Le SMS en reprend le début (280 caractères) avec le lien pour répondre.",
            "next_channel_after": "Sans réponse, le message repart sur le canal suivant de la "
            "personne. Vide : jamais.",
            "backup_after": "Sans réponse, son suppléant est alerté. Vide : jamais.",
        }
        error_messages = {
            "crisis": {"invalid_choice": "Choisissez une crise en cours de votre CPTS."},
        }

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, **kwargs)
        crisis = self.fields["crisis"]
        crisis.queryset = Crisis.objects.for_cpts(cpts).active()
        crisis.empty_label = "— hors crise —"
        crisis.required = False

    def preview_options(self) -> dict:
        """How the audience preview resolves channels for the form as it stands."""
        return {"health_data": bool(self["has_health_data"].value()), "email_only": False}


class InformationForm(forms.ModelForm):
    """A newsletter, an information or an invitation: e-mail only, a read receipt, no crisis."""

    class Meta:
        model = Campaign
        fields = ["kind", "title", "body", "meeting_at", "meeting_place"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "meeting_at": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                              format="%Y-%m-%dT%H:%M"),
        }  # fmt: skip
        help_texts = {
            "body": "Envoyé par e-mail avec un lien « J'ai pris connaissance ». Jamais de "
            "données de santé : elles ne voyagent que par MSSanté, dans une alerte.",
            "meeting_at": "Pour une invitation à une réunion.",
            "meeting_place": "Pour une invitation : adresse, salle ou lien de visioconférence.",
        }
        error_messages = {
            "meeting_at": {"invalid": "Indiquez une date et une heure, par exemple 12/03/2027 "
                           "20:00."},
        }  # fmt: skip

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        kind.choices = [(k.value, k.label) for k in AWARENESS_KINDS]
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("kind", CampaignKind.INFORMATION)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == CampaignKind.MEETING and not cleaned.get("meeting_at"):
            self.add_error("meeting_at", "Indiquez la date et l'heure de la réunion.")
        return cleaned

    def preview_options(self) -> dict:
        return {"health_data": False, "email_only": True}


def _checkboxes(label, **kwargs):
    return forms.MultipleChoiceField(label=label, required=False,
                                     widget=forms.CheckboxSelectMultiple, **kwargs)  # fmt: skip


class AudienceForm(forms.Form):
    """Who receives the campaign: a union of selections, plus professions × communes."""

    groups = forms.ModelMultipleChoiceField(
        label="Groupes", queryset=Group.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    functions = _checkboxes(
        "Fonctions de la cellule de crise", choices=CellFunction.choices,
        help_text="Les personnes que le plan validé nomme à ces fonctions.",
    )  # fmt: skip
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations", queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Leurs contacts dans l'annuaire.",
    )  # fmt: skip
    # Rendered by hand: the chosen people and the search results, never the whole directory.
    contacts = forms.ModelMultipleChoiceField(
        label="Personnes", queryset=Contact.objects.none(), required=False,
        widget=forms.MultipleHiddenInput,
        error_messages={"invalid_choice": "Une personne choisie n'est plus dans l'annuaire."},
    )  # fmt: skip
    volunteers = forms.BooleanField(label="Tous les volontaires", required=False)
    professions = _checkboxes("Professions")
    communes = _checkboxes(
        "Communes d'exercice",
        help_text="Avec des professions : seulement ces professions dans ces communes.",
    )  # fmt: skip

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = Group.objects.for_cpts(cpts).order_by("name")
        self.fields["organisations"].queryset = Organisation.objects.for_cpts(cpts).order_by("name")
        self.fields["contacts"].queryset = Contact.objects.for_cpts(cpts)
        self.fields["professions"].choices = [
            (code, f"{label} ({code})") for code, label in profession_choices(cpts)
        ]
        self.fields["communes"].choices = [
            (c.insee_code, c.name) for c in territory_communes(cpts).only("insee_code", "name")
        ]

    @staticmethod
    def initial_from(criteria: dict) -> dict:
        return {key: criteria.get(key, []) for key in AUDIENCE_KEYS} | {
            "volunteers": bool(criteria.get("volunteers"))
        }

    def criteria(self) -> dict:
        """The audience as Campaign.audience stores it: ids and codes, empty keys left out."""
        data = self.cleaned_data
        criteria = {
            "groups": [g.pk for g in data["groups"]],
            "functions": list(data["functions"]),
            "organisations": [o.pk for o in data["organisations"]],
            "contacts": [c.pk for c in data["contacts"]],
            "volunteers": data["volunteers"],
            "professions": list(data["professions"]),
            "communes": list(data["communes"]),
        }
        return {key: value for key, value in criteria.items() if value}


AVAILABILITY_CHOICES = [
    (Answer.AVAILABLE.value, "Je suis disponible"),
    (Answer.AVAILABLE_FROM.value, "Je serai disponible à partir de…"),
    (Answer.UNAVAILABLE.value, "Je ne suis pas disponible"),
]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Votre réponse", choices=AVAILABILITY_CHOICES, widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une réponse."},
    )  # fmt: skip
    available_from = forms.TimeField(
        label="Disponible à partir de",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Indiquez une heure au format HH:MM, par exemple 14:30."},
    )
    comment = forms.CharField(
        label="Commentaire (facultatif)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Ex. : joignable seulement par téléphone, sans véhicule…",
    )

    def __init__(self, *args, ask_availability=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_availability:
            self.fields["answer"].choices = [(Answer.ACKNOWLEDGED.value, "J'ai pris connaissance")]
            del self.fields["available_from"]
            self.fields["comment"].help_text = "Ex. : une question, ou un sujet pour la réunion."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == Answer.AVAILABLE_FROM and not cleaned.get("available_from"):
            self.add_error("available_from", "Indiquez l'heure à partir de laquelle vous venez.")
        return cleaned
