"""Forms of the watch log: a manual signal with its files, a CAP import, a feed, the filters."""

from django import forms
from django.conf import settings
from django.utils import timezone

from tocsin.watch.enums import Level, SignalSource
from tocsin.watch.fetch import ALLOWED_SCHEMES
from tocsin.watch.models import Feed, Signal

MAX_ATTACHMENTS = 10
VIGILANCE_URL = "https://public-api.meteofrance.fr/public/DPVigilance/v1/cartevigilance/encours"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked like a single FileField."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        return [single(f, initial) for f in files if f]


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.0f} Mo" if size >= 1_000_000 else f"{size // 1000} Ko"


class SignalForm(forms.ModelForm):
    sent_at = forms.DateTimeField(
        label="Reçu ou émis le", widget=DateTimeInput(format="%Y-%m-%dT%H:%M")
    )
    attachments = MultipleFileField(
        label="Pièces jointes",
        required=False,
        help_text=f"Jusqu'à {MAX_ATTACHMENTS} fichiers (message DGS-Urgent, courrier de l'ARS…), "
        f"{_mb(settings.WATCH_ATTACHMENT_MAX_BYTES)} chacun au plus.",
    )

    class Meta:
        model = Signal
        fields = [
            "sender", "sent_at", "event", "headline", "level", "is_exercise", "description",
            "instruction", "areas",
        ]  # fmt: skip
        labels = {"sender": "Émetteur ou source", "event": "Événement", "headline": "Titre"}
        help_texts = {
            "sender": "Ex. : DGS-Urgent, appel de l'ARS, signalement d'un membre.",
            "level": "Orange et rouge préviennent le référent et son suppléant par e-mail.",
            "areas": "Communes ou secteurs concernés.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "instruction": forms.Textarea(attrs={"rows": 3}),
            "areas": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"].required = True
        self.fields["sent_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(f"{MAX_ATTACHMENTS} fichiers au plus par signal.")
        limit = settings.WATCH_ATTACHMENT_MAX_BYTES
        too_big = [f.name for f in files if f.size > limit]
        if too_big:
            raise forms.ValidationError(
                f"Fichier trop volumineux (plus de {_mb(limit)}) : {', '.join(too_big)}."
            )
        return files


class CapImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CAP (XML) ou flux Atom/RSS",
        required=False,
        help_text=f"Alerte au format CAP 1.2, {_mb(settings.WATCH_MAX_BYTES)} au plus.",
    )
    url = forms.URLField(
        label="… ou son adresse",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Une alerte CAP ou un flux (ex. : flux MeteoAlarm de la France).",
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > settings.WATCH_MAX_BYTES:
            raise forms.ValidationError(
                f"Fichier trop volumineux : {_mb(settings.WATCH_MAX_BYTES)} au plus."
            )
        return upload

    def clean_url(self):
        return _http_only(self.cleaned_data.get("url", ""))

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise forms.ValidationError(
                "Déposez un fichier ou indiquez une adresse (l'un des deux)."
            )
        return cleaned


def _http_only(url: str) -> str:
    if url and url.split(":", 1)[0].lower() not in ALLOWED_SCHEMES:
        raise forms.ValidationError("Seules les adresses http:// ou https:// sont acceptées.")
    return url


class FeedForm(forms.ModelForm):
    url = forms.URLField(label="Adresse", max_length=500, assume_scheme="https")
    every_minutes = forms.IntegerField(
        label="Lire toutes les (minutes)", min_value=5, max_value=24 * 60, initial=15
    )

    class Meta:
        model = Feed
        fields = ["name", "kind", "url", "enabled", "every_minutes"]
        help_texts = {"enabled": "Décochez pour suspendre la lecture sans perdre le réglage."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].help_text = (
            "Flux CAP : l'adresse d'une alerte ou d'un flux Atom/RSS (MeteoAlarm…). Vigilance : "
            f"{VIGILANCE_URL} (clé d'API Météo-France dans la configuration du serveur)."
        )

    def clean_url(self):
        return _http_only(self.cleaned_data.get("url", ""))


class SignalFilterForm(forms.Form):
    """The watch log's filters (GET); an invalid value is ignored, never an error page."""

    source = forms.ChoiceField(
        label="Origine", required=False, choices=[("", "Toutes"), *SignalSource.choices]
    )
    level = forms.TypedChoiceField(
        label="Niveau minimal",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Tous"), *[(v, f"{label} et plus") for v, label in Level.choices]],
    )
    state = forms.ChoiceField(
        label="État",
        required=False,
        choices=[("", "Tous"), ("current", "En vigueur"), ("ended", "Terminés")],
    )
    exercise = forms.ChoiceField(
        label="Exercices",
        required=False,
        choices=[("", "Réels et exercices"), ("real", "Réels seulement"), ("only", "Exercices")],
    )

    def apply(self, signals):
        if not self.is_valid():
            return signals
        data = self.cleaned_data
        if data["source"]:
            signals = signals.filter(source=data["source"])
        if data["level"]:
            signals = signals.filter(level__gte=data["level"])
        if data["state"] == "current":
            signals = signals.current()
        elif data["state"] == "ended":
            signals = signals.exclude(pk__in=signals.current().values("pk"))
        if data["exercise"]:
            signals = signals.filter(is_exercise=data["exercise"] == "only")
        return signals
