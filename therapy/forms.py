"""Forms of therapy's pages (the rules stay in services; forms only parse input)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from therapy.models import MESSAGE_MAX_LENGTH, Specialization
from therapy.services.profiles import LANGUAGE_MAX_LENGTH, LANGUAGES_MAX


class TherapistApplicationForm(forms.Form):
    """Apply to work as a therapist, or edit the profile."""

    specialization = forms.ChoiceField(label=_("Specialization"), choices=Specialization.choices)
    credentials = forms.CharField(
        label=_("Qualifications and licence"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Staff check these before clients can find you."),
    )
    bio = forms.CharField(
        label=_("About you"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=LANGUAGES_MAX * (LANGUAGE_MAX_LENGTH + 2),
        help_text=_("Separated by commas, e.g. English, Spanish."),
    )
    accepting_clients = forms.BooleanField(label=_("I am accepting new clients"), required=False, initial=True)

    def clean_languages(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data["languages"].split(",") if part.strip()]


class MessageForm(forms.Form):
    content = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a message first.")},
    )
