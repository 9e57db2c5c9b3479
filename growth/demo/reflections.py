"""Demo data of growth's second half (seeder order 85, after goals and habits at 80): a year
of the demo learner's reflections (moods that vary, weekly ones on Sundays, the latest few
shared with the demo mentor, one answered), a handful of todos, and badges awarded by
running the real sweep and evaluations. Idempotent: running it again adds nothing."""

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.selectors.users import user_get_by_email
from growth.localtime import local_today
from growth.models import Reflection, Todo
from growth.selectors.reflections import SUNDAY, reflection_mentor_ids
from growth.services.badges import badges_evaluate_for_user, badges_sweep
from growth.services.insights import reflection_insights_generate
from growth.services.reflections import reflection_feedback_give, reflection_share
from growth.services.todos import todo_create, todo_set_done

if TYPE_CHECKING:
    from accounts.models import User

LEARNER = "learner@ascend.example"
MENTOR = "mentor@ascend.example"
DAYS = 365
SHARED_WEEKLIES = 3
INSIGHT_DAYS = 30
MOODS = ((9, "GREAT"), (7, "GOOD"), (5, "NEUTRAL"), (3, "BAD"), (1, "AWFUL"))
DAILY_TEXTS = (
    "Finished a beat sketch before work.",
    "Tired, but I opened the project and touched one loop.",
    "Good session: mixed the drums properly for once.",
    "Skipped practice, felt scattered all day.",
    "Listened back to last month's tracks — real progress.",
    "Two minutes turned into forty. Flow.",
)
WEEKLY = (
    ("Kept the two-minute rule on busy days.", "Finishing anything felt heavy.", "Start smaller than I think."),
    ("Sent a track to a friend for feedback.", "Comparing myself to others.", "Feedback beats perfection."),
    ("Morning routine held all week.", "Late nights broke the streak once.", "Sleep is part of practice."),
)
GRATITUDE = (["coffee with Sam", "a quiet evening"], ["new headphones"], ["Marcus's advice", "sunny walk", "my sister"])
TODOS = (
    ("Export the lo-fi demo as WAV", 0, "high", False),
    ("Email Marcus the session questions", 1, "medium", False),
    ("Back up the sample library", -2, "low", False),
    ("Sign up for the mixing workshop", -5, "medium", True),
    ("Tidy the desk cables", None, "low", False),
)


def _mood(rng: random.Random, day: date, start: date) -> tuple[int, str]:
    """A mood that drifts upward over the year with good and bad days around it."""
    trend = 4 + 3 * (day - start).days / DAYS
    score = max(1, min(10, round(trend + rng.gauss(0, 1.6))))
    label = next(name for floor, name in MOODS if score >= floor)
    return score, label


def _reflections(learner: "User", today: date) -> list[Reflection]:
    rng = random.Random(2026)  # noqa: S311 — demo data, the same year every time
    start = today - timedelta(days=DAYS - 1)
    rows = []
    for offset in range(DAYS):
        day = start + timedelta(days=offset)
        sunday = day.weekday() == SUNDAY
        if not sunday and rng.random() < 0.45:  # a realistic habit: most days, not all
            continue
        score, mood = _mood(rng, day, start)
        row = Reflection(user=learner, date=day, mood=mood, mood_score=score, text=rng.choice(DAILY_TEXTS))
        if sunday:
            went_well, felt_hard, insights = rng.choice(WEEKLY)
            row.kind = Reflection.Kind.WEEKLY
            row.what_went_well, row.what_felt_hard, row.insights = went_well, felt_hard, insights
            row.gratitude = rng.choice(GRATITUDE)
        rows.append(row)
    return rows


def seed_reflections() -> None:
    """Reflections, todos and badges of the demo learner (see the module docstring)."""
    learner = user_get_by_email(email=LEARNER)
    mentor = user_get_by_email(email=MENTOR)
    if learner is None:
        return
    today = local_today(learner)
    if not Reflection.objects.filter(user=learner).exists():
        Reflection.objects.bulk_create(_reflections(learner, today), ignore_conflicts=True)
        recent = Reflection.objects.filter(user=learner, date__gt=today - timedelta(days=INSIGHT_DAYS))
        for reflection_id in recent.values_list("pk", flat=True):
            reflection_insights_generate(reflection_id=reflection_id)
        if mentor is not None and mentor.pk in reflection_mentor_ids(user=learner):
            weeklies = Reflection.objects.filter(user=learner, kind=Reflection.Kind.WEEKLY).order_by("-date")
            for number, reflection in enumerate(weeklies[:SHARED_WEEKLIES]):
                reflection_share(reflection=reflection, mentor=mentor)
                if number == SHARED_WEEKLIES - 1:
                    reflection_feedback_give(
                        reflection=reflection,
                        mentor=mentor,
                        feedback="Love the honesty here. Next week, pick one tiny finishing ritual.",
                    )
    if not Todo.objects.filter(user=learner).exists():
        for text, due_in, priority, done in TODOS:
            due = today + timedelta(days=due_in) if due_in is not None else None
            todo = todo_create(user=learner, text=text, due_date=due, priority=priority)
            if done:
                todo_set_done(todo=todo, done=True)
    badges_sweep(now=timezone.now())
    for user in (learner, mentor):
        if user is not None:
            badges_evaluate_for_user(user_id=user.pk)
