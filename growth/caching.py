"""Versions of each person's cached habit list (see core/api/caching.py).

A habit list shows the person's own habits and those of the goals they mentor, with each
habit's goal: it changes when one of those habits (every completion, undo, pause and
resume saves its habit) or goals changes. Receivers bump the owner's and the goal's
mentor's versions — and, when a goal changes mentor, the former mentor's, who must stop
seeing its habits at once.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save

from core.api.caching import list_cache_bump
from growth.models import Goal, Habit


def habit_list_cache_namespace(*, user_id: Any) -> str:
    return f"habits:{user_id}"


def _bump(*user_ids: Any) -> None:
    for user_id in {user_id for user_id in user_ids if user_id is not None}:
        list_cache_bump(habit_list_cache_namespace(user_id=user_id))


def _habit_changed(sender: type[Habit], instance: Habit, **kwargs: Any) -> None:
    mentor_id = Goal.objects.filter(pk=instance.goal_id).values_list("mentor_id", flat=True).first()
    _bump(instance.user_id, mentor_id)


def _goal_saving(sender: type[Goal], instance: Goal, **kwargs: Any) -> None:
    if instance.pk is not None:
        instance._mentor_before = Goal.objects.filter(pk=instance.pk).values_list("mentor_id", flat=True).first()


def _goal_changed(sender: type[Goal], instance: Goal, **kwargs: Any) -> None:
    _bump(instance.user_id, instance.mentor_id, getattr(instance, "_mentor_before", None))


def connect() -> None:
    """Called from ``GrowthConfig.ready()``."""
    post_save.connect(_habit_changed, sender=Habit, dispatch_uid="growth.caching.habit.save")
    post_delete.connect(_habit_changed, sender=Habit, dispatch_uid="growth.caching.habit.delete")
    pre_save.connect(_goal_saving, sender=Goal, dispatch_uid="growth.caching.goal.pre_save")
    post_save.connect(_goal_changed, sender=Goal, dispatch_uid="growth.caching.goal.save")
    post_delete.connect(_goal_changed, sender=Goal, dispatch_uid="growth.caching.goal.delete")
