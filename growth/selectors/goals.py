"""Reads of identity goals. A goal is visible to its owner and to its mentor; anyone else
gets None (a 404 in pages and the API)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from growth.models import Goal

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


def goal_actions_allowed(*, goal: Goal, user: User) -> list[str]:
    """The workflow actions ``user`` may take on ``goal`` now (for buttons and the API)."""
    actions: list[str] = []
    if goal.user_id == user.pk:
        if goal.status == Goal.Status.DRAFT:
            actions.append("submit" if goal.mentor_id else "activate")
        if goal.status == Goal.Status.ACTIVE:
            actions.append("complete")
        if goal.status != Goal.Status.ARCHIVED:
            actions.append("archive")
    elif goal.mentor_id == user.pk and goal.status == Goal.Status.PENDING_APPROVAL:
        actions.append("approve")
    return actions
