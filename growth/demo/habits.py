"""Demo data of growth's first half (seeder order 80, after the mentorship sessions at 75):
the demo learner's goals in every status — two active ones with a year of habit history
(daily and weekly habits, streaks, gaps, a closed pause and a habit paused now), a draft, one
waiting for the demo mentor's approval, one the mentor sent back with a reason, a completed
and an archived one (to restore).

Goals go through the services (workflow, notifications); the history is written in bulk and
the streak engine's bulk path recomputes each habit. Idempotent: the learner's goals are
seeded once."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from accounts.selectors.users import user_get_by_email
from growth.localtime import local_today, monday_of
from growth.models import Goal, Habit, HabitCompletion, HabitPause
from growth.services.goals import (
    goal_activate,
    goal_archive,
    goal_complete,
    goal_create,
    goal_decline,
    goal_progress_refresh,
    goal_submit,
)
from growth.services.habits import habit_create, habit_finish, habit_pause
from growth.streaks import habit_engine_recompute
from mentorship.selectors.sessions import mentor_works_with

if TYPE_CHECKING:
    from accounts.models import User

LEARNER = "learner@ascend.example"
MENTOR = "mentor@ascend.example"
DAYS = 365
# (title, frequency, cue time, cue place, reward, chance after a done period, after a miss)
HABITS = (
    ("Open the project and touch one loop", "daily", "after breakfast", "at my desk", "a fresh coffee", 0.9, 0.6),
    ("Listen to one reference track", "daily", "on the bus", "headphones on", "a favourite song", 0.8, 0.5),
    ("Write one line of lyrics", "daily", "before bed", "notebook by the bed", "tick it off", 0.75, 0.45),
    ("Share one snippet with a friend", "weekly", "Friday evening", "the group chat", "their reaction", 0.85, 0.6),
)
MOVE_HABITS = (("Two push-ups", "daily", "after brushing teeth", "bathroom floor", "a glass of water", 0.85, 0.5),)
NOTES = ("Felt easy today.", "Only two minutes, but it counts.", "Turned into half an hour!", "Tired, did it anyway.")
# The closed pause of the lyrics habit: a holiday, these days ago.
PAUSE_FROM, PAUSE_DAYS = 130, 14


def _history(rng: random.Random, habit: Habit, today: date, chances: tuple[float, float]) -> list[HabitCompletion]:
    """Streaky completions since the habit's first period (the last stretch done, so a
    streak is running), skipping its pauses."""
    step = 7 if habit.frequency == Habit.Frequency.WEEKLY else 1
    pauses = list(habit.pauses.values_list("started_on", "ended_on"))
    rows, done, period = [], True, habit.start_period
    while period <= today:
        paused = any(start <= period and (end is None or period < end) for start, end in pauses)
        recent = (today - period).days < 9 * step
        done = not paused and (recent or rng.random() < chances[0 if done else 1])
        if done and not (period == today and habit.frequency == Habit.Frequency.DAILY):
            notes = rng.choice(NOTES) if rng.random() < 0.08 else ""
            rows.append(HabitCompletion(habit=habit, user=habit.user, period=period, notes=notes))
        period += timedelta(days=step)
    return rows


def _habits_with_history(
    rng: random.Random, learner: User, goal: Goal, specs: tuple[tuple, ...], today: date
) -> list[Habit]:
    habits = []
    for title, frequency, cue_time, cue_place, reward, after_done, after_miss in specs:
        habit = habit_create(
            user=learner,
            goal=goal,
            title=title,
            frequency=frequency,
            duration_minutes=2,
            cue_time=cue_time,
            cue_place=cue_place,
            reward=reward,
        )
        start = today - timedelta(days=DAYS - 1)
        habit.start_period = habit.seen_through = monday_of(start) if frequency == "weekly" else start
        habit.save(update_fields=["start_period", "seen_through", "updated_at"])
        if title.startswith("Write one line"):
            started = today - timedelta(days=PAUSE_FROM)
            HabitPause.objects.create(habit=habit, started_on=started, ended_on=started + timedelta(days=PAUSE_DAYS))
        HabitCompletion.objects.bulk_create(_history(rng, habit, today, (after_done, after_miss)), batch_size=1000)
        habit_engine_recompute(habit=habit, today=today if frequency == "daily" else monday_of(today))
        habits.append(habit)
    goal_progress_refresh(goal_id=goal.pk)
    return habits


def seed_habits() -> None:
    """Goals and a year of habits of the demo learner (see the module docstring)."""
    learner = user_get_by_email(email=LEARNER)
    if learner is None or Goal.objects.filter(user=learner).exists():
        return
    mentor = user_get_by_email(email=MENTOR)
    rng = random.Random(80)  # noqa: S311 — demo data, the same year every time
    today = local_today(learner)

    music = goal_create(
        user=learner,
        identity="I want to become a music producer who finishes tracks",
        title="Finish one track a month",
        category="Creativity",
        due_date=today + timedelta(days=180),
    )
    goal_activate(goal=music, user=learner)
    _habits_with_history(rng, learner, music, HABITS, today)

    move = goal_create(
        user=learner, identity="I want to become someone who moves every day", title="Move every day", category="Health"
    )
    goal_activate(goal=move, user=learner)
    for habit in _habits_with_history(rng, learner, move, MOVE_HABITS, today):
        habit_pause(habit=habit, user=learner)

    sleep = goal_create(
        user=learner,
        identity="I want to become someone who rests well",
        title="Sleep before midnight",
        category="Health",
    )
    goal_activate(goal=sleep, user=learner)
    habit_finish(habit=habit_create(user=learner, goal=sleep, title="Phone on the charger at 23:00"), user=learner)
    goal_complete(goal=sleep, user=learner)

    vlog = goal_create(
        user=learner, identity="I want to become a daily vlogger", title="Daily vlog", category="Creativity"
    )
    goal_archive(goal=vlog, user=learner)

    goal_create(
        user=learner,
        identity="I want to become a musician who can play the chords I hear",
        title="Learn piano basics",
        category="Learning",
    )

    if mentor is not None and mentor_works_with(mentor=mentor, mentee=learner):
        mix = goal_create(
            user=learner,
            identity="I want to become a producer whose mixes translate everywhere",
            title="Mix on three systems before release",
            category="Career",
            mentor=mentor,
        )
        goal_submit(goal=mix, user=learner)
        songs = goal_create(
            user=learner,
            identity="I want to become a songwriter who finishes a song every week",
            title="Write a song a week",
            category="Creativity",
            mentor=mentor,
        )
        goal_decline(
            goal=goal_submit(goal=songs, user=learner),
            user=mentor,
            reason="Beside your daily habits a whole song a week is a lot. Start with one verse a week, "
            "then send it again.",
        )
