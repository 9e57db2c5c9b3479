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
    # The heavy user's history is whole at every size; the members' part scales.
    heavy_completions = HabitCompletion.objects.filter(user=heavy).count()
    assert heavy_completions > 16 * 365 * 3 * 0.8
    assert HabitCompletion.objects.exclude(user=heavy).count() == round(0.002 * (1_000_000 - heavy_completions))


def _seeded_at(factor: float) -> tuple[set[tuple[str, object]], list[str], int, int]:
    """Seed at ``factor`` inside a savepoint that is rolled back, and return the heavy
    user's completed (habit, period) pairs and reflection moods, and the other users'
    completions and reflections."""
    from django.db import transaction

    from growth.models import HabitCompletion, Reflection

    with transaction.atomic():
        call_command("seed_scale", factor=factor, verbosity=0)
        heavy = User.objects.get(email=HEAVY_EMAIL)
        history = set(HabitCompletion.objects.filter(user=heavy).values_list("habit__title", "period"))
        moods = list(Reflection.objects.filter(user=heavy).order_by("date").values_list("mood", flat=True))
        completions = HabitCompletion.objects.exclude(user=heavy).count()
        reflections = Reflection.objects.exclude(user=heavy).count()
        transaction.set_rollback(True)
    return history, moods, completions, reflections


def test_the_heavy_user_is_the_same_at_every_size_and_the_members_scale() -> None:
    """``make bench`` compares the two sizes: the heavy user's data must not differ between
    them (it is drawn apart from the rest), and the members' part is the factor's share of
    the full size without the heavy user's (which comes whole on top)."""
    small_history, small_moods, small_completions, small_reflections = _seeded_at(0.004)
    large_history, large_moods, large_completions, large_reflections = _seeded_at(0.04)
    assert small_history == large_history
    assert small_moods == large_moods
    assert len(small_moods) == 3 * 365
    heavy = len(small_history)
    assert (small_completions, large_completions) == (
        round(0.004 * (1_000_000 - heavy)),
        round(0.04 * (1_000_000 - heavy)),
    )
    assert (small_reflections, large_reflections) == (
        round(0.004 * (100_000 - 3 * 365)),
        round(0.04 * (100_000 - 3 * 365)),
    )
