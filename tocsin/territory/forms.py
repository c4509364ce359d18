from django import forms

from tocsin.core.errors import DomainError
from tocsin.territory.services import parse_insee_codes


class AddCommunesForm(forms.Form):
    codes = forms.CharField(
        label="Codes INSEE à ajouter",
        help_text="Un ou plusieurs codes séparés par des espaces ou des virgules, ex. 44131 44154.",
        max_length=2000,
    )

    def clean_codes(self):
        try:
            return parse_insee_codes(self.cleaned_data["codes"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from error
