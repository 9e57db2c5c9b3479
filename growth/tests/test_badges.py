"""Badges: every type and level rule, awarded once with one notification each, by the per-user
evaluation, the signals' receivers and the nightly set-based sweep."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from accounts.tests.records import audit_entries, notifications
from growth.models import Badge, Goal, Habit
from growth.services.badges import badges_award, badges_evaluate_for_user, badges_sweep
from growth.tests.factories import BadgeFactory, GoalFactory, HabitCompletionFactory, HabitFactory, ReflectionFactory
from learning.signals import course_completed
from learning.tests.factories import EnrollmentFactory
from mentorship.signals import mentor_verified, session_completed
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


def _held(user) -> set[tuple[str, int]]:
    return set(Badge.objects.filter(user=user).values_list("type", "level"))


def _notified(user) -> int:
    return notifications().filter(user=user, type="badge_earned").count()


@pytest.mark.parametrize(
    ("current", "longest", "levels"),
    [(6, 6, set()), (7, 7, {7}), (0, 14, {7, 14}), (30, 30, {7, 14, 30}), (3, 100, {7, 14, 30, 100})],
)
def test_streak_levels_from_current_or_longest(current, longest, levels) -> None:
    habit = HabitFactory(current_streak=current, longest_streak=longest)
    badges_evaluate_for_user(user_id=habit.user_id, now=NOW)
    # Any run at all is a first tick: the first-step badge comes with it.
    assert _held(habit.user) == {("first_step", 1)} | {("streak", level) for level in levels}
    assert _notified(habit.user) == len(levels) + 1


def _daily_with(done_days: int, user=None) -> Habit:
    habit = HabitFactory(goal__user=user or UserFactory(), start_period=TODAY - timedelta(days=60))
    for days_back in range(done_days):
        HabitCompletionFactory(habit=habit, period=TODAY - timedelta(days=days_back))
    return habit


def test_consistency_needs_24_of_the_last_30_days_in_the_users_zone() -> None:
    almost = _daily_with(23)
    HabitCompletionFactory(habit=almost, period=TODAY - timedelta(days=31))  # outside the window
    badges_evaluate_for_user(user_id=almost.user_id, now=NOW)
    assert ("consistency", 1) not in _held(almost.user)
    enough = _daily_with(24)
    badges_evaluate_for_user(user_id=enough.user_id, now=NOW)
    assert ("consistency", 1) in _held(enough.user)
    # 24 completions ending today in Honolulu too (02:00 there): the window is the user's.
    far = UserFactory(timezone="Pacific/Honolulu")
    _daily_with(24, user=far)
    badges_evaluate_for_user(user_id=far.pk, now=NOW)
    assert ("consistency", 1) in _held(far)


def test_the_sweep_takes_each_habits_window_from_its_owners_zone() -> None:
    """At 05:00 UTC it is still yesterday in Honolulu: its 30-day window starts a day
    earlier than London's. The same 24 completions, ending yesterday and starting 30 days
    ago, are all inside Honolulu's window but one is outside London's."""
    early = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)
    owners = {name: UserFactory(timezone=name) for name in ("Pacific/Honolulu", "Europe/London", "Asia/Kolkata")}
    for owner in owners.values():
        habit = HabitFactory(goal__user=owner, start_period=TODAY - timedelta(days=60))
        for days_back in range(1, 25):
            HabitCompletionFactory(habit=habit, period=TODAY - timedelta(days=days_back + 6))
    badges_sweep(now=early)
    assert ("consistency", 1) in _held(owners["Pacific/Honolulu"])
    assert ("consistency", 1) not in _held(owners["Europe/London"])
    assert ("consistency", 1) not in _held(owners["Asia/Kolkata"])


def test_consistency_of_a_weekly_habit_needs_4_of_the_last_5_weeks() -> None:
    habit = HabitFactory(frequency=Habit.Frequency.WEEKLY, start_period=TODAY - timedelta(days=70))
    monday = TODAY - timedelta(days=TODAY.weekday())
    for weeks_back in (0, 1, 2):
        HabitCompletionFactory(habit=habit, period=monday - timedelta(weeks=weeks_back))
    HabitCompletionFactory(habit=habit, period=monday - timedelta(weeks=5))  # too old
    badges_evaluate_for_user(user_id=habit.user_id, now=NOW)
    assert ("consistency", 1) not in _held(habit.user)
    HabitCompletionFactory(habit=habit, period=monday - timedelta(weeks=4))
    badges_evaluate_for_user(user_id=habit.user_id, now=NOW)
    assert ("consistency", 1) in _held(habit.user)


def test_reflection_7_and_30() -> None:
    user = UserFactory()
    for days_back in range(6):
        ReflectionFactory(user=user, date=TODAY - timedelta(days=days_back))
    badges_evaluate_for_user(user_id=user.pk, now=NOW)
    assert _held(user) == set()
    ReflectionFactory(user=user, date=TODAY - timedelta(days=6))
    badges_evaluate_for_user(user_id=user.pk, now=NOW)
    assert _held(user) == {("reflection", 7)}
    for days_back in range(7, 30):
        ReflectionFactory(user=user, date=TODAY - timedelta(days=days_back))
    badges_evaluate_for_user(user_id=user.pk, now=NOW)
    assert _held(user) == {("reflection", 7), ("reflection", 30)}


def test_identity_builder_on_the_first_completed_goal() -> None:
    goal = GoalFactory(status=Goal.Status.ACTIVE)
    badges_evaluate_for_user(user_id=goal.user_id, now=NOW)
    assert _held(goal.user) == set()
    goal.status = Goal.Status.COMPLETED
    goal.completed_at = NOW
    goal.save()
    badges_evaluate_for_user(user_id=goal.user_id, now=NOW)
    assert _held(goal.user) == {("identity_builder", 1)}


def test_milestone_on_the_first_course_completed_through_the_signal(django_capture_on_commit_callbacks) -> None:
    enrollment = EnrollmentFactory(status="completed", completed_at=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        course_completed.send(
            sender=type(enrollment),
            enrollment_id=enrollment.pk,
            user_id=enrollment.user_id,
            course_id=enrollment.course_id,
        )
    assert _held(enrollment.user) == {("milestone", 1)}


def test_session_completion_counts_either_party_through_the_signal(django_capture_on_commit_callbacks) -> None:
    mentor, mentee = MentorProfileFactory().user, UserFactory()
    badges_evaluate_for_user(user_id=mentor.pk, now=NOW)  # verified mentor
    for number in range(10):
        session = MentorshipSessionFactory(
            mentor=mentor,
            mentee=mentee if number == 0 else UserFactory(),
            status="COMPLETED",
            start_at=NOW - timedelta(days=number + 1),
        )
    with django_capture_on_commit_callbacks(execute=True):
        session_completed.send(sender=type(session), session_id=session.pk, mentor_id=mentor.pk, mentee_id=mentee.pk)
    assert _held(mentee) == {("session_completion", 1)}
    assert _held(mentor) == {("mentor_verified", 1), ("session_completion", 1), ("session_completion", 10)}


def test_mentor_verified_through_the_signal(django_capture_on_commit_callbacks) -> None:
    profile = MentorProfileFactory(status="pending", verified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        mentor_verified.send(sender=type(profile), mentor_profile_id=profile.pk, user_id=profile.user_id)
    assert _held(profile.user) == set()
    profile.status = "verified"
    profile.verified_at = NOW
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        mentor_verified.send(sender=type(profile), mentor_profile_id=profile.pk, user_id=profile.user_id)
    assert _held(profile.user) == {("mentor_verified", 1)}


def test_each_badge_once_with_one_notification() -> None:
    habit = HabitFactory(current_streak=7, longest_streak=7)
    BadgeFactory(user=habit.user, type=Badge.Type.REFLECTION, level=7)
    first = badges_evaluate_for_user(user_id=habit.user_id, now=NOW)
    again = badges_evaluate_for_user(user_id=habit.user_id, now=NOW)
    assert [(badge.type, badge.level) for badge in first] == [("first_step", 1), ("streak", 7)]
    assert again == []
    assert Badge.objects.filter(user=habit.user).count() == 3
    assert _notified(habit.user) == 2


def test_the_sweep_awards_everyone_in_a_constant_number_of_queries() -> None:
    def population(size: int) -> None:
        for _ in range(size):
            user = UserFactory()
            HabitFactory(goal__user=user, current_streak=14, longest_streak=14)
            GoalFactory(user=user, status=Goal.Status.COMPLETED, completed_at=NOW)

    population(2)
    with CaptureQueriesContext(connection) as few:
        assert len(badges_sweep(now=NOW)) == 8  # first step, streak 7 and 14, identity builder
    population(6)
    with CaptureQueriesContext(connection) as many:
        assert len(badges_sweep(now=NOW)) == 24
    # The candidates, the inserted rows and their notifications (with their audit entries and
    # e-mail task, in bulk): the same queries for 24 badges as for 8 (issue 20).
    assert len(many.captured_queries) == len(few.captured_queries)
    assert badges_sweep(now=NOW) == []
    assert notifications().filter(type="badge_earned").count() == 32
    assert audit_entries().filter(action_name="notification.created").count() == 32


def test_award_ignores_what_a_racing_evaluation_inserted_first() -> None:
    user = UserFactory()
    habit = HabitFactory(goal__user=user, current_streak=7, longest_streak=7)
    [_first_step, badge] = badges_evaluate_for_user(user_id=habit.user_id, now=NOW)
    # A second evaluation that computed its candidates before the first one committed
    # reaches the insert with a badge that now exists: it inserts and notifies nothing.
    from growth.services.badges import BadgeCandidate

    assert badges_award(candidates=[BadgeCandidate(user_id=user.pk, type="streak", level=7)], now=NOW) == []
    assert _notified(user) == 2
    assert Badge.objects.get(user=user, type="streak").pk == badge.pk


def test_the_nightly_sweep_awards_the_learning_and_mentorship_badges_whose_signals_were_lost():
    """Rows written without their signals (as if the task were lost): the sweep finds them."""
    learner, mentee, mentor = UserFactory(), UserFactory(), UserFactory()
    EnrollmentFactory(user=learner, status="completed")
    MentorProfileFactory(user=mentor)
    MentorshipSessionFactory(mentor=mentor, mentee=mentee, status="COMPLETED")
    MentorProfileFactory(status="pending")

    badges_sweep()

    held = set(Badge.objects.values_list("user_id", "type", "level"))
    assert (learner.pk, Badge.Type.MILESTONE, 1) in held
    assert (mentee.pk, Badge.Type.SESSION_COMPLETION, 1) in held
    assert (mentor.pk, Badge.Type.SESSION_COMPLETION, 1) in held
    assert (mentor.pk, Badge.Type.MENTOR_VERIFIED, 1) in held
    assert Badge.objects.filter(type=Badge.Type.MENTOR_VERIFIED).count() == 1
    assert badges_sweep() == []
