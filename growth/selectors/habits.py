"""Reads of habits and completions: lists for the owner and for a goal's mentor, the
displayed streaks and rate (relative to the owner's today, never a stale column), a year
heatmap, and the users due a habit reminder."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Case, Count, DateField, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext
from django_stubs_ext import WithAnnotations

from accounts.selectors.users import user_queryset
from core.registry import AssistantItem
from core.search import query_words, text_match_score
from growth.habit_templates import HABIT_TEMPLATES
from growth.localtime import local_date_case, local_now_by_zone, monday_of, user_timezones
from growth.models import Goal, Habit, HabitCompletion, ReminderSent
from growth.streaks import habit_today, period_of, period_step, rate_current, streak_current

if TYPE_CHECKING:
    from accounts.models import User


def _habits() -> QuerySet[Habit]:
    # The owner is joined: the displayed streak needs the owner's time zone.
    return Habit.objects.select_related("goal", "user")


def habit_list_for_user(*, user: User, status: str | None = None, goal_id: Any = None) -> QuerySet[Habit]:
    """The user's own habits, oldest first (one query)."""
    habits = _habits().filter(user_id=user.pk)
    if status:
        habits = habits.filter(status=status)
    if goal_id:
        habits = habits.filter(goal_id=goal_id)
    return habits.order_by("created_at")


def habit_list_visible(*, user: User) -> QuerySet[Habit]:
    """The habits ``user`` may read: their own, and those of the goals they mentor (one
    query). A mentor reads a goal's habits, never the owner's other habits."""
    # goal_id IN (…) rather than a join: both sides of the OR then use an index.
    mentored = Goal.objects.filter(mentor_id=user.pk).values("pk")
    return _habits().filter(Q(user_id=user.pk) | Q(goal_id__in=mentored)).order_by("created_at")


def habit_get_visible(*, user: User, habit_id: Any) -> Habit | None:
    try:
        return habit_list_visible(user=user).filter(pk=habit_id).first()
    except (ValueError, TypeError):
        return None


def habit_get_for_owner(*, user: User, habit_id: Any) -> Habit | None:
    try:
        return habit_list_for_user(user=user).filter(pk=habit_id).first()
    except (ValueError, TypeError):
        return None


def habit_actions_allowed(*, habit: Habit, user: User) -> list[str]:
    """The actions ``user`` may take on ``habit`` now (for the page's buttons). Its owner
    edits and finishes it until it is completed, pauses it while active and resumes it
    while paused, and ticks days off (today, back-filled or undone) only while it is
    active; a completed habit takes none. Anybody else (its goal's mentor) takes none."""
    if habit.user_id != user.pk or habit.status == Habit.Status.COMPLETED:
        return []
    if habit.status == Habit.Status.ACTIVE:
        return ["edit", "pause", "finish", "tick"]
    return ["edit", "resume", "finish"]


@dataclass(frozen=True)
class HabitStats:
    current_streak: int
    longest_streak: int
    completion_rate: Decimal
    completed_count: int
    today: date


def habit_stats(*, habit: Habit, now: Any = None) -> HabitStats:
    """The habit's streaks and rate as of now in its owner's time zone (no query when the
    owner is loaded): the current streak decays when a period passes undone, whatever the
    stored column says."""
    today = habit_today(habit=habit, user=habit.user, now=now)
    return HabitStats(
        current_streak=streak_current(habit=habit, today=today),
        longest_streak=habit.longest_streak,
        completion_rate=rate_current(habit=habit, today=today),
        completed_count=habit.completed_count,
        today=today,
    )


@dataclass(frozen=True)
class HabitRow:
    """A habit as lists and the dashboard show it: its stats as of today and whether
    today's period is done."""

    habit: Habit
    stats: HabitStats
    done_today: bool


def habit_rows(*, habits: Iterable[Habit], now: Any = None) -> list[HabitRow]:
    """``habits`` (loaded with their owner) with their stats and today's state, in their
    order. One query (today's completions), whatever the histories' length."""
    stats = [(habit, habit_stats(habit=habit, now=now)) for habit in habits]
    done = set(
        HabitCompletion.objects.filter(
            habit_id__in=[habit.pk for habit, _ in stats], period__in={item.today for _, item in stats}
        ).values_list("habit_id", "period")
    )
    return [HabitRow(habit=habit, stats=item, done_today=(habit.pk, item.today) in done) for habit, item in stats]


def habit_list_today(*, user: User, now: Any = None) -> list[HabitRow]:
    """The user's active habits with whether today's period is done (two queries): what
    the dashboard ticks."""
    return habit_rows(habits=habit_list_for_user(user=user, status=Habit.Status.ACTIVE), now=now)


def habit_completion_list(*, habit: Habit) -> QuerySet[HabitCompletion]:
    """The habit's completions, latest period first (one query)."""
    return HabitCompletion.objects.filter(habit_id=habit.pk).select_related("evidence").order_by("-period")


@dataclass(frozen=True)
class HeatmapCell:
    period: date
    done: bool
    in_range: bool  # inside the habit's life (from its first period to today)
    run_length: int = 0  # the streak reached with this period (0 when not done)


@dataclass(frozen=True)
class Heatmap:
    """A year of periods, as columns of weeks (daily: 7 cells a column; weekly: 1)."""

    first: date
    last: date
    columns: list[list[HeatmapCell]]
    done_count: int
    period_count: int


