"""Reads of todos: the user's own only (another user's todo is ``None`` here, a 404 above)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import django_filters
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from growth.models import Goal, Todo

if TYPE_CHECKING:
    from accounts.models import User

PRIORITY_RANK = Case(
    When(priority=Todo.Priority.HIGH, then=Value(0)),
    When(priority=Todo.Priority.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class TodoFilter(django_filters.FilterSet):
    """``done`` (true/false), ``goal`` (a goal id), ``priority``, ``due_before`` /
    ``due_after`` (inclusive dates)."""

    done = django_filters.BooleanFilter(label=_("Done"))
    goal = django_filters.UUIDFilter(field_name="goal_id", label=_("Goal"))
    priority = django_filters.ChoiceFilter(choices=Todo.Priority.choices, label=_("Priority"))
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("Due on or before"))
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("Due on or after"))

    class Meta:
        model = Todo
        fields = ["done", "goal", "priority", "due_before", "due_after"]


def todo_queryset_for_user(*, user: User) -> QuerySet[Todo]:
    """The user's todos with their goal: open ones first, then by due date (undated last),
    priority (high first) and newest. One query."""
    return (
        Todo.objects.filter(user_id=user.pk)
        .select_related("goal")
        .annotate(priority_rank=PRIORITY_RANK)
        .order_by("done", "due_date", "priority_rank", "-created_at", "id")
    )


def todo_get_for_user(*, user: User, todo_id: Any) -> Todo | None:
    """One of the user's own todos; ``None`` for anyone else's or an unknown id."""
    return todo_queryset_for_user(user=user).filter(pk=todo_id).first()


def todo_list_due(*, user: User, today: date) -> QuerySet[Todo]:
    """Open todos due today or overdue (relative to the user's local ``today``), oldest due
    date first. One query."""
    return todo_queryset_for_user(user=user).filter(Q(done=False) & Q(due_date__lte=today))


def goal_options_for_user(*, user: User) -> QuerySet[Goal]:
    """The user's goals a todo or reflection may be linked to (not archived), by title."""
    return Goal.objects.filter(user_id=user.pk).exclude(status=Goal.Status.ARCHIVED).order_by("title", "id")
