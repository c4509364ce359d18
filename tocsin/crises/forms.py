"""Forms of the crisis pages: short, prefilled, one line where one line will do."""

from django import forms
from django.utils import timezone

from tocsin.crises.enums import ACTIVE_PHASES, EntryKind, Phase
from tocsin.crises.models import SituationReport
from tocsin.crises.reports import FIGURE_FIELDS, NARRATIVE_FIELDS
from tocsin.directory.models import Contact
from tocsin.directory.text import tokens
from tocsin.plans.enums import CellFunction
from tocsin.territory.enums import CrisisType
from tocsin.territory.models import Risk
from tocsin.watch.enums import Level

LOCAL_DATETIME = "%Y-%m-%dT%H:%M"
ACTIVE_CHOICES = [(p.value, p.label) for p in ACTIVE_PHASES]
# A signal's colour suggests the phase to open in; the référent confirms it.
LEVEL_PHASE = {Level.GREEN: Phase.WATCH, Level.YELLOW: Phase.WATCH, Level.ORANGE: Phase.ALERT,
               Level.RED: Phase.CRISIS}  # fmt: skip


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_DATETIME, **kwargs)


class ActivationForm(forms.Form):
    title = forms.CharField(label="Intitulé", max_length=200)
    is_exercise = forms.BooleanField(
        label="EXERCICE", required=False,
        help_text="Un exercice est signalé sur chaque page et chaque document, et compté à part.",
    )  # fmt: skip
    crisis_type = forms.TypedChoiceField(label="Type de crise (ACI)", choices=CrisisType.choices,
                                         coerce=int)  # fmt: skip
    risk = forms.ModelChoiceField(label="Risque", queryset=Risk.objects.none(), required=False,
                                  help_text="Ses fiches action deviennent les tâches de la "
                                            "cellule.")  # fmt: skip
    phase = forms.ChoiceField(label="Phase de départ", choices=ACTIVE_CHOICES)
    started_at = forms.DateTimeField(label="Début", widget=DateTimeInput(),
                                     input_formats=[LOCAL_DATETIME])  # fmt: skip

    def __init__(self, *args, cpts, signal=None, **kwargs):
        super().__init__(*args, **kwargs)
        risks = Risk.objects.for_cpts(cpts)
        self.fields["risk"].queryset = risks
        self.fields["started_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["phase"].initial = Phase.ALERT
        if signal is not None:
            self.fields["title"].initial = signal.headline[:200]
            self.fields["is_exercise"].initial = signal.is_exercise
            self.fields["phase"].initial = LEVEL_PHASE.get(signal.level, Phase.ALERT)
            self.fields["started_at"].initial = timezone.localtime().replace(
                second=0, microsecond=0
            )
            risk = guess_risk(risks, f"{signal.event} {signal.headline}")
            if risk is not None:
                self.fields["risk"].initial = risk.pk
                self.fields["crisis_type"].initial = risk.crisis_type

    def clean(self):
        data = super().clean()
        risk = data.get("risk")
        if risk is not None and data.get("crisis_type") is None:
            data["crisis_type"] = risk.crisis_type
        return data


def guess_risk(risks, text: str):
    """The risk whose name shares the most words with the signal's event (or None)."""
    words = {word for word in tokens(text) if len(word) > 3}  # not « de », « la », « des »
    best, best_score = None, 0
    for risk in risks:
        score = len(words & set(tokens(risk.name)))
        if score > best_score:
            best, best_score = risk, score
    return best


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label="Nouvelle phase", choices=ACTIVE_CHOICES)


class CloseForm(forms.Form):
    summary = forms.CharField(
        label="Synthèse de clôture", widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ce qui s'est passé, ce qui a été fait, ce qui reste à suivre.",
    )  # fmt: skip


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label="Nature", choices=EntryKind.choices,
                             initial=EntryKind.INFORMATION)  # fmt: skip
    text = forms.CharField(label="Entrée", widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=5000)  # fmt: skip
    corrects = forms.IntegerField(label="Corrige l'entrée n°", required=False, min_value=1)


class TaskAddForm(forms.Form):
    title = forms.CharField(label="Nouvelle tâche", max_length=500)
    function = forms.ChoiceField(label="Fonction", required=False,
                                 choices=[("", "—"), *CellFunction.choices])  # fmt: skip
    due_at = forms.DateTimeField(label="Échéance", required=False, widget=DateTimeInput(),
                                 input_formats=[LOCAL_DATETIME])  # fmt: skip


class TaskEditForm(forms.Form):
    function = forms.ChoiceField(label="Fonction", required=False,
                                 choices=[("", "—"), *CellFunction.choices])  # fmt: skip
    assignee = forms.ModelChoiceField(label="Confiée à", queryset=None, required=False)
    due_at = forms.DateTimeField(label="Échéance", required=False, widget=DateTimeInput(),
                                 input_formats=[LOCAL_DATETIME])  # fmt: skip

    def __init__(self, *args, crisis, **kwargs):
        super().__init__(*args, **kwargs)
        seated = crisis.seats.values("contact_id")
        self.fields["assignee"].queryset = Contact.objects.filter(pk__in=seated)


class ReportForm(forms.ModelForm):
    class Meta:
        model = SituationReport
        fields = FIGURE_FIELDS + NARRATIVE_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in NARRATIVE_FIELDS}


class SendForm(forms.Form):
    authorities = forms.MultipleChoiceField(
        label="Autorités", required=False, widget=forms.CheckboxSelectMultiple
    )
    others = forms.CharField(
        label="Autres adresses", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Séparées par des virgules : préfecture, délégation départementale, mairie…",
    )  # fmt: skip

    def __init__(self, *args, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authorities"].choices = recipients
        self.fields["authorities"].initial = [email for email, _ in recipients]
