"""Forms of alerts: the answer a recipient gives through their link."""

from django import forms

from tocsin.alerts.enums import Answer

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

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == Answer.AVAILABLE_FROM and not cleaned.get("available_from"):
            self.add_error("available_from", "Indiquez l'heure à partir de laquelle vous venez.")
        return cleaned
