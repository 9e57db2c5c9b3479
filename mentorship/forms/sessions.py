"""Forms of the session pages: booking, moving, cancelling, feedback and the mentor's notes.
``mentorship.services`` check every rule; these only parse what the browser sends."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorship.models import MentorshipSession, Venue
from mentorship.services.feedback import FEEDBACK_MAX_LENGTHS
from mentorship.services.notes import NOTE_MAX_LENGTHS
from mentorship.services.sessions import (
    CANCEL_REASON_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    TOPIC_MAX_LENGTH,
)

DURATION_CHOICES = [(minutes, _("%(n)d minutes") % {"n": minutes}) for minutes in (15, 30, 45, 60, 90, 120, 180, 240)]


class SessionTimeForm(forms.Form):
    """A session's start and duration. The start is read in the user's own time zone (the
    middleware activates it), so a time that does not exist or is ambiguous there (a
    daylight-saving change) is a field error."""

    start_at = forms.DateTimeField(
        label=_("Start"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.TypedChoiceField(label=_("Duration"), choices=DURATION_CHOICES, coerce=int, initial=60)

    def __init__(self, *args: Any, timezone_name: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_at"].help_text = _("In your time zone (%(zone)s).") % {"zone": timezone_name}


class SessionBookForm(SessionTimeForm):
    """A booking: kind, place, time (see :class:`SessionTimeForm`), topic and notes. A
    virtual session takes the mentor's own meeting link, so the mentee is not asked for one.
    The venue is for in-person sessions only: ``static/js/session-book.js`` hides it while
    virtual is chosen; without scripts its help text says so."""

    field_order = ("type", "venue", "start_at", "duration_minutes", "topic", "notes")

    type = forms.ChoiceField(
        label=_("Kind of session"), choices=MentorshipSession.Type.choices, widget=forms.RadioSelect
    )
    venue = forms.ModelChoiceField(
        label=_("Venue (in person)"),
        queryset=Venue.objects.order_by("city", "name"),
        required=False,
        empty_label=_("Choose a venue"),
        help_text=_("Only for an in-person session; a virtual one takes place at the mentor's meeting link."),
    )
    topic = forms.CharField(label=_("Topic"), required=False, max_length=TOPIC_MAX_LENGTH)
    notes = forms.CharField(
        label=_("Notes for your mentor (optional)"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SessionRescheduleForm(SessionTimeForm):
    """A new time for a session (see :class:`SessionTimeForm`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_at"].label = _("New start")


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, the other person sees it)"),
        required=False,
        max_length=CANCEL_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


RATING_CHOICES = [
    (5, _("5 — excellent")),
    (4, _("4 — good")),
    (3, _("3 — fair")),
    (2, _("2 — poor")),
    (1, _("1 — bad")),
]


class SessionFeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was the session?"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    growth_area = forms.CharField(label=_("Growth area you worked on"), max_length=FEEDBACK_MAX_LENGTHS["growth_area"])
    growth_idea = forms.CharField(
        label=_("One idea you will put into practice"),
        max_length=FEEDBACK_MAX_LENGTHS["growth_idea"],
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    what_went_well = forms.CharField(
        label=_("What went well"),
        max_length=FEEDBACK_MAX_LENGTHS["what_went_well"],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    what_to_improve = forms.CharField(
        label=_("What could be better"),
        max_length=FEEDBACK_MAX_LENGTHS["what_to_improve"],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    additional_comments = forms.CharField(
        label=_("Anything else (optional)"),
        required=False,
        max_length=FEEDBACK_MAX_LENGTHS["additional_comments"],
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_anonymous = forms.BooleanField(
        label=_("Send it anonymously"),
        required=False,
        help_text=_(
            "Your mentor sees the feedback without your name and apart from the session. With very few "
            "sessions they may still guess who wrote it."
        ),
    )


class SessionNoteForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=NOTE_MAX_LENGTHS["summary"],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_ups = forms.CharField(
        label=_("Follow-ups"),
        required=False,
        max_length=NOTE_MAX_LENGTHS["follow_ups"],
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    growth_focus = forms.CharField(
        label=_("Growth focus"),
        required=False,
        max_length=NOTE_MAX_LENGTHS["growth_focus"],
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    private_notes = forms.CharField(
        label=_("Private notes"),
        required=False,
        max_length=NOTE_MAX_LENGTHS["private_notes"],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
