"""Reads of identity goals. A goal is visible to its owner and to its mentor; anyone else
gets None (a 404 in pages and the API).

A goal's progress (:func:`goal_progress_map`, the one rule) is how close its habits are to
four steady weeks: each habit that is not paused scores the share of its last four weeks'
check-ins it kept — 28 for a daily habit (one a day), 4 for a weekly one (one an ISO week),
whatever the habit's age, less the periods of a closed pause — and the goal is the mean of
its habits' shares, in whole per cent rounded half up (0 without any such habit). One tick
of a new daily habit is therefore 4 %, not 100 %; a goal reaches 100 % once every live habit
was kept every day (or week) of the last four. A completed habit keeps the score of its last
four counted weeks. The four weeks end at the habit's today in the owner's time zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Q, QuerySet

from accounts.selectors.users import user_queryset
from growth.models import Goal, Habit, HabitCompletion, HabitPause
from growth.streaks import habit_today, period_count, period_step
from mentorship.selectors.sessions import mentor_ids_working_with

if TYPE_CHECKING:
    from accounts.models import User


def _goals() -> QuerySet[Goal]:
    return Goal.objects.select_related("user", "mentor")


def goal_list_for_user(*, user: User, status: str | None = None) -> QuerySet[Goal]:
    """The user's own goals, newest first (one query)."""
    goals = _goals().filter(user_id=user.pk)
    if status:
        goals = goals.filter(status=status)
    return goals.order_by("-created_at")


def goal_list_visible(*, user: User) -> QuerySet[Goal]:
    """The goals ``user`` may read: their own and those they are the mentor of (one query)."""
    return _goals().filter(Q(user_id=user.pk) | Q(mentor_id=user.pk)).order_by("-created_at")


def goal_list_pending_for_mentor(*, user: User) -> QuerySet[Goal]:
    """The mentor's approval queue: goals waiting for ``user``'s approval, oldest request
    first (one query)."""
    return _goals().filter(mentor_id=user.pk, status=Goal.Status.PENDING_APPROVAL).order_by("submitted_at")


def goal_get_visible(*, user: User, goal_id: Any) -> Goal | None:
    """A goal ``user`` owns or mentors; None otherwise (also for a malformed id)."""
    try:
        return goal_list_visible(user=user).filter(pk=goal_id).first()
    except (ValueError, TypeError):
        return None


def goal_get_for_owner(*, user: User, goal_id: Any) -> Goal | None:
    """One of the user's own goals; None otherwise."""
    try:
        return goal_list_for_user(user=user).filter(pk=goal_id).first()
    except (ValueError, TypeError):
        return None


#: The window of a goal's progress, in weeks.
PROGRESS_WEEKS = 4


def progress_periods(frequency: str) -> int:
    """How many check-ins the progress window expects of a habit: 28 daily, 4 weekly."""
    return PROGRESS_WEEKS * (1 if frequency == Habit.Frequency.WEEKLY else 7)


