"""Demo availability (``seed_demo``, after the sessions and events, which were booked at
times of their own): every verified demo mentor keeps weekday hours in their own time zone
— mornings and afternoons, the demo mentor also Saturday mornings — a 12-hour notice and
a day off next week, so the booking page shows free slots around them. A mentor who
already has hours keeps them (idempotent; their own edits stay)."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.selectors.users import user_get_by_email
from mentorship.demo.seed import MENTORS
from mentorship.demo.sessions import MENTOR
from mentorship.selectors.availability import availability_profile_for, mentor_weekly_hours
from mentorship.services.availability import availability_set

WEEKDAY_HOURS = ((time(9), time(12)), (time(13), time(17)))
SATURDAY_HOURS = (time(10), time(13))
NOTICE_HOURS = 12


def seed_availability() -> None:
    """Weekly hours, a day off and the notice of the verified demo mentors (see the module)."""
    for spec in MENTORS:
        user = user_get_by_email(email=spec.email)
        profile = availability_profile_for(user=user) if user is not None else None
        if profile is None or mentor_weekly_hours(profile=profile):
            continue
        hours = [
            {"weekday": day, "start_time": start, "end_time": end} for day in range(5) for start, end in WEEKDAY_HOURS
        ]
        if spec.email == MENTOR:
            hours.append({"weekday": 5, "start_time": SATURDAY_HOURS[0], "end_time": SATURDAY_HOURS[1]})
        today = timezone.now().astimezone(ZoneInfo(profile.user.timezone or "UTC")).date()
        # The Friday of next week.
        day_off = today + timedelta(days=7 + (4 - today.weekday()) % 7)
        availability_set(
            profile=profile,
            weekly_hours=hours,
            time_off=[{"start_date": day_off, "end_date": day_off, "note": "Conference"}],
            notice_hours=NOTICE_HOURS,
        )
