"""Forms of the accounts pages."""

import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.forms import TimezoneField
from core.reports import report_period, report_period_default
from core.validators import TAG_MAX_COUNT

from .models import Profile, StoredFile, User
from .selectors.notifications import NotificationPreferenceItem
from .services.users import USER_SELF_EDITABLE_FIELDS


class TagListFormField(forms.CharField):
    """A comma-separated list of short texts, shown and edited as one line."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [part.strip() for part in text.split(",") if part.strip()]


class UserSettingsForm(forms.ModelForm):
    """The user's own account settings; saved through ``accounts.services.users.user_update``."""

    timezone = TimezoneField(
        help_text=_("Reminders and “today” follow this time zone. Type a city or a country to search.")
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
        fields = list(USER_SELF_EDITABLE_FIELDS)
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


class WelcomeNameForm(forms.Form):
    """The welcome's first step: the name to be called by and the time zone."""

    first_name = forms.CharField(
        label=_("What should we call you?"),
        max_length=150,
        help_text=_("Your first name, or the name you go by. Mentors and therapists you work with see it."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    timezone = TimezoneField(help_text=_("Reminders and “today” follow it. Type a city or a country to search."))

    def __init__(self, *args: Any, guess_timezone: bool = False, **kwargs: Any) -> None:
        """``guess_timezone``: the person has not chosen a zone yet, so the page fills in
        the browser's (static/js/timezone-guess.js) for them to confirm."""
        super().__init__(*args, **kwargs)
        if guess_timezone:
            self.fields["timezone"].widget.attrs["data-timezone-guess"] = "true"

    def clean_first_name(self) -> str:
        name = " ".join(self.cleaned_data["first_name"].split())
        if not name:
            raise ValidationError(_("Tell us what to call you."), code="required")
        return name


class WelcomeIntentsForm(forms.Form):
    """The welcome's second step: what brings the person here (one or more)."""

    intents = forms.MultipleChoiceField(
        label=_("I am here to"),
        choices=User.Intent.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or more. You can change your mind later."),
        error_messages={"required": _("Choose at least one: it decides what we suggest first.")},
    )


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
        super().clean()
        cleaned = self.cleaned_data
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


# formset_factory returns a subclass of the formset it is given; the stubs say the base class.
CustomFieldFormSet: type[BaseCustomFieldFormSet] = forms.formset_factory(  # type: ignore[assignment]
    CustomFieldForm, formset=BaseCustomFieldFormSet, extra=3
)


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
    saved through ``accounts.services.notifications.notification_preferences_set``."""

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


class _FileSettingsForm(forms.Form):
    """Tags, visibility and expiry of a stored file; saved through ``accounts.services``."""

    tags = TagListFormField(
        label=_("Tags"), required=False, help_text=_("Separate with commas (at most %d).") % TAG_MAX_COUNT
    )
    visibility = forms.ChoiceField(
        label=_("Who can open it"),
        choices=[
            ("private", _("Only me (download links expire after a few minutes)")),
            ("public", _("Anyone with the link")),
        ],
        initial="private",
        widget=forms.RadioSelect,
    )
    expires_at = forms.DateTimeField(
        label=_("Delete automatically after"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Optional, in your time zone. Leave empty to keep the file until you delete it."),
    )

    def settings(self) -> dict[str, Any]:
        """The cleaned values as the file services take them."""
        return {
            "tags": self.cleaned_data["tags"],
            "is_public": self.cleaned_data["visibility"] == "public",
            "expires_at": self.cleaned_data["expires_at"],
        }


class FileUploadForm(_FileSettingsForm):
    # Empty files reach the service, which refuses them with the same message as the API.
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    field_order = ["file", "tags", "visibility", "expires_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = settings.FILE_UPLOAD_ALLOWED_TYPES
        self.fields["file"].widget.attrs["accept"] = ",".join(allowed)
        self.fields["file"].help_text = _("At most %(size)s: %(types)s.") % {
            "size": filesizeformat(settings.FILE_UPLOAD_MAX_BYTES),
            "types": ", ".join(allowed),
        }


class FileEditForm(_FileSettingsForm):
    @classmethod
    def initial_from(cls, file: StoredFile) -> dict[str, Any]:
        # Whole minutes, as the field shows them: an untouched expiry is not a change.
        expires_at = file.expires_at.replace(second=0, microsecond=0) if file.expires_at else None
        return {"tags": file.tags, "visibility": "public" if file.is_public else "private", "expires_at": expires_at}

    def changes(self) -> dict[str, Any]:
        """Only what the user changed, as ``accounts.services.files.file_update`` takes it."""
        service_names = {"tags": "tags", "visibility": "is_public", "expires_at": "expires_at"}
        values = self.settings()
        return {service_names[name]: values[service_names[name]] for name in self.changed_data}


class AvatarForm(forms.Form):
    avatar = forms.FileField(
        label=_("New photo"),
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["avatar"].help_text = _(
            "A JPEG, PNG, GIF or WebP image of at most %(size)s. It is turned upright and resized to "
            "%(pixels)d × %(pixels)d pixels; location and camera details are removed."
        ) % {"size": filesizeformat(settings.AVATAR_MAX_BYTES), "pixels": settings.AVATAR_SIZE}


class AuditLogFilterForm(forms.Form):
    """Checks the filters: a user is an id or an e-mail address; a time range does not end
    before it starts."""

    def clean_user(self) -> uuid.UUID | str:
        value = (self.cleaned_data.get("user") or "").strip()
        if not value:
            return ""
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(_("Enter a user id or an e-mail address."), code="invalid") from None
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("from"), data.get("to")
        if start and end and end <= start:
            self.add_error("to", _("The end of the time range must come after its start."))
        return data


class ReportPeriodForm(forms.Form):
    """The period of the staff reports (``?start=…&end=…``, both days included); checked by
    :func:`core.reports.report_period`, as the API checks it."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    @classmethod
    def for_query(cls, query: Mapping[str, Any]) -> "ReportPeriodForm":
        """The form bound to the query's dates, or to the default period when it names none."""
        if "start" in query or "end" in query:
            return cls(query)
        default = report_period_default()
        return cls({"start": default.first.isoformat(), "end": default.last.isoformat()})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "start" in cleaned and "end" in cleaned:
            try:
                cleaned["period"] = report_period(cleaned["start"], cleaned["end"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned
