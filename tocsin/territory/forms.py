"""Territory forms: communes to add, GASPAR file to import, risks of the register."""

from django import forms

from tocsin.core.errors import DomainError
from tocsin.territory.models import Risk
from tocsin.territory.selectors import territory_communes
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


class GasparUploadForm(forms.Form):
    file = forms.FileField(
        label="Fichier GASPAR (risq_gaspar.csv)",
        help_text="Fichier GéoRisques séparé par des points-virgules, dont la première ligne est "
        "cod_commune;lib_commune;num_risque;lib_risque. Seules les communes du territoire sont "
        "gardées.",
    )


class RiskForm(forms.ModelForm):
    """A risk of the register; the communes offered are those of the CPTS territory."""

    class Meta:
        model = Risk
        fields = ["name", "crisis_type", "description", "is_major", "communes"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "communes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cpts = cpts
        # A commune of another territory posted by hand fails as « Sélectionnez un choix valide ».
        self.fields["communes"].queryset = territory_communes(cpts)
