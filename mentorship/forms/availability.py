"""Forms of the mentor's availability page: rows of weekly hours, rows of time off and the
notice. ``mentorship.services.availability.availability_set`` checks every rule; these only
parse what the browser sends (an empty row is left out)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorship.models import WeeklyHours
from mentorship.services.availability import NOTE_MAX_LENGTH, NOTICE_MAX_HOURS

HALF_HOURS = [
    (f"{minutes // 60:02d}:{minutes % 60:02d}", f"{minutes // 60:02d}:{minutes % 60:02d}")
    for minutes in range(0, 24 * 60, 30)
]


class WeeklyHoursRowForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day"), choices=[("", "—"), *WeeklyHours.Weekday.choices], coerce=int, required=False
    )
    start_time = forms.TimeField(label=_("From"), required=False, widget=forms.Select(choices=[("", "—"), *HALF_HOURS]))
    end_time = forms.TimeField(label=_("Until"), required=False, widget=forms.Select(choices=[("", "—"), *HALF_HOURS]))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [data.get(name) not in (None, "") for name in ("weekday", "start_time", "end_time")]
        if any(given) and not all(given):
            raise forms.ValidationError(_("Give the day, the start and the end of each range."))
        return data


class TimeOffRowForm(forms.Form):
    start_date = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label=_("Until (inclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=NOTE_MAX_LENGTH)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start is None and end is not None:
            raise forms.ValidationError(_("Give the first day off."))
        if start is not None and end is None:
            # One day off: the same date twice.
            data["end_date"] = start
        return data


WeeklyHoursFormSet = forms.formset_factory(WeeklyHoursRowForm, extra=3, can_delete=True)
TimeOffFormSet = forms.formset_factory(TimeOffRowForm, extra=2, can_delete=True)


class NoticeForm(forms.Form):
    notice_hours = forms.IntegerField(
        label=_("Minimum notice (hours)"),
        min_value=0,
        max_value=NOTICE_MAX_HOURS,
        help_text=_("Sessions cannot be booked to start sooner than this."),
    )


def rows_filled(formset: Any, key: str) -> list[dict[str, Any]]:
    """The cleaned rows of a valid ``formset`` that are neither empty (no ``key``) nor
    marked for deletion."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get(key) not in (None, "")
    ]
