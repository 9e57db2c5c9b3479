"""Forms of the accounts pages."""

import json
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Profile, User
from .selectors import NotificationPreferenceItem
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


class ProfileForm(forms.ModelForm):
    """Name and type of a profile; its custom fields come from :class:`CustomFieldFormSet`."""

    class Meta:
        model = Profile
        fields = ["name", "type"]


class CustomFieldForm(forms.Form):
    """One custom field. Values are text; a value that starts with ``[`` or ``{`` is read
    as JSON, so lists and objects can be stored too."""

    key = forms.CharField(label=_("Field name"), max_length=100, required=False)
    value = forms.CharField(label=_("Value"), required=False, widget=forms.TextInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        key, raw = cleaned.get("key", "").strip(), cleaned.get("value", "")
        if not key and raw.strip():
            self.add_error("key", _("Give this value a field name."))
        cleaned["key"] = key
        if raw.strip().startswith(("[", "{")):
            try:
                cleaned["value"] = json.loads(raw)
            except json.JSONDecodeError as exc:
                self.add_error("value", _("This looks like JSON but is not valid: %(error)s") % {"error": exc.msg})
        return cleaned


class BaseCustomFieldFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            key = form.cleaned_data.get("key")
            if not key:
                continue
            if key in seen:
                raise forms.ValidationError(_("Each field name may appear once (“%(key)s” repeats).") % {"key": key})
            seen.add(key)

    def custom_fields(self) -> dict[str, Any]:
        """The fields as a JSON object, in the order shown, blank rows skipped."""
        return {
            form.cleaned_data["key"]: form.cleaned_data["value"] for form in self.forms if form.cleaned_data.get("key")
        }

    @staticmethod
    def initial_from(custom_fields: dict[str, Any]) -> list[dict[str, str]]:
        return [
            {"key": key, "value": value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}
            for key, value in custom_fields.items()
        ]


CustomFieldFormSet = forms.formset_factory(CustomFieldForm, formset=BaseCustomFieldFormSet, extra=3)


class AccountDeleteForm(forms.Form):
    """Deleting an account needs the current password and an explicit confirmation."""

    password = forms.CharField(
        label=_("Current password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my private content are deleted for good."), required=True
    )


class NotificationPreferencesForm(forms.Form):
    """One checkbox per notification type ("send me an e-mail copy"), grouped by area;
    saved through ``accounts.services.notification_preferences_set``."""

    def __init__(self, *args: Any, items: Sequence[NotificationPreferenceItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[item.type] = forms.BooleanField(label=item.label, required=False, initial=item.email)

    def groups(self) -> list[dict[str, Any]]:
        """The fields by area, in the order of ``items``: ``[{"key", "label", "fields"}]``."""
        groups: dict[str, dict[str, Any]] = {}
        for item in self.items:
            group = groups.setdefault(item.area, {"key": item.area, "label": item.area_label, "fields": []})
            group["fields"].append(self[item.type])
        return list(groups.values())

    def preferences(self) -> dict[str, bool]:
        """Every type with the e-mail choice submitted (unchecked means no)."""
        return {item.type: bool(self.cleaned_data.get(item.type)) for item in self.items}
