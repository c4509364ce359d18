"""Forms of the RETEX pages."""

from django import forms

from tocsin.core.enums import AuthorityBody
from tocsin.directory.models import Contact
from tocsin.retex.enums import Polarity, Theme
from tocsin.retex.models import ImprovementAction, Review


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["summary", "hot_on", "hot_participants", "hot_notes", "cold_on",
                  "cold_participants", "cold_notes", "timeline"]  # fmt: skip
        widgets = {
            "hot_on": DateInput(),
            "cold_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "hot_participants": forms.Textarea(attrs={"rows": 2}),
            "cold_participants": forms.Textarea(attrs={"rows": 2}),
            "hot_notes": forms.Textarea(attrs={"rows": 5}),
            "cold_notes": forms.Textarea(attrs={"rows": 5}),
            "timeline": forms.Textarea(attrs={"rows": 12}),
        }


class FindingForm(forms.Form):
    """Shown on the review page next to the action form: its own ids, so labels stay unique."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="constat_%s", **kwargs)

    polarity = forms.ChoiceField(label="Nature", choices=Polarity.choices)
    theme = forms.ChoiceField(label="Thème", choices=Theme.choices)
    text = forms.CharField(label="Constat", widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(forms.ModelForm):
    class Meta:
        model = ImprovementAction
        fields = ["description", "finding", "owner", "due_on", "plan_section"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_on": DateInput()}

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, auto_id="action_%s", **kwargs)
        self.fields["finding"].queryset = review.findings.all()
        self.fields["finding"].label = "Constat à l'origine"
        self.fields["finding"].label_from_instance = lambda f: (
            f"{f.get_polarity_display()} — {f.text[:90]}"
        )
        # The people the crisis team works with; a long list, so the CPTS's own only.
        self.fields["owner"].queryset = Contact.objects.for_cpts(review.cpts).order_by(
            "last_name", "first_name"
        )


class TransmitForm(forms.Form):
    recipients = forms.MultipleChoiceField(
        label="Autorités destinataires", choices=AuthorityBody.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[AuthorityBody.ARS, AuthorityBody.PREFECTURE, AuthorityBody.CPAM],
    )  # fmt: skip