def goal_progress_map(*, goals: Iterable[Goal], now: Any = None) -> dict[Any, int]:
    """The progress of each of ``goals`` (loaded with their owner) by goal id, as of ``now``
    (see the module's docstring for the rule). Three queries at most whatever the number of
    goals and the length of the histories: the habits, their completions of the window and
    the closed pauses of the habits that had one."""
    owners = {goal.pk: goal.user for goal in goals}
    progress: dict[Any, int] = dict.fromkeys(owners, 0)
    if not owners:
        return progress
    habits = list(
        Habit.objects.filter(goal_id__in=owners)
        .exclude(status=Habit.Status.PAUSED)
        .only("goal_id", "frequency", "seen_through", "counted_through", "paused_periods")
    )
    if not habits:
        return progress
    windows: dict[Any, tuple[date, date]] = {}
    for habit in habits:
        end = habit.counted_through or habit_today(habit=habit, user=owners[habit.goal_id], now=now)
        windows[habit.pk] = (end - period_step(habit.frequency) * (progress_periods(habit.frequency) - 1), end)
    earliest = min(first for first, _end in windows.values())
    # Counted in the database, one count per distinct window (a handful: the frequencies and
    # ends), so a goal's habits cost a row each, not a row per completion of the window.
    distinct = {window: index for index, window in enumerate(sorted(set(windows.values())))}
    kept: dict[Any, int] = dict.fromkeys(windows, 0)
    counts = (
        HabitCompletion.objects.filter(habit_id__in=windows, period__gte=earliest)
        .values("habit_id")
        .annotate(**{f"in_{index}": Count("pk", filter=Q(period__range=window)) for window, index in distinct.items()})
        .values_list("habit_id", *(f"in_{index}" for index in distinct.values()))
        .order_by()
    )
    for habit_id, *in_windows in counts:
        kept[habit_id] = in_windows[distinct[windows[habit_id]]]
    paused: dict[Any, int] = dict.fromkeys(windows, 0)
    steps = {habit.pk: habit.frequency for habit in habits}
    with_pauses = [habit.pk for habit in habits if habit.paused_periods]
    if with_pauses:
        pauses = HabitPause.objects.filter(habit_id__in=with_pauses, ended_on__isnull=False, ended_on__gt=earliest)
        for habit_id, started_on, ended_on in pauses.values_list("habit_id", "started_on", "ended_on"):
            first, end = windows[habit_id]
            step = period_step(steps[habit_id])
            paused[habit_id] += period_count(
                frequency=steps[habit_id], first=max(started_on, first), last=min(cast(date, ended_on) - step, end)
            )
    shares: dict[Any, list[Fraction]] = {}
    for habit in habits:
        expected = progress_periods(habit.frequency) - paused[habit.pk]
        if expected > 0:
            shares.setdefault(habit.goal_id, []).append(Fraction(min(kept[habit.pk], expected), expected))
    for goal_id, values in shares.items():
        mean = sum(values, Fraction(0)) / len(values) * 100
        progress[goal_id] = int(mean + Fraction(1, 2))  # half up (mean ≥ 0)
    return progress


def goals_with_progress(*, goals: Iterable[Goal], now: Any = None) -> list[Goal]:
    """``goals`` (loaded with their owner) as a list whose ``progress`` is today's (see
    :func:`goal_progress_map`), for pages and the API: the stored column is the same rule's
    cache for ordering, admin and the export, refreshed on every habit write and nightly, but
    the window moves with the owner's today."""
    goals = list(goals)
    progress = goal_progress_map(goals=goals, now=now)
    for goal in goals:
        goal.progress = progress[goal.pk]
    return goals


def goal_mentor_choices(*, user: User) -> QuerySet[User]:
    """The mentors ``user`` may ask to approve a goal — those they work with (a confirmed or
    completed session) — by name, for the goal form."""
    return (
        user_queryset()
        .filter(pk__in=mentor_ids_working_with(user=user), is_active=True)
        .order_by("first_name", "last_name", "email")
    )


def goal_actions_allowed(*, goal: Goal, user: User) -> list[str]:
    """The workflow actions ``user`` may take on ``goal`` now (for buttons and the API): the
    owner submits (with a mentor) or activates a draft, withdraws a goal waiting for
    approval, completes an active goal, archives any goal not archived and restores an
    archived one; the goal's mentor approves or declines a goal waiting for them."""
    actions: list[str] = []
    if goal.user_id == user.pk:
        if goal.status == Goal.Status.DRAFT:
            actions.append("submit" if goal.mentor_id else "activate")
        if goal.status == Goal.Status.PENDING_APPROVAL:
            actions.append("withdraw")
        if goal.status == Goal.Status.ACTIVE:
            actions.append("complete")
        actions.append("restore" if goal.status == Goal.Status.ARCHIVED else "archive")
    elif goal.mentor_id == user.pk and goal.status == Goal.Status.PENDING_APPROVAL:
        actions.extend(["approve", "decline"])
    return actions
