"""Forms of the accounts pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .validators import TAG_MAX_COUNT, available_timezones


class TagListFormField(forms.CharField):
    """A comma-separated list of short texts, shown and edited as one line."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [part.strip() for part in text.split(",") if part.strip()]


class UserSettingsForm(forms.ModelForm):
    """The user's own account settings; saved through ``accounts.services.user_update``."""

    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[(name, name) for name in sorted(available_timezones())],
        help_text=_("Reminders and “today” follow this time zone."),
    )
    reminder_time = forms.TimeField(
        label=_("Preferred reminder time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    skills = TagListFormField(
        label=_("Skills"), required=False, help_text=_("Separate with commas (at most %d).") % TAG_MAX_COUNT
    )
    interests = TagListFormField(
        label=_("Interests"), required=False, help_text=_("Separate with commas (at most %d).") % TAG_MAX_COUNT
    )

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "username",
            "title",
            "bio",
            "location",
            "timezone",
            "reminder_time",
            "skills",
            "interests",
            "race",
            "ethnicity",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
