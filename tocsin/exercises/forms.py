"""Forms of the exercise pages."""

from django import forms

from tocsin.exercises.enums import Rating
from tocsin.exercises.models import Inject, Scenario
from tocsin.territory.models import Risk


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ["title", "crisis_type", "risk", "summary", "objectives", "planned_on"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "planned_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpts = cpts
        self.fields["risk"].queryset = Risk.objects.for_cpts(cpts)


class InjectForm(forms.ModelForm):
    class Meta:
        model = Inject
        fields = ["offset_minutes", "channel", "sender", "content", "expected_reaction"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3}),
                   "expected_reaction": forms.Textarea(attrs={"rows": 2})}  # fmt: skip

    def __init__(self, *args, scenario, **kwargs):
        super().__init__(*args, auto_id="inject_%s", **kwargs)
        self.instance.scenario = scenario


class StartForm(forms.Form):
    title = forms.CharField(label="Intitulé de l'exercice", max_length=200)
    fires_on_schedule = forms.BooleanField(
        label="Déclencher les injects à l'heure prévue", required=False, initial=True,
        help_text="Sinon, l'animateur déclenche chaque inject à la main depuis la console.",
    )  # fmt: skip


class ObservationForm(forms.Form):
    inject = forms.ModelChoiceField(label="Inject", queryset=Inject.objects.none(), required=False,
                                    empty_label="— sans inject (observation générale)")  # fmt: skip
    rating = forms.ChoiceField(label="Appréciation", choices=Rating.choices)
    actual = forms.CharField(label="Réaction observée", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, play, **kwargs):
        super().__init__(*args, auto_id="observation_%s", **kwargs)
        self.fields["inject"].queryset = play.scenario.injects.all()
        self.fields["inject"].label_from_instance = lambda i: f"{i.offset_label} — {i.content[:70]}"
