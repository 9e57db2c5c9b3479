"""Demo availability: every verified demo mentor has weekday hours, a day off and a notice
after the sessions and events are seeded, so the demo learner sees free slots; running it
twice changes nothing and a mentor's own hours are kept."""

from datetime import time

import pytest

from accounts.demo.seed import DEMO_USERS
from accounts.selectors.users import user_get_by_email
from accounts.tests.factories import UserFactory
from learning.demo.seed import seed_catalog
from mentorship.demo.availability import NOTICE_HOURS, seed_availability
from mentorship.demo.seed import seed_mentors
from mentorship.demo.sessions import MENTOR, seed_sessions
from mentorship.models import MentorProfile, TimeOff, WeeklyHours
from mentorship.selectors.availability import mentor_free_slots

pytestmark = pytest.mark.django_db


def test_demo_mentors_have_hours_and_free_slots_and_seeding_twice_changes_nothing():
    for spec in DEMO_USERS:
        UserFactory(email=spec.email, is_staff=spec.is_staff, timezone=spec.timezone)
    seed_catalog()
    seed_mentors()
    seed_sessions()
    seed_availability()
    rows = WeeklyHours.objects.count(), TimeOff.objects.count()
    seed_availability()
    assert (WeeklyHours.objects.count(), TimeOff.objects.count()) == rows
    verified = MentorProfile.objects.filter(status=MentorProfile.Status.VERIFIED).select_related("user")
    assert verified.exists()
    for profile in verified:
        assert profile.booking_notice_hours == NOTICE_HOURS
        assert WeeklyHours.objects.filter(profile=profile, weekday=0, start_time=time(9)).exists()
        assert TimeOff.objects.filter(profile=profile).count() == 1
    mentor = user_get_by_email(email=MENTOR)
    assert WeeklyHours.objects.filter(profile__user=mentor, weekday=5).exists()
    assert mentor_free_slots(profile=MentorProfile.objects.get(user=mentor), duration_minutes=60).starts
    assert not WeeklyHours.objects.filter(profile__status=MentorProfile.Status.PENDING).exists()
