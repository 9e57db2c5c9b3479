"""Writes of identity goals (DESIGN.md §2 growth, Goal).

Workflow: draft → pending_approval (``goal_submit``, only with a mentor) → active
(``goal_approve`` by that mentor; ``goal_activate`` by the owner only without a mentor) →
completed (``goal_complete``); ``goal_archive`` from any state, ``goal_restore`` back to the
state it was archived in. A goal waiting for approval goes back to draft when its mentor
declines it with a reason (``goal_decline``, shown to the owner) or its owner withdraws it
(``goal_withdraw``). ``goal_create(start=True)`` creates and starts a goal at once: active
without a mentor, sent for approval with one. Goals are never deleted.

The mentor of a goal is someone the owner works with: a mentor with a confirmed or completed
mentorship session with the owner (``mentorship.selectors.sessions.mentor_works_with``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from growth.models import Goal
from growth.notifications import GrowthNotification
from growth.selectors.goals import goal_progress_map
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
DECLINE_REASON_MAX_LENGTH = Goal._meta.get_field("decline_reason").max_length or 1000
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


@transaction.atomic
def goal_create(
    *,
    user: User,
    identity: str,
    title: str,
    description: str = "",
    category: str = "",
    due_date: date | None = None,
    mentor: User | None = None,
    start: bool = False,
) -> Goal:
    """Create a goal of ``user``: a draft, or with ``start`` started at once — active
    without a mentor, sent to the mentor for approval with one (:func:`goal_submit`'s
    notification). ``ValidationError`` for an empty identity or title, over-long text, or a
    mentor the user does not work with; nothing is saved then."""
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
    goal = Goal.objects.create(user=user, **data)
    if not start:
        return goal
    return goal_submit(goal=goal, user=user) if goal.mentor_id else goal_activate(goal=goal, user=user)


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
    goal.declined_at, goal.decline_reason = None, ""
    goal.save(update_fields=["status", "submitted_at", "declined_at", "decline_reason", "updated_at"])
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
    goal = _mentor_locked(goal=goal, user=user, verb=_("approve"))
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


def _mentor_locked(*, goal: Goal, user: User, verb: str) -> Goal:
    """The goal's row, locked, when ``user`` is its mentor and it waits for approval;
    ``ApplicationError`` otherwise (``verb``: what the mentor tried)."""
    goal = Goal.objects.select_for_update(of=("self",)).select_related("user", "mentor").get(pk=goal.pk)
    if goal.mentor_id is None or goal.mentor_id != user.pk:
        raise ApplicationError(_("Only the goal's mentor can %(verb)s it.") % {"verb": verb})
    if goal.status != Goal.Status.PENDING_APPROVAL:
        raise ApplicationError(
            _goal_refusal_message(goal) + " " + _("Only a goal waiting for approval can be answered.")
        )
    return goal


@transaction.atomic
def goal_decline(*, goal: Goal, user: User, reason: str) -> Goal:
    """The assigned mentor declines a goal waiting for them, saying why: pending_approval →
    draft, the reason kept on the goal and shown to the owner until they send it again.
    ``ValidationError`` (key ``reason``) for an empty or over-long reason,
    ``ApplicationError`` for anyone but the mentor or another state; nothing changes then.
    Side effect: a ``goal_declined`` notification to the owner with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, so your mentee knows what to change.")})
    if len(reason) > DECLINE_REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("Keep it under %(max)d characters.") % {"max": DECLINE_REASON_MAX_LENGTH}})
    goal = _mentor_locked(goal=goal, user=user, verb=_("decline"))
    goal.status = Goal.Status.DRAFT
    goal.declined_at = timezone.now()
    goal.decline_reason = reason
    goal.save(update_fields=["status", "declined_at", "decline_reason", "updated_at"])
    notification_send(
        user=goal.user,
        type=GrowthNotification.GOAL_DECLINED,
        title=_("%(name)s sent your goal back") % {"name": user.display_name},
        message=reason,
        related=goal,
        action_url=_goal_url(goal),
    )
    return goal


