"""Forms of questionnaires: a draft's settings, parts and questions, who is asked, and the
answer form built from the questions."""

import datetime

from django import forms
from django.utils import timezone

from tocsin.core.errors import DomainError
from tocsin.directory.forms import GroupsAndOrganisationsForm
from tocsin.surveys import services
from tocsin.surveys.enums import (
    CHOICE_KINDS,
    NO,
    OPEN_LINK_KINDS,
    SCALE_VALUES,
    YES,
    QuestionKind,
)
from tocsin.surveys.models import Question, Survey

DEFAULT_CLOSING_TIME = datetime.time(18, 0)


class SurveyForm(forms.ModelForm):
    """Title, introduction, closing date and time, open link."""

    closes_on = forms.DateField(
        label="Date de clôture", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Indiquez jusqu'à quel jour les réponses sont possibles.",
                        "invalid": "Indiquez une date, par exemple 12/12/2026."},
    )  # fmt: skip
    closes_time = forms.TimeField(
        label="Heure de clôture", initial=DEFAULT_CLOSING_TIME,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Indiquez l'heure de clôture.",
                        "invalid": "Indiquez une heure au format HH:MM, par exemple 18:00."},
    )  # fmt: skip

    class Meta:
        model = Survey
        fields = ["title", "intro", "allows_open_link", "is_exercise"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 4})}
        labels = {"allows_open_link": "Proposer aussi un lien ouvert",
                  "is_exercise": "C'est un exercice"}  # fmt: skip
        help_texts = {"is_exercise": "Les e-mails et les pages portent la mention EXERCICE."}
        error_messages = {"title": {"required": "Donnez un titre au questionnaire."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        closes_at = self.instance.closes_at
        if closes_at:
            local = timezone.localtime(closes_at)
            self.initial.setdefault("closes_on", local.date())
            self.initial.setdefault("closes_time", local.time())

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("closes_on"), cleaned.get("closes_time")
        if day and time:
            closes_at = timezone.make_aware(datetime.datetime.combine(day, time))
            if closes_at <= timezone.now():
                self.add_error("closes_on", "Choisissez une clôture à venir.")
            cleaned["closes_at"] = closes_at
        return cleaned

    def fields_for_service(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in (*self.Meta.fields, "closes_at")}


class SectionForm(forms.Form):
    title = forms.CharField(
        label="Titre de la partie", max_length=200,
        error_messages={"required": "Donnez un titre à la partie."},
    )  # fmt: skip


class QuestionForm(forms.ModelForm):
    options = forms.CharField(
        label="Options (une par ligne)", required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Pour un choix unique ou multiple : au moins deux options.",
    )  # fmt: skip

    class Meta:
        model = Question
        fields = ["section", "kind", "text", "help_text", "required"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"section": "Partie", "kind": "Type de question"}
        help_texts = {"help_text": "Affichée sous la question (facultatif)."}
        error_messages = {
            "text": {"required": "Écrivez la question."},
            "section": {"required": "Choisissez une partie.",
                        "invalid_choice": "Choisissez une partie de ce questionnaire."},
        }  # fmt: skip

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = survey.sections.all()
        self.fields["section"].empty_label = None
        self.fields["kind"].error_messages["required"] = "Choisissez un type de question."
        if self.instance.pk:
            self.initial.setdefault("options", "\n".join(self.instance.choices))

    def clean(self):
        cleaned = super().clean()
        kind, options = cleaned.get("kind"), cleaned.get("options", "")
        if kind in CHOICE_KINDS:
            try:
                cleaned["choices"] = services.clean_choices(kind, options.splitlines())
            except DomainError as error:
                self.add_error("options", error.message)
        return cleaned

    def fields_for_service(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields}
        return fields | {"choices": data.get("choices", [])}


class AudienceForm(GroupsAndOrganisationsForm):
    """Who is asked: whole groups, and the contacts of chosen organisations."""

    @staticmethod
    def initial_from(criteria: dict) -> dict:
        return {"groups": criteria.get("groups", []),
                "organisations": criteria.get("organisations", [])}  # fmt: skip


# --- The answer form ---

REQUIRED = "Répondez à cette question."
INVALID_CHOICE = "Choisissez une des réponses proposées."
SCALE_CHOICES = [(str(n), {1: "1 — pas du tout", 5: "5 — tout à fait"}.get(n, str(n)))
                 for n in SCALE_VALUES]  # fmt: skip
YES_NO_CHOICES = [(YES, "Oui"), (NO, "Non")]


def answer_field(question: Question) -> forms.Field:
    """The field of one question; `required` is set by the form (only when sending)."""
    label = question.text + (" (obligatoire)" if question.required else "")
    errors = {"required": REQUIRED, "invalid_choice": INVALID_CHOICE}
    common = {"label": label, "help_text": question.help_text, "required": False,
              "error_messages": errors}  # fmt: skip
    options = [(option, option) for option in question.choices]
    match question.kind:
        case QuestionKind.SINGLE:
            return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        case QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=options, widget=forms.CheckboxSelectMultiple, **common
            )
        case QuestionKind.SCALE:
            return forms.TypedChoiceField(
                choices=SCALE_CHOICES, coerce=int, empty_value=None, widget=forms.RadioSelect,
                **common,
            )  # fmt: skip
        case QuestionKind.YES_NO:
            return forms.ChoiceField(choices=YES_NO_CHOICES, widget=forms.RadioSelect, **common)
        case QuestionKind.NUMBER:
            common["error_messages"]["invalid"] = "Indiquez un nombre, par exemple 12 ou 3,5."
            return forms.FloatField(
                localize=True, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
            )
    return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), **common)


def _stored(value):
    """A cleaned value as Answer.value keeps it (whole numbers without their « .0 »)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


class AnswersForm(forms.Form):
    """One field per question (named q<pk>), grouped by part. Required only when sending."""

    def __init__(self, *args, sections, answers=None, sending=False, open_link=False, kind="",
                 **kwargs):  # fmt: skip
        kwargs.setdefault("label_suffix", "")  # a question ends with its own « ? »
        super().__init__(*args, **kwargs)
        self.sections = sections  # [(section, [questions])]
        if open_link:
            self.fields["category"] = forms.ChoiceField(
                label="Vous répondez en tant que :", widget=forms.RadioSelect, required=sending,
                choices=[(k, k) for k in OPEN_LINK_KINDS], initial=kind or None,
                error_messages={"required": "Indiquez en tant que quoi vous répondez.",
                                "invalid_choice": INVALID_CHOICE},
            )  # fmt: skip
        for _, questions in sections:
            for question in questions:
                field = answer_field(question)
                field.required = sending and question.required
                name = f"q{question.pk}"
                self.fields[name] = field
                if answers and question.pk in answers:
                    value = answers[question.pk]
                    is_scale = question.kind == QuestionKind.SCALE
                    self.initial[name] = str(value) if is_scale else value

    def grouped(self) -> list:
        """[(section, [bound fields])] in reading order, for the template."""
        return [(section, [self[f"q{q.pk}"] for q in questions])
                for section, questions in self.sections]  # fmt: skip

    def values(self) -> dict:
        """{question pk: value} of every question, blank ones included (they clear an answer)."""
        return {question.pk: _stored(self.cleaned_data.get(f"q{question.pk}"))
                for _, questions in self.sections for question in questions}  # fmt: skip
