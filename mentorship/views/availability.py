"""The mentor's availability page in the mentoring workspace: weekly hours in their own
time zone (several ranges a day), time off and the minimum notice, saved together by
``mentorship.services.availability.availability_set`` (as the API). Verified mentors
only; anyone else gets a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from mentorship.forms.availability import NoticeForm, TimeOffFormSet, WeeklyHoursFormSet, rows_filled
from mentorship.selectors.availability import availability_profile_for, mentor_time_off, mentor_weekly_hours
from mentorship.services.availability import availability_set
from mentorship.views.sessions import mentor_required


@mentor_required
@require_http_methods(["GET", "POST"])
def availability_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show and save the mentor's availability. Bad input: the page again with the errors
    (400), nothing saved."""
    profile = availability_profile_for(user=request.user)
    if profile is None:
        raise Http404(_("There is no such page."))
    data = request.POST if request.method == "POST" else None
    hours = WeeklyHoursFormSet(
        data,
        prefix="hours",
        initial=[
            # As the options' values (HH:MM), so the rows show their times chosen.
            {"weekday": row.weekday, "start_time": f"{row.start_time:%H:%M}", "end_time": f"{row.end_time:%H:%M}"}
            for row in mentor_weekly_hours(profile=profile)
        ],
    )
    time_off = TimeOffFormSet(
        data,
        prefix="off",
        initial=[
            {"start_date": row.start_date, "end_date": row.end_date, "note": row.note}
            for row in mentor_time_off(profile=profile)
        ],
    )
    notice = NoticeForm(data, initial={"notice_hours": profile.booking_notice_hours})
    status = 200
    if request.method == "POST":
        status = 400
        if hours.is_valid() and time_off.is_valid() and notice.is_valid():
            try:
                availability_set(
                    profile=profile,
                    weekly_hours=rows_filled(hours, "weekday"),
                    time_off=rows_filled(time_off, "start_date"),
                    notice_hours=notice.cleaned_data["notice_hours"],
                )
            except ValidationError as exc:
                form_errors_from(notice, exc)
            else:
                messages.success(request, _("Your availability is saved. Mentees see the free times it leaves."))
                return redirect("mentorship:availability")
    context = {
        "hours": hours,
        "time_off": time_off,
        "notice": notice,
        "zone": request.user.timezone or "UTC",
        "view": "availability",
    }
    return render(request, "mentorship/availability/edit.html", context, status=status)
