"""``manage.py seed_scale`` builds a consistent data set (at a small factor here; ``make
bench`` builds the full one): every part present in the right proportions, the services'
invariants hold, and a second run is refused."""

import itertools

import pytest
from django.core.management import CommandError, call_command

from accounts.demo.scale import HEAVY_EMAIL, NEWCOMER_EMAIL
from accounts.models import User
from learning.models import Course, Enrollment, Lesson
from mentorship.models import MentorProfile, MentorshipSession

pytestmark = pytest.mark.django_db

FACTOR = 0.05


def test_a_small_scale_data_set_is_built_in_proportion_and_only_once() -> None:
    call_command("seed_scale", factor=FACTOR, verbosity=0)
    assert User.objects.filter(email__in=[HEAVY_EMAIL, NEWCOMER_EMAIL]).count() == 2
    assert User.objects.count() >= 500
    assert Course.objects.filter(published=True).count() == 10
    assert Lesson.objects.count() == 10 * 12
    assert Enrollment.objects.count() == 2_500
    assert MentorProfile.objects.filter(status=MentorProfile.Status.VERIFIED).count() == 50
    assert MentorshipSession.objects.count() == 1_000
    # Booked hour after hour: no two pending or confirmed sessions overlap.
    active = list(MentorshipSession.objects.filter(status__in=["PENDING", "CONFIRMED"]).order_by("start_at"))
    assert all(a.end_at <= b.start_at for a, b in itertools.pairwise(active))
    with pytest.raises(CommandError):
        call_command("seed_scale", factor=FACTOR, verbosity=0)


def test_the_habit_engine_agrees_with_the_seeded_streaks() -> None:
    """The seeder computes run lengths and summaries itself (fast); the engine's own bulk
    path recomputes a sample and changes nothing."""
    from growth.models import Habit, HabitCompletion
    from growth.streaks import ENGINE_FIELDS, habit_engine_recompute

    call_command("seed_scale", factor=0.002, verbosity=0)
    heavy = User.objects.get(email=HEAVY_EMAIL)
    assert Habit.objects.filter(user=heavy).count() == 20
    sample = [*Habit.objects.filter(user=heavy)[:4], *Habit.objects.exclude(user=heavy).order_by("?")[:6]]
    for habit in sample:
        today = habit.seen_through
        fields = [name for name in ENGINE_FIELDS if name != "updated_at"]
        stored = {name: getattr(habit, name) for name in fields}
        runs = list(HabitCompletion.objects.filter(habit=habit).order_by("period").values_list("run_length", flat=True))
        habit_engine_recompute(habit=habit, today=today)
        habit.refresh_from_db()
        assert {name: getattr(habit, name) for name in fields} == stored
        assert (
            list(HabitCompletion.objects.filter(habit=habit).order_by("period").values_list("run_length", flat=True))
            == runs
        )
    assert HabitCompletion.objects.count() == 2_000