def habit_heatmap(*, habit: Habit, weeks: int = 53, now: Any = None) -> Heatmap:
    """The last ``weeks`` ISO weeks of the habit ending with today's (one query: the
    completions of that year only, through the (habit, period) index)."""
    today = habit_today(habit=habit, user=habit.user, now=now)
    last_monday = period_of(frequency=Habit.Frequency.WEEKLY, day=today)
    first = last_monday - timedelta(weeks=weeks - 1)
    last = last_monday + timedelta(days=6) if habit.frequency == Habit.Frequency.DAILY else last_monday
    runs = dict(
        HabitCompletion.objects.filter(habit_id=habit.pk, period__gte=first, period__lte=last).values_list(
            "period", "run_length"
        )
    )
    step = period_step(habit.frequency)
    per_column = 7 if habit.frequency == Habit.Frequency.DAILY else 1
    columns: list[list[HeatmapCell]] = []
    period = first
    counted = 0
    for _week in range(weeks):
        column = []
        for _ in range(per_column):
            in_range = habit.start_period <= period <= today
            counted += in_range
            column.append(
                HeatmapCell(period=period, done=period in runs, in_range=in_range, run_length=runs.get(period, 0))
            )
            period += step
        columns.append(column)
    return Heatmap(first=first, last=last, columns=columns, done_count=len(runs), period_count=counted)


def habit_reminder_zones(*, now: datetime) -> dict[str, datetime]:
    """The time zones of active users with active habits, each with the local time at
    ``now``. One query (the distinct zones: few)."""
    owners = Habit.objects.filter(status=Habit.Status.ACTIVE, user__is_active=True).values("user_id")
    return local_now_by_zone(user_timezones(owners), now)


class HabitReminderDue(TypedDict):
    """What :func:`habit_reminder_due_users` annotates each user with."""

    local_date: date
    habits_due: int


def habit_reminder_due_users(*, now: datetime) -> QuerySet[WithAnnotations[User, HabitReminderDue]]:
    """Active users whose preferred reminder time (``User.reminder_time``, in their own zone)
    has passed today, with active habits whose current period is not done (the local date
    for daily habits, the local ISO week for weekly ones), not yet reminded today — each
    annotated ``local_date`` (their local date) and ``habits_due`` (how many habits wait).
    Two queries (the zones, then the users)."""
    zones = habit_reminder_zones(now=now)
    if not zones:
        return cast("QuerySet[WithAnnotations[User, HabitReminderDue]]", user_queryset().none())
    past_reminder_time = Q()
    for name, local in zones.items():
        past_reminder_time |= Q(timezone=name, reminder_time__lte=local.time())
    today = local_date_case("timezone", {name: local.date() for name, local in zones.items()})
    monday = local_date_case("timezone", {name: monday_of(local.date()) for name, local in zones.items()})
    period = Case(
        When(frequency=Habit.Frequency.WEEKLY, then=OuterRef("local_monday")),
        default=OuterRef("local_date"),
        output_field=DateField(),
    )
    done = HabitCompletion.objects.filter(habit_id=OuterRef("pk"), period=OuterRef("period"))
    due = (
        Habit.objects.filter(user_id=OuterRef("pk"), status=Habit.Status.ACTIVE)
        .annotate(period=period)
        .filter(~Exists(done))
        .order_by()
        .values("user_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    reminded = ReminderSent.objects.filter(
        user_id=OuterRef("pk"), kind=ReminderSent.Kind.HABIT, local_date=OuterRef("local_date")
    )
    users = (
        user_queryset()
        .filter(past_reminder_time, is_active=True)
        .annotate(local_date=today, local_monday=monday)
        .filter(~Exists(reminded))
        .annotate(habits_due=Coalesce(Subquery(due, output_field=IntegerField()), 0))
        .filter(habits_due__gt=0)
        .order_by("pk")
    )
    # The plugin cannot type these annotations (a Case, a Coalesce of a subquery): say what they are.
    return cast("QuerySet[WithAnnotations[User, HabitReminderDue]]", users)


def habit_template_assistant_items(*, query: str, limit: int) -> list[AssistantItem]:
    """At most ``limit`` ready-made two-minute habits (:data:`growth.habit_templates.HABIT_TEMPLATES`)
    whose title, identity, goal or area contain the words of ``query``, the best matching
    first; each links to its card on the "start a habit" page. No query."""
    words = query_words(query)
    if not words or limit <= 0:
        return []
    scored = [
        (
            text_match_score(
                words,
                title=f"{template.title} {template.goal_title}",
                other=f"{template.identity} {template.category} {template.cue_time}",
            ),
            index,
            template,
        )
        for index, template in enumerate(HABIT_TEMPLATES)
    ]
    best = sorted((entry for entry in scored if entry[0] > 0), key=lambda entry: (-entry[0], entry[1]))[:limit]
    start = reverse("growth:habit-start")
    return [
        AssistantItem(
            kind=gettext("Habit"),
            title=str(template.title),
            url=f"{start}#habit-{template.key}",
            summary=str(
                gettext("A two-minute habit %(cue)s, for the goal “%(goal)s”.")
                % {"cue": template.cue_time, "goal": template.goal_title}
            ),
        )
        for _score, _index, template in best
    ]
