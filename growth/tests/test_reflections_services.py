"""Reflections: one per user and local date, weekly only on Sundays, sharing with a mentor the
user works with, one feedback, insights after saving, Sunday-evening reminders by time zone."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from core.errors import ApplicationError
from growth.models import Goal, Reflection, ReminderSent
from growth.selectors.reflections import reflection_get_for_mentor, reflection_reminder_due_users
from growth.services.reflections import (
    reflection_feedback_give,
    reflection_reminders_send,
    reflection_save,
    reflection_share,
    reflection_unshare,
    reflection_update,
)
from growth.tests.factories import GoalFactory, HabitCompletionFactory, HabitFactory, ReflectionFactory
from mentorship.tests.factories import MentorshipSessionFactory

pytestmark = pytest.mark.django_db

SUNDAY = date(2026, 3, 15)
# 20:00 UTC on that Sunday: Sunday 21:00 in Berlin, Monday 07:00 in Sydney, Sunday 13:00 in Los Angeles.
SUNDAY_EVENING = datetime(2026, 3, 15, 20, 0, tzinfo=UTC)
DAILY = {"kind": "daily", "mood": "GOOD", "mood_score": 7, "text": "A calm day."}
WEEKLY = {"kind": "weekly", "mood": "GREAT", "mood_score": 9, "what_went_well": "Shipped.", "gratitude": ["tea", " "]}


def test_one_reflection_per_local_date_edited_not_duplicated(django_capture_on_commit_callbacks) -> None:
    user = UserFactory(timezone="Australia/Sydney")
    with django_capture_on_commit_callbacks(execute=True):
        first, created = reflection_save(user=user, now=SUNDAY_EVENING, **DAILY)
    assert created
    assert first.date == date(2026, 3, 16)
    with django_capture_on_commit_callbacks(execute=True):
        second, created = reflection_save(user=user, now=SUNDAY_EVENING, **{**DAILY, "mood_score": 4, "text": "Later."})
    assert not created
    assert second.pk == first.pk
    assert Reflection.objects.filter(user=user).count() == 1
    second.refresh_from_db()
    assert (second.mood_score, second.text) == (4, "Later.")
    assert second.ai_insights.startswith("Mood: average 4.0/10 over 1 day")


def test_weekly_only_on_a_sunday_and_needs_an_answer() -> None:
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        reflection_save(user=user, day=SUNDAY - timedelta(days=1), now=SUNDAY_EVENING, **WEEKLY)
    assert "written on a Sunday" in error.value.message_dict["kind"][0]
    with pytest.raises(ValidationError) as error:
        reflection_save(user=user, day=SUNDAY, now=SUNDAY_EVENING, kind="weekly", mood="GOOD", mood_score=6)
    assert "what_went_well" in error.value.message_dict
    reflection, _ = reflection_save(user=user, day=SUNDAY, now=SUNDAY_EVENING, **WEEKLY)
    assert reflection.kind == "weekly"
    assert reflection.gratitude == ["tea"]
    assert Reflection.objects.count() == 1


def test_bad_input_changes_nothing() -> None:
    user = UserFactory()
    reflection, _ = reflection_save(user=user, day=SUNDAY, now=SUNDAY_EVENING, **DAILY)
    for bad in ({"mood_score": 11}, {"mood": "MEH"}, {"goal": GoalFactory()}, {"kind": "weekly", "what_went_well": ""}):
        with pytest.raises(ValidationError):
            reflection_update(reflection=reflection, **bad)
    with pytest.raises(ValidationError):
        reflection_save(user=user, day=SUNDAY + timedelta(days=1), now=SUNDAY_EVENING, **DAILY)
    with pytest.raises(ValidationError):
        reflection_save(user=user, day=SUNDAY - timedelta(days=8), now=SUNDAY_EVENING, **DAILY)
    reflection.refresh_from_db()
    assert (reflection.mood_score, reflection.mood, reflection.goal_id, reflection.kind) == (7, "GOOD", None, "daily")


def test_share_only_with_a_mentor_the_user_works_with(django_capture_on_commit_callbacks) -> None:
    owner, stranger, goal_mentor = UserFactory(), UserFactory(), UserFactory()
    session = MentorshipSessionFactory(mentee=owner, status="CONFIRMED")
    GoalFactory(user=owner, mentor=goal_mentor)
    reflection = ReflectionFactory(user=owner)
    with pytest.raises(ValidationError) as error:
        reflection_share(reflection=reflection, mentor=stranger)
    assert "only with a mentor you work with" in error.value.message_dict["mentor"][0]
    reflection_share(reflection=reflection, mentor=goal_mentor)
    reflection_share(reflection=reflection, mentor=session.mentor)  # moves it: one mentor at a time
    reflection.refresh_from_db()
    assert reflection.shared_with == session.mentor
    assert reflection_get_for_mentor(mentor=goal_mentor, reflection_id=reflection.pk) is None
    assert notifications().filter(type="reflection_shared", user=session.mentor).count() == 1
    reflection_share(reflection=reflection, mentor=session.mentor)  # already shared: no second notice
    assert notifications().filter(type="reflection_shared", user=session.mentor).count() == 1


def test_an_archived_goals_mentor_is_not_one_to_share_with() -> None:
    owner, mentor = UserFactory(), UserFactory()
    GoalFactory(user=owner, mentor=mentor, status=Goal.Status.ARCHIVED)
    with pytest.raises(ValidationError):
        reflection_share(reflection=ReflectionFactory(user=owner), mentor=mentor)


def test_one_feedback_by_that_mentor_and_the_owner_is_notified() -> None:
    owner, mentor = UserFactory(), UserFactory()
    GoalFactory(user=owner, mentor=mentor)
    reflection = reflection_share(reflection=ReflectionFactory(user=owner), mentor=mentor)
    with pytest.raises(ValidationError):
        reflection_feedback_give(reflection=reflection, mentor=mentor, feedback="  ")
    reflection_feedback_give(reflection=reflection, mentor=mentor, feedback="Proud of you.")
    with pytest.raises(ApplicationError, match="already given"):
        reflection_feedback_give(reflection=reflection, mentor=mentor, feedback="Again")
    reflection.refresh_from_db()
    assert reflection.mentor_feedback == "Proud of you."
    assert notifications().filter(type="reflection_feedback", user=owner).count() == 1
    other = UserFactory()
    GoalFactory(user=owner, mentor=other)
    with pytest.raises(ApplicationError):  # feedback given: it stays with this mentor
        reflection_share(reflection=reflection, mentor=other)


def test_unshared_reflection_is_gone_for_the_mentor() -> None:
    owner, mentor = UserFactory(), UserFactory()
    GoalFactory(user=owner, mentor=mentor)
    reflection = reflection_share(reflection=ReflectionFactory(user=owner), mentor=mentor)
    assert reflection_get_for_mentor(mentor=mentor, reflection_id=reflection.pk) is not None
    reflection_unshare(reflection=reflection)
    assert reflection_get_for_mentor(mentor=mentor, reflection_id=reflection.pk) is None
    with pytest.raises(ApplicationError):
        reflection_feedback_give(reflection=reflection, mentor=mentor, feedback="Late")


def test_insights_use_the_last_14_days_habits_and_moods(django_capture_on_commit_callbacks) -> None:
    user = UserFactory()
    habit = HabitFactory(goal__user=user, title="Read", start_period=SUNDAY - timedelta(days=30))
    for days_back in range(10):
        HabitCompletionFactory(habit=habit, period=SUNDAY - timedelta(days=days_back))
    HabitCompletionFactory(habit=habit, period=SUNDAY - timedelta(days=20))  # outside the window
    ReflectionFactory(user=user, date=SUNDAY - timedelta(days=10), mood_score=3)
    with django_capture_on_commit_callbacks(execute=True):
        reflection, _ = reflection_save(user=user, day=SUNDAY, now=SUNDAY_EVENING, **{**DAILY, "mood_score": 8})
    reflection.refresh_from_db()
    assert "Mood: average 5.5/10 over 2 days with a reflection. Trend: rising (+5.0" in reflection.ai_insights
    assert "- Read: 10 of 14 days (71%)" in reflection.ai_insights
    assert reflection.insights_generated_at is not None


def test_reminder_due_by_local_time_zone_and_sent_once() -> None:
    berlin = UserFactory(timezone="Europe/Berlin")  # Sunday 21:00: due
    sydney = UserFactory(timezone="Australia/Sydney")  # Monday 07:00: the Sunday is over
    los_angeles = UserFactory(timezone="America/Los_Angeles")  # Sunday 13:00: not yet
    written = UserFactory(timezone="Europe/Berlin")
    ReflectionFactory(user=written, date=SUNDAY, kind=Reflection.Kind.WEEKLY)
    daily_only = UserFactory(timezone="Europe/Paris")  # a daily reflection does not count
    ReflectionFactory(user=daily_only, date=SUNDAY)
    UserFactory(timezone="Europe/Berlin", is_active=False)
    due = {user.pk: user.sunday for user in reflection_reminder_due_users(now=SUNDAY_EVENING)}
    assert due == {berlin.pk: SUNDAY, daily_only.pk: SUNDAY}
    assert sydney.pk not in due
    assert los_angeles.pk not in due
    assert reflection_reminders_send(now=SUNDAY_EVENING) == 2
    assert reflection_reminders_send(now=SUNDAY_EVENING + timedelta(minutes=15)) == 0
    assert notifications().filter(type="reflection_reminder", user=berlin).count() == 1
    assert ReminderSent.objects.filter(kind="reflection", local_date=SUNDAY).count() == 2
    later = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)  # Sunday 19:00 in Los Angeles
    assert reflection_reminders_send(now=later) == 1
    assert notifications().filter(type="reflection_reminder", user=los_angeles).count() == 1
