"""Writes of identity goals (DESIGN.md §2 growth, Goal).

Workflow: draft → pending_approval (``goal_submit``, only with a mentor) → active
(``goal_approve`` by that mentor; ``goal_activate`` by the owner only without a mentor) →
completed (``goal_complete``); ``goal_archive`` from any state. Goals are never deleted.

The mentor of a goal is someone the owner works with: a mentor with a confirmed or completed
mentorship session with the owner (``mentorship.selectors.sessions.mentor_works_with``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from growth.models import Goal, Habit
from growth.notifications import GrowthNotification
from growth.tasks import badges_evaluate_task
from mentorship.selectors.sessions import mentor_works_with

if TYPE_CHECKING:
    from accounts.models import User

#: Fields the owner may edit (the mentor only while the goal is a draft).
GOAL_FIELDS = ("identity", "title", "description", "category", "due_date", "mentor")
IDENTITY_MAX_LENGTH = Goal._meta.get_field("identity").max_length or 300
TITLE_MAX_LENGTH = Goal._meta.get_field("title").max_length or 160
DESCRIPTION_MAX_LENGTH = Goal._meta.get_field("description").max_length or 4000
CATEGORY_MAX_LENGTH = Goal._meta.get_field("category").max_length or 80
#: Suggestions for the free-text category.
CATEGORY_SUGGESTIONS = ("Career", "Creativity", "Health", "Learning", "Mindset", "Relationships", "Money")


def _goal_refusal_message(goal: Goal) -> str:
    return _("This goal is %(status)s.") % {"status": goal.get_status_display().lower()}


def _clean(*, owner: User, data: Mapping[str, Any]) -> dict[str, Any]:
    """Trimmed, checked goal fields; ``ValidationError`` keyed by field otherwise."""
    cleaned = dict(data)
    errors: dict[str, str] = {}
    for name, limit, required in (
        ("identity", IDENTITY_MAX_LENGTH, True),
        ("title", TITLE_MAX_LENGTH, True),
        ("description", DESCRIPTION_MAX_LENGTH, False),
        ("category", CATEGORY_MAX_LENGTH, False),
    ):
        if name not in data:
            continue
        cleaned[name] = " ".join(str(data[name] or "").split()) if name != "description" else str(data[name] or "")
        cleaned[name] = cleaned[name].strip()
        if required and not cleaned[name]:
            errors[name] = (
                _("Say who you want to become: “I want to become a … who …”.")
                if name == "identity"
                else _("Give the goal a title.")
            )
        elif len(cleaned[name]) > limit:
            errors[name] = _("Keep it under %(max)d characters.") % {"max": limit}
    if "due_date" in data and data["due_date"] is not None and not isinstance(data["due_date"], date):
        errors["due_date"] = _("Enter a valid date.")
    mentor = data.get("mentor")
    if mentor is not None:
        if mentor.pk == owner.pk:
            errors["mentor"] = _("You cannot be your own mentor.")
        elif not mentor_works_with(mentor=mentor, mentee=owner):
            errors["mentor"] = _("Choose a mentor you work with (a confirmed or completed session with them).")
    if errors:
        raise ValidationError(errors)
    return cleaned


def goal_create(
    *,
    user: User,
    identity: str,
    title: str,
    description: str = "",
    category: str = "",
    due_date: date | None = None,
    mentor: User | None = None,
) -> Goal:
    """Create a draft goal of ``user``. ``ValidationError`` for an empty identity or title,
    over-long text, or a mentor the user does not work with; nothing is saved then."""
    data = _clean(
        owner=user,
        data={
            "identity": identity,
            "title": title,
            "description": description,
            "category": category,
            "due_date": due_date,
            "mentor": mentor,
        },
    )
    return Goal.objects.create(user=user, **data)


@transaction.atomic
def goal_update(*, goal: Goal, user: User, data: Mapping[str, Any]) -> Goal:
    """Change some of :data:`GOAL_FIELDS` of the owner's goal. The mentor can change only
    while the goal is a draft; an archived or completed goal is read-only
    (``ApplicationError``). Same ``ValidationError`` as :func:`goal_create`."""
    unknown = set(data) - set(GOAL_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    goal = _owned_locked(goal=goal, user=user)
    if goal.status in (Goal.Status.ARCHIVED, Goal.Status.COMPLETED):
        raise ApplicationError(_goal_refusal_message(goal) + " " + _("It can no longer be edited."))
    mentor_changes = "mentor" in data and (data["mentor"].pk if data["mentor"] else None) != goal.mentor_id
    if mentor_changes and goal.status != Goal.Status.DRAFT:
        raise ApplicationError(_("The mentor can be changed only while the goal is a draft."))
    cleaned = _clean(owner=user, data={k: v for k, v in data.items() if k != "mentor" or mentor_changes})
    changed = [name for name, value in cleaned.items() if getattr(goal, name) != value]
    for name in changed:
        setattr(goal, name, cleaned[name])
    if changed:
        goal.save(update_fields=[*changed, "updated_at"])
    return goal


def _owned_locked(*, goal: Goal, user: User) -> Goal:
    """The goal's row, locked; ``ApplicationError`` unless ``user`` owns it (callers
    reached it through a selector, so others already got a 404)."""
    locked = Goal.objects.select_for_update(of=("self",)).select_related("mentor", "user").get(pk=goal.pk)
    if locked.user_id != user.pk:
        raise ApplicationError(_("Only the goal's owner can do this."))
    return locked


def _goal_url(goal: Goal) -> str:
    return reverse("growth:goal-detail", kwargs={"pk": goal.pk})


@transaction.atomic
def goal_submit(*, goal: Goal, user: User) -> Goal:
    """Ask the goal's mentor to approve it: draft → pending_approval. Needs a mentor
    (``ApplicationError`` otherwise: the owner activates a goal without one). Side effect:
    a ``goal_approval_requested`` notification to the mentor."""
    goal = _owned_locked(goal=goal, user=user)
    if goal.status != Goal.Status.DRAFT:
        raise ApplicationError(_goal_refusal_message(goal) + " " + _("Only a draft can be submitted."))
    if goal.mentor is None:
        raise ApplicationError(_("This goal has no mentor: activate it yourself."))
    goal.status = Goal.Status.PENDING_APPROVAL
    goal.submitted_at = timezone.now()
    goal.save(update_fields=["status", "submitted_at", "updated_at"])
    notification_send(
        user=goal.mentor,
        type=GrowthNotification.GOAL_APPROVAL_REQUESTED,
        title=_("%(name)s asks you to approve a goal") % {"name": goal.user.display_name},
        message=goal.identity,
        related=goal,
        action_url=reverse("growth:goal-approvals"),
    )
    return goal


@transaction.atomic
def goal_approve(*, goal: Goal, user: User) -> Goal:
    """The assigned mentor approves a goal waiting for them: pending_approval → active,
    ``mentor_approved``. Anyone else, or another state: ``ApplicationError``. Side effect: a
    ``goal_approved`` notification to the owner."""
    goal = Goal.objects.select_for_update(of=("self",)).select_related("user", "mentor").get(pk=goal.pk)
    if goal.mentor_id is None or goal.mentor_id != user.pk:
        raise ApplicationError(_("Only the goal's mentor can approve it."))
    if goal.status != Goal.Status.PENDING_APPROVAL:
        raise ApplicationError(_goal_refusal_message(goal) + " " + _("Only a goal waiting for approval is approved."))
    now = timezone.now()
    goal.status = Goal.Status.ACTIVE
    goal.mentor_approved = True
    goal.mentor_approved_at = now
    goal.activated_at = now
    goal.save(update_fields=["status", "mentor_approved", "mentor_approved_at", "activated_at", "updated_at"])
    notification_send(
        user=goal.user,
        type=GrowthNotification.GOAL_APPROVED,
        title=_("%(name)s approved your goal") % {"name": user.display_name},
        message=goal.title,
        related=goal,
        action_url=_goal_url(goal),
    )
    return goal


@transaction.atomic
def goal_activate(*, goal: Goal, user: User) -> Goal:
    """The owner activates a draft without a mentor: draft → active. With a mentor, the
    mentor's approval activates it (``ApplicationError`` saying so)."""
    goal = _owned_locked(goal=goal, user=user)
    if goal.status != Goal.Status.DRAFT:
        raise ApplicationError(_goal_refusal_message(goal) + " " + _("Only a draft can be activated."))
    if goal.mentor is not None:
        raise ApplicationError(
            _("%(name)s is this goal's mentor: submit it for their approval.") % {"name": goal.mentor.display_name}
        )
    goal.status = Goal.Status.ACTIVE
    goal.activated_at = timezone.now()
    goal.save(update_fields=["status", "activated_at", "updated_at"])
    return goal


