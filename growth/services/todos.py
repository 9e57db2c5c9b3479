"""Todos: add, edit, tick, delete (DESIGN.md §2 "Todo"). Todos — unlike goals — may be deleted."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.validators import field_max_length
from growth.models import Goal, Todo

if TYPE_CHECKING:
    from accounts.models import User

TODO_EDITABLE_FIELDS = ("text", "due_date", "priority", "goal")


def _clean(*, user: User, fields: dict[str, Any]) -> dict[str, Any]:
    """Validate the given fields of a todo of ``user``; raises ``ValidationError`` by field."""
    errors: dict[str, str] = {}
    if "text" in fields:
        fields["text"] = (fields["text"] or "").strip()
        if not fields["text"]:
            errors["text"] = _("Write what there is to do.")
        elif len(fields["text"]) > field_max_length(Todo, "text"):
            errors["text"] = _("Keep it under 500 characters.")
    if "priority" in fields and fields["priority"] not in Todo.Priority.values:
        errors["priority"] = _("Choose low, medium or high.")
    goal = fields.get("goal")
    if goal is not None and (not isinstance(goal, Goal) or goal.user_id != user.pk):
        errors["goal"] = _("Choose one of your own goals.")
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def todo_create(
    *,
    user: User,
    text: str,
    due_date: date | None = None,
    priority: str = Todo.Priority.MEDIUM,
    goal: Goal | None = None,
) -> Todo:
    """Add a todo for ``user``. ``goal`` must be one of the user's own goals. Raises
    ``ValidationError`` (nothing saved) for an empty text, an unknown priority or another
    user's goal."""
    fields = _clean(user=user, fields={"text": text, "due_date": due_date, "priority": priority, "goal": goal})
    return Todo.objects.create(user=user, **fields)


@transaction.atomic
def todo_update(*, todo: Todo, **fields: Any) -> Todo:
    """Change any of :data:`TODO_EDITABLE_FIELDS` (others are refused with a ``TypeError``);
    validated like :func:`todo_create`. Saved through ``save()`` so the audit log records it."""
    unknown = set(fields) - set(TODO_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    cleaned = _clean(user=todo.user, fields=dict(fields))
    for name, value in cleaned.items():
        setattr(todo, name, value)
    todo.save()
    return todo


@transaction.atomic
def todo_set_done(*, todo: Todo, done: bool) -> Todo:
    """Tick (``done``) or untick a todo; idempotent (``done_at`` keeps the first tick)."""
    if todo.done == done:
        return todo
    todo.done = done
    todo.done_at = timezone.now() if done else None
    todo.save(update_fields=["done", "done_at", "updated_at"])
    return todo


@transaction.atomic
def todo_delete(*, todo: Todo) -> None:
    """Delete a todo (the audit log keeps the record of it)."""
    todo.delete()
