"""Property-based test of the badge rules: for random populations (time zones, daily and
weekly habits with their streaks and recent completions, reflections, goals, courses,
mentorship sessions on either side, mentor profiles) and random badges already held, the
badges the per-user evaluation and the nightly sweep award — rules compared with the
badges held in the database (issue 20) — are exactly those of the rules' plain
definition, computed here row by row in Python, minus the ones held; a second sweep
awards nothing."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tests.factories import UserFactory
from growth.localtime import local_today, monday_of
from growth.models import Badge, Goal, Habit, HabitCompletion, Reflection
from growth.services.badges import badges_evaluate_for_user, badges_sweep
from growth.tests.factories import (
    BadgeFactory,
    GoalFactory,
    HabitCompletionFactory,
    HabitFactory,
    ReflectionFactory,
)
from learning.tests.factories import EnrollmentFactory
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 3, 15, tzinfo=UTC)  # a Sunday: the weekly window's edge is near
ZONES = ["UTC", "Pacific/Honolulu", "Asia/Kolkata", "Pacific/Kiritimati", "America/New_York", "Not/AZone"]
STREAKS = [0, 1, 6, 7, 13, 14, 29, 30, 99, 100, 130]
KINDS = [
    ("first_step", 1),
    *(("streak", level) for level in (7, 14, 30, 100)),
    ("consistency", 1),
    ("reflection", 7),
    ("reflection", 30),
    ("identity_builder", 1),
    ("milestone", 1),
    *(("session_completion", level) for level in (1, 10, 25)),
    ("mentor_verified", 1),
]

habits = st.lists(
    st.tuples(
        st.booleans(),  # weekly
        st.sampled_from(STREAKS),  # current streak
        st.sampled_from(STREAKS),  # longest streak
        st.sets(st.integers(min_value=0, max_value=40), max_size=32),  # days (weeks) back done
    ),
    max_size=3,
)
people = st.lists(
    st.fixed_dictionaries(
        {
            "zone": st.sampled_from(ZONES),
            "habits": habits,
            "reflections": st.sampled_from([0, 6, 7, 29, 30, 31]),
            "goals": st.lists(st.booleans(), max_size=2),  # completed or not
            "course": st.sampled_from([None, "completed", "in_progress"]),
            "mentor": st.sampled_from([None, "verified", "pending"]),
            "held": st.sets(st.sampled_from(KINDS), max_size=4),
        }
    ),
    min_size=2,
    max_size=5,
)
# (mentor index, mentee index, completed sessions, other sessions): counts near the levels.
sessions = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=4),
        st.integers(min_value=0, max_value=4),
        st.sampled_from([1, 9, 10, 24, 25]),
        st.sampled_from([0, 1]),
    ),
    min_size=1,
    max_size=4,
)


def _populate(spec: list[dict[str, Any]], pairs: list[tuple[int, int, int, int]], now: datetime) -> list[Any]:
    """The population's rows. Each user carries what learning and mentorship hold for them
    (``course_completed``, ``verified_mentor``, ``completed_sessions``): the oracle reads
    those from here, not from those apps' tables."""
    users = [UserFactory(timezone=person["zone"]) for person in spec]
    completions, reflections, held = [], [], []
    for user, person in zip(users, spec, strict=True):
        today = local_today(user, now)
        for weekly, current, longest, back in person["habits"]:
            habit = HabitFactory(
                goal__user=user,
                frequency=Habit.Frequency.WEEKLY if weekly else Habit.Frequency.DAILY,
                current_streak=current,
                longest_streak=max(current, longest),
                start_period=today - timedelta(days=400),
            )
            periods = {monday_of(today) - timedelta(weeks=n % 8) if weekly else today - timedelta(days=n) for n in back}
            completions += [HabitCompletionFactory.build(habit=habit, period=period) for period in periods]
        reflections += [
            ReflectionFactory.build(user=user, date=today - timedelta(days=n)) for n in range(person["reflections"])
        ]
        for number, completed in enumerate(person["goals"]):
            GoalFactory(
                user=user,
                status=Goal.Status.COMPLETED if completed else Goal.Status.ACTIVE,
                completed_at=now - timedelta(days=number) if completed else None,
            )
        if person["course"]:
            EnrollmentFactory(user=user, status=person["course"])
        if person["mentor"]:
            MentorProfileFactory(user=user, status=person["mentor"])
        user.course_completed = person["course"] == "completed"
        user.verified_mentor = person["mentor"] == "verified"
        user.completed_sessions = 0
        held += [BadgeFactory.build(user=user, type=kind, level=level) for kind, level in person["held"]]
    HabitCompletion.objects.bulk_create(completions)
    Reflection.objects.bulk_create(reflections)
    Badge.objects.bulk_create(held)
    start = now - timedelta(days=400)
    for mentor, mentee, done, other in pairs:
        if mentor % len(users) == mentee % len(users):
            continue
        mentor_user, mentee_user = users[mentor % len(users)], users[mentee % len(users)]
        mentor_user.completed_sessions += done
        mentee_user.completed_sessions += done
        for status, count in (("COMPLETED", done), ("NO_SHOW", other)):
            for _ in range(count):
                start += timedelta(hours=2)
                MentorshipSessionFactory(mentor=mentor_user, mentee=mentee_user, status=status, start_at=start)
    return users


