"""Forms of therapy's pages (the rules stay in services; forms only parse input)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import form_field
from therapy.models import FEELING_MAX_LENGTH, MESSAGE_MAX_LENGTH, NOTE_MAX_LENGTH, Specialization
from therapy.selectors.sessions import (
    MEETING_LINK_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    therapy_session_therapists_for_client,
)
from therapy.services.profiles import LANGUAGE_MAX_LENGTH, LANGUAGES_MAX
from therapy.services.sessions import DURATION_MAX, DURATION_MIN

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


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


class JournalEntryForm(forms.Form):
    time_of_emotion = forms.DateTimeField(
        label=_("When did you feel it?"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("In your time zone."),
    )
    feeling = forms.CharField(
        label=_("Feeling"),
        max_length=FEELING_MAX_LENGTH,
        widget=forms.TextInput(attrs={"list": "feeling-suggestions", "autocomplete": "off"}),
        help_text=_("Pick one from the list or write your own word."),
    )
    intensity = forms.IntegerField(
        label=_("Intensity (1–10)"),
        min_value=1,
        max_value=10,
        widget=forms.NumberInput(attrs={"min": 1, "max": 10, "step": 1}),
        help_text=_("1 is barely there, 10 is overwhelming."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    is_shared = forms.BooleanField(
        label=_("Share this entry with my therapists"),
        required=False,
        help_text=_("Only therapists you are actively working with can read shared entries."),
    )


class JournalFilterForm(forms.Form):
    """Checks the filters: a date range does not end before it starts."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end of the date range must not come before its start."))
        return data


class _TherapistChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class SessionRequestForm(forms.Form):
    therapist = _TherapistChoiceField(queryset=None, label=_("Therapist"), empty_label=None)
    title = forms.CharField(label=_("What would you like to talk about?"), max_length=TITLE_MAX_LENGTH)
    scheduled_at = forms.DateTimeField(
        label=_("Proposed time"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("In your time zone."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=DURATION_MIN, max_value=DURATION_MAX, initial=50
    )

    def __init__(self, *args: Any, client: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "therapist", forms.ModelChoiceField).queryset = therapy_session_therapists_for_client(
            client=client
        )


class SessionNotesForm(forms.Form):
    shared_notes = forms.CharField(
        label=_("Shared notes (your client reads these)"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    private_notes = forms.CharField(
        label=_("Private notes (only you ever read these)"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class SessionRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UrgentSessionForm(forms.Form):
    """A client's request for an urgent session: an optional note for the therapist."""

    note = forms.CharField(
        label=_("Anything you want your therapist to know (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SessionCancelForm(forms.Form):
    """Either party cancels; the reason is optional and read on the session's page only."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SessionMoveForm(forms.Form):
    """Either party proposes another time (and length)."""

    scheduled_at = forms.DateTimeField(
        label=_("New time"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("In your time zone."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=DURATION_MIN, max_value=DURATION_MAX, initial=50
    )


class SessionWhereForm(forms.Form):
    """The therapist says where the session takes place: a meeting link or a place."""

    meeting_link = forms.URLField(
        label=_("Meeting link"), required=False, max_length=MEETING_LINK_MAX_LENGTH, assume_scheme="https"
    )
    place = forms.CharField(
        label=_("Or a place"), required=False, max_length=PLACE_MAX_LENGTH, help_text=_("An address or a room.")
    )