@transaction.atomic
def goal_complete(*, goal: Goal, user: User) -> Goal:
    """The owner completes an active goal: active → completed (``ApplicationError``
    otherwise). Side effect: the owner's badge evaluation (identity builder) is enqueued
    after commit."""
    goal = _owned_locked(goal=goal, user=user)
    if goal.status != Goal.Status.ACTIVE:
        raise ApplicationError(_goal_refusal_message(goal) + " " + _("Only an active goal can be completed."))
    goal.status = Goal.Status.COMPLETED
    goal.completed_at = timezone.now()
    goal.save(update_fields=["status", "completed_at", "updated_at"])
    badges_evaluate_task.delay_on_commit(str(goal.user_id))
    return goal


@transaction.atomic
def goal_archive(*, goal: Goal, user: User) -> Goal:
    """The owner archives a goal from any state (remembering it in
    ``status_before_archive``); goals are never deleted. Archiving twice is a
    ``ApplicationError``. The goal's habits are kept as they are."""
    goal = _owned_locked(goal=goal, user=user)
    if goal.status == Goal.Status.ARCHIVED:
        raise ApplicationError(_("This goal is already archived."))
    goal.status_before_archive = goal.status
    goal.status = Goal.Status.ARCHIVED
    goal.archived_at = timezone.now()
    goal.save(update_fields=["status", "status_before_archive", "archived_at", "updated_at"])
    return goal