def _plain_definition(users: list[Any], now: datetime) -> dict[tuple[Any, str, int], dict[str, Any]]:
    """Every badge each user qualifies for, with its metadata: the rules read row by row.
    (The other users — the courses' instructors — qualify for none.)"""
    due: dict[tuple[Any, str, int], dict[str, Any]] = {}

    def levels(user_id: Any, kind: str, reached: int, of: tuple[int, ...]) -> None:
        for level in of:
            if reached >= level:
                due[(user_id, kind, level)] = {"reached": reached}

    for user in users:
        own = list(Habit.objects.filter(user=user).order_by("created_at", "pk"))
        best = max((max(habit.current_streak, habit.longest_streak) for habit in own), default=0)
        if best >= 1:
            due[(user.pk, "first_step", 1)] = {}
            levels(user.pk, "streak", best, (7, 14, 30, 100))
        today = local_today(user, now)
        for habit in own:
            if habit.frequency == Habit.Frequency.DAILY:
                start, needed = today - timedelta(days=29), 24
            else:
                start, needed = monday_of(today) - timedelta(weeks=4), 4
            if HabitCompletion.objects.filter(habit=habit, period__gte=start).count() >= needed:
                due[(user.pk, "consistency", 1)] = {"habit_id": str(habit.pk)}
                break
        levels(user.pk, "reflection", Reflection.objects.filter(user=user).count(), (7, 30))
        goal = Goal.objects.filter(user=user, status=Goal.Status.COMPLETED).order_by("completed_at", "pk").first()
        if goal is not None:
            due[(user.pk, "identity_builder", 1)] = {"goal_id": str(goal.pk)}
        if user.course_completed:
            due[(user.pk, "milestone", 1)] = {}
        levels(user.pk, "session_completion", user.completed_sessions, (1, 10, 25))
        if user.verified_mentor:
            due[(user.pk, "mentor_verified", 1)] = {}
    return due


def _awarded(badges: list[Badge]) -> dict[tuple[Any, str, int], dict[str, Any]]:
    return {(badge.user_id, badge.type, badge.level): badge.metadata for badge in badges}


@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(spec=people, pairs=sessions, hour=st.integers(min_value=0, max_value=23))
def test_evaluation_and_sweep_award_what_the_plain_rules_give_minus_what_is_held(spec, pairs, hour) -> None:
    now = DAY + timedelta(hours=hour)
    with transaction.atomic():
        users = _populate(spec, pairs, now)
        held = set(Badge.objects.values_list("user_id", "type", "level"))
        due = {key: metadata for key, metadata in _plain_definition(users, now).items() if key not in held}
        first = users[0].pk
        assert _awarded(badges_evaluate_for_user(user_id=first, now=now)) == {
            key: metadata for key, metadata in due.items() if key[0] == first
        }
        assert _awarded(badges_sweep(now=now)) == {key: metadata for key, metadata in due.items() if key[0] != first}
        assert badges_sweep(now=now) == []
        transaction.set_rollback(True)


def test_the_sweep_awards_each_level_at_its_threshold_exactly_and_fills_gaps() -> None:
    """Counts at each level and one below it — streaks, reflections, sessions counted over
    both parties —, some held out of order (a higher level without a lower one)."""
    now = DAY + timedelta(hours=12)
    spec, pairs = [], []
    for streak, reflections in ((6, 6), (7, 7), (13, 29), (14, 30), (29, 0), (30, 0), (99, 0), (100, 0)):
        spec.append({**_EMPTY, "habits": [(False, streak, streak, set())], "reflections": reflections})
    # Sessions over both parties: person 8 has 1 (and holds level 10 only), 9 has 9, 10 has
    # 10, 11 has 25, 12 has 24 and 13 has 1.
    spec += [{**_EMPTY, "held": {("session_completion", 10)}}, *({**_EMPTY} for _ in range(5))]
    pairs += [(8, 9, 1, 0), (10, 9, 8, 1), (11, 10, 2, 0), (11, 12, 23, 0), (12, 13, 1, 0)]
    spec[3]["held"] = {("reflection", 30), ("streak", 14)}
    with transaction.atomic():
        users = _populate(spec, pairs, now)
        held = set(Badge.objects.values_list("user_id", "type", "level"))
        due = {key: metadata for key, metadata in _plain_definition(users, now).items() if key not in held}
        assert {key[1:] for key in due if key[0] == users[8].pk} == {("session_completion", 1)}
        assert [
            sorted(level for _user, kind, level in due if _user == user.pk and kind == "session_completion")
            for user in users[8:]
        ] == [[1], [1], [1, 10], [1, 10, 25], [1, 10], [1]]
        assert _awarded(badges_sweep(now=now)) == due
        assert badges_sweep(now=now) == []
        transaction.set_rollback(True)


_EMPTY: dict[str, Any] = {
    "zone": "UTC",
    "habits": [],
    "reflections": 0,
    "goals": [],
    "course": None,
    "mentor": None,
    "held": set(),
}