@transaction.atomic
def goal_withdraw(*, goal: Goal, user: User) -> Goal:
    """The owner withdraws a goal waiting for the mentor's approval: pending_approval →
    draft (to edit it, change the mentor or send it again). ``ApplicationError`` for anyone
    but the owner or another state. Side effect: a ``goal_withdrawn`` notification to the
    mentor (the request left their queue)."""
    goal = _owned_locked(goal=goal, user=user)
    if goal.status != Goal.Status.PENDING_APPROVAL or goal.mentor is None:
        raise ApplicationError(
            _goal_refusal_message(goal) + " " + _("Only a goal waiting for approval can be withdrawn.")
        )
    goal.status = Goal.Status.DRAFT
    goal.submitted_at = None
    goal.save(update_fields=["status", "submitted_at", "updated_at"])
    notification_send(
        user=goal.mentor,
        type=GrowthNotification.GOAL_WITHDRAWN,
        title=_("%(name)s withdrew a goal from your approvals") % {"name": goal.user.display_name},
        message=goal.title,
        related=goal,
        action_url=reverse("growth:goal-approvals"),
    )
    return goal


@transaction.atomic
def goal_restore(*, goal: Goal, user: User) -> Goal:
    """The owner restores an archived goal to the state it was archived in — except that a
    goal archived while waiting for approval comes back as a draft, to be sent again (the
    mentor's queue is not refilled behind their back). ``ApplicationError`` unless the goal
    is archived and ``user`` owns it."""
    goal = _owned_locked(goal=goal, user=user)
    if goal.status != Goal.Status.ARCHIVED:
        raise ApplicationError(_goal_refusal_message(goal) + " " + _("Only an archived goal can be restored."))
    before = goal.status_before_archive or Goal.Status.DRAFT
    goal.status = Goal.Status.DRAFT if before == Goal.Status.PENDING_APPROVAL else before
    if before == Goal.Status.PENDING_APPROVAL:
        goal.submitted_at = None
    goal.status_before_archive = ""
    goal.archived_at = None
    goal.save(update_fields=["status", "status_before_archive", "archived_at", "submitted_at", "updated_at"])
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


def goal_progress_refresh(*, goal_id: Any, now: Any = None) -> Goal:
    """Store the goal's progress as of ``now`` (the rule of
    ``growth.selectors.goals.goal_progress_map``) in its cache column; the goal row is
    locked so concurrent habit writes of one goal leave the last word to the last commit.
    Precondition: inside a transaction."""
    goal = Goal.objects.select_for_update(of=("self",)).select_related("user").get(pk=goal_id)
    progress = goal_progress_map(goals=[goal], now=now)[goal.pk]
    if goal.progress != progress:
        goal.progress = progress
        goal.save(update_fields=["progress", "updated_at"])
    return goal


def goals_progress_refresh(*, goal_ids: Collection[Any], now: Any = None) -> int:
    """Store the progress of many goals at once (the same rule as
    :func:`goal_progress_refresh`, as of ``now``): locks the goals' rows, works their
    progress out in three queries and writes the changed goals in one bulk update. Returns
    how many changed. Precondition: inside a transaction; callers holding habit rows lock
    them first (the order of the habit write path)."""
    goals = list(
        Goal.objects.select_for_update(of=("self",)).select_related("user").filter(pk__in=goal_ids).order_by("pk")
    )
    progress = goal_progress_map(goals=goals, now=now)
    moment = timezone.now()
    changed = []
    for goal in goals:
        if goal.progress != progress[goal.pk]:
            goal.progress, goal.updated_at = progress[goal.pk], moment
            changed.append(goal)
    Goal.objects.bulk_update(changed, ["progress", "updated_at"])
    return len(changed)
