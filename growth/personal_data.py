"""What growth exports and erases for "download my data" and "delete my account".

Registered from ``GrowthConfig.ready()``. Everything here is the user's own private
history: exported, then deleted. Goals a user mentors stay with their owners (the mentor
shows as "Deleted user" once accounts anonymises the identity).
"""

from typing import Any

from core.registry import PersonalDataHandler, personal_data
from growth.models import Badge, Goal, Habit, HabitCompletion, HabitPause, Reflection, ReminderSent, Todo
from growth.selectors.goals import goals_with_progress


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _export_goals(user: Any) -> list[dict[str, Any]]:
    """Goals › habits (with pauses) › completions, in four queries."""
    completions: dict[Any, list[dict[str, Any]]] = {}
    for completion in HabitCompletion.objects.filter(user=user).select_related("evidence").order_by("period"):
        completions.setdefault(completion.habit_id, []).append(
            {
                "period": completion.period.isoformat(),
                "completed_at": completion.completed_at.isoformat(),
                "notes": completion.notes,
                "evidence": completion.evidence.original_name if completion.evidence is not None else None,
            }
        )
    pauses: dict[Any, list[dict[str, Any]]] = {}
    for pause in HabitPause.objects.filter(habit__user=user).order_by("started_on"):
        pauses.setdefault(pause.habit_id, []).append(
            {"started_on": pause.started_on.isoformat(), "ended_on": _iso(pause.ended_on)}
        )
    habits: dict[Any, list[dict[str, Any]]] = {}
    for habit in Habit.objects.filter(user=user).order_by("created_at"):
        habits.setdefault(habit.goal_id, []).append(
            {
                "habit_id": str(habit.pk),
                "title": habit.title,
                "description": habit.description,
                "frequency": habit.frequency,
                "duration_minutes": habit.duration_minutes,
                "cue": {"time": habit.cue_time, "place": habit.cue_place, "context": habit.cue_context},
                "reward": habit.reward,
                "status": habit.status,
                "current_streak": habit.current_streak,
                "longest_streak": habit.longest_streak,
                "completion_rate": str(habit.completion_rate),
                "created_at": habit.created_at.isoformat(),
                "pauses": pauses.get(habit.pk, []),
                "completions": completions.get(habit.pk, []),
            }
        )
    return [
        {
            "goal_id": str(goal.pk),
            "identity": goal.identity,
            "title": goal.title,
            "description": goal.description,
            "category": goal.category,
            "due_date": _iso(goal.due_date),
            "status": goal.status,
            "progress": goal.progress,
            "decline_reason": goal.decline_reason,
            "declined_at": _iso(goal.declined_at),
            "mentor_approved": goal.mentor_approved,
            "mentor_approved_at": _iso(goal.mentor_approved_at),
            "created_at": goal.created_at.isoformat(),
            "completed_at": _iso(goal.completed_at),
            "archived_at": _iso(goal.archived_at),
            "habits": habits.get(goal.pk, []),
        }
        # Today's progress, as the pages and the API show it.
        for goal in goals_with_progress(
            goals=Goal.objects.filter(user=user).select_related("user").order_by("created_at")
        )
    ]


def _erase_goals(user: Any) -> None:
    """Completions, pauses, habits, then goals (habits protect their goal)."""
    HabitCompletion.objects.filter(user=user).delete()
    HabitPause.objects.filter(habit__user=user).delete()
    Habit.objects.filter(user=user).delete()
    Goal.objects.filter(user=user).delete()


def _export_reflections(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "date": reflection.date.isoformat(),
            "kind": reflection.kind,
            "goal_id": str(reflection.goal_id) if reflection.goal_id else None,
            "mood": reflection.mood,
            "mood_score": reflection.mood_score,
            "text": reflection.text,
            "what_went_well": reflection.what_went_well,
            "what_felt_hard": reflection.what_felt_hard,
            "insights": reflection.insights,
            "gratitude": reflection.gratitude,
            "shared_at": _iso(reflection.shared_at),
            "mentor_feedback": reflection.mentor_feedback,
            "mentor_feedback_at": _iso(reflection.mentor_feedback_at),
            "ai_insights": reflection.ai_insights,
            "ai_insights_engine": reflection.insights_engine,
            "ai_insights_model": reflection.insights_model,
        }
        for reflection in Reflection.objects.filter(user=user).order_by("date")
    ]


def _erase_reflections(user: Any) -> None:
    """The user's reflections are deleted; reflections others shared with them are not
    theirs: the link is dropped (the owner keeps the reflection and any feedback)."""
    Reflection.objects.filter(user=user).delete()
    for reflection in Reflection.objects.filter(shared_with=user):
        reflection.shared_with = None
        reflection.shared_at = None
        reflection.save(update_fields=["shared_with", "shared_at", "updated_at"])


def _export_todos(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "text": todo.text,
            "done": todo.done,
            "done_at": _iso(todo.done_at),
            "due_date": _iso(todo.due_date),
            "priority": todo.priority,
            "goal_id": str(todo.goal_id) if todo.goal_id else None,
            "created_at": todo.created_at.isoformat(),
        }
        for todo in Todo.objects.filter(user=user).order_by("created_at")
    ]


def _erase_todos(user: Any) -> None:
    Todo.objects.filter(user=user).delete()


def _export_badges(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "type": badge.type,
            "level": badge.level,
            "title": badge.title,
            "description": badge.description,
            "earned_at": badge.earned_at.isoformat(),
        }
        for badge in Badge.objects.filter(user=user).order_by("earned_at")
    ]


def _erase_badges(user: Any) -> None:
    Badge.objects.filter(user=user).delete()


def _export_reminders(user: Any) -> list[dict[str, Any]]:
    return [
        {"kind": reminder.kind, "local_date": reminder.local_date.isoformat()}
        for reminder in ReminderSent.objects.filter(user=user).order_by("local_date")
    ]


def _erase_reminders(user: Any) -> None:
    ReminderSent.objects.filter(user=user).delete()


def register() -> None:
    # Todos and reflections first: they point at goals (SET_NULL), which go next.
    personal_data.register(
        PersonalDataHandler("todos", ("growth.Todo",), export=_export_todos, erase=_erase_todos, order=400)
    )
    personal_data.register(
        PersonalDataHandler(
            "reflections",
            ("growth.Reflection",),
            export=_export_reflections,
            erase=_erase_reflections,
            order=400,
        )
    )
    # Before "files" (900): evidence images are the user's files, deleted there.
    personal_data.register(
        PersonalDataHandler(
            "goals_and_habits",
            ("growth.Goal", "growth.Habit", "growth.HabitCompletion"),
            export=_export_goals,
            erase=_erase_goals,
            order=450,
        )
    )
    personal_data.register(PersonalDataHandler("badges", ("growth.Badge",), export=_export_badges, erase=_erase_badges))
    personal_data.register(
        PersonalDataHandler(
            "reminders_sent", ("growth.ReminderSent",), export=_export_reminders, erase=_erase_reminders
        )
    )