def goal_progress_compute(rates: list[Decimal]) -> int:
    """The rounded (half up) mean of ``rates``; 0 without any."""
    if not rates:
        return 0
    mean = sum(rates, Decimal(0)) / len(rates)
    return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def goal_progress_refresh(*, goal_id: Any) -> Goal:
    """Store the goal's progress: the rounded mean completion rate of its habits that are
    not paused (three queries; the goal row is locked so concurrent habit writes of one goal
    leave the last word to the last commit). Precondition: inside a transaction."""
    goal = Goal.objects.select_for_update().get(pk=goal_id)
    rates = list(
        Habit.objects.filter(goal_id=goal_id)
        .exclude(status=Habit.Status.PAUSED)
        .values_list("completion_rate", flat=True)
    )
    progress = goal_progress_compute(rates)
    if goal.progress != progress:
        goal.progress = progress
        goal.save(update_fields=["progress", "updated_at"])
    return goal


def goals_progress_refresh(*, goal_ids: Collection[Any]) -> int:
    """Store the progress of many goals at once (the same rule as
    :func:`goal_progress_refresh`): locks the goals' rows, reads their habits' rates in one
    query and writes the changed goals in one bulk update. Returns how many changed.
    Precondition: inside a transaction; callers holding habit rows lock them first (the
    order of the habit write path)."""
    goals = list(Goal.objects.select_for_update().filter(pk__in=goal_ids).order_by("pk"))
    rates: dict[Any, list[Decimal]] = {goal.pk: [] for goal in goals}
    for goal_id, rate in (
        Habit.objects.filter(goal_id__in=rates)
        .exclude(status=Habit.Status.PAUSED)
        .values_list("goal_id", "completion_rate")
    ):
        rates[goal_id].append(rate)
    now = timezone.now()
    changed = []
    for goal in goals:
        progress = goal_progress_compute(rates[goal.pk])
        if goal.progress != progress:
            goal.progress, goal.updated_at = progress, now
            changed.append(goal)
    Goal.objects.bulk_update(changed, ["progress", "updated_at"])
    return len(changed)
