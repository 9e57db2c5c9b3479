"""Goal services (DESIGN.md §2 growth, Goal): field errors, the workflow draft →
pending_approval → active → completed and archived from any state (allowed and refused),
who may do what (owner, the goal's mentor, anyone else), the mentor's approval, the
notifications and badge evaluation they cause (progress: test_goal_progress.py)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from core.errors import ApplicationError
from core.models import OutboxMessage
from growth.models import Goal, Habit
from growth.notifications import GrowthNotification
from growth.services.goals import (
    goal_activate,
    goal_approve,
    goal_archive,
    goal_complete,
    goal_create,
    goal_submit,
    goal_update,
)
from growth.tests.factories import GoalFactory, HabitFactory
from mentorship.selectors.sessions import session_list_for_user
from mentorship.tests.factories import MentorshipSessionFactory

pytestmark = pytest.mark.django_db
Status = Goal.Status
IDENTITY = "I want to become a runner who runs every morning"
BADGE_TASK = "growth.tasks.badges_evaluate_task"


def _mentor_of(mentee, status: str = "CONFIRMED"):
    """A mentor with a session of ``status`` with ``mentee``, at an hour of its own (a
    mentee's confirmed sessions never overlap)."""
    taken = session_list_for_user(user=mentee).count()
    start = (timezone.now() + timedelta(days=1, hours=2 * taken)).replace(minute=0, second=0, microsecond=0)
    return MentorshipSessionFactory(mentee=mentee, status=status, start_at=start).mentor


def _pending(owner=None):
    """A goal of ``owner`` waiting for its mentor's approval, with that mentor."""
    owner = owner or UserFactory()
    mentor = _mentor_of(owner)
    goal = goal_submit(goal=goal_create(user=owner, identity=IDENTITY, title="Run", mentor=mentor), user=owner)
    return goal, owner, mentor


def test_create_trims_the_text_and_starts_a_draft_without_approval():
    user = UserFactory()
    goal = goal_create(
        user=user,
        identity="  I want to become   a runner\nwho runs ",
        title=" Run  daily ",
        description="  Mornings.\n\nBefore work.  ",
        category=" Health ",
        due_date=date(2030, 1, 1),
    )
    goal.refresh_from_db()
    assert (goal.identity, goal.title, goal.category) == ("I want to become a runner who runs", "Run daily", "Health")
    assert goal.description == "Mornings.\n\nBefore work."  # line breaks of the description are kept
    assert (goal.status, goal.mentor_id, goal.mentor_approved, goal.progress) == (Status.DRAFT, None, False, 0)
    assert goal.user_id == user.pk
    assert goal.due_date == date(2030, 1, 1)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"identity": "   "}, "identity"),
        ({"title": "\n\t "}, "title"),
        ({"identity": "x" * 301}, "identity"),
        ({"title": "x" * 161}, "title"),
        ({"description": "x" * 4001}, "description"),
        ({"category": "x" * 81}, "category"),
        ({"due_date": "2030-01-01"}, "due_date"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(overrides, field):
    with pytest.raises(ValidationError) as error:
        goal_create(user=UserFactory(), **{"identity": IDENTITY, "title": "Run", **overrides})
    assert list(error.value.message_dict) == [field]
    assert not Goal.objects.exists()


def test_the_identity_error_asks_for_who_you_want_to_become():
    with pytest.raises(ValidationError) as error:
        goal_create(user=UserFactory(), identity="", title="")
    assert "I want to become" in error.value.message_dict["identity"][0]
    assert set(error.value.message_dict) == {"identity", "title"}


def test_the_mentor_is_someone_the_owner_works_with_never_the_owner():
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        goal_create(user=user, identity=IDENTITY, title="Run", mentor=user)
    assert "own mentor" in error.value.message_dict["mentor"][0]
    with pytest.raises(ValidationError) as error:
        goal_create(user=user, identity=IDENTITY, title="Run", mentor=UserFactory())
    assert "work with" in error.value.message_dict["mentor"][0]
    requested_only = _mentor_of(user, "PENDING")
    with pytest.raises(ValidationError):
        goal_create(user=user, identity=IDENTITY, title="Run", mentor=requested_only)
    assert not Goal.objects.exists()
    for status in ("CONFIRMED", "COMPLETED"):
        mentor = _mentor_of(user, status)
        assert goal_create(user=user, identity=IDENTITY, title="Run", mentor=mentor).mentor_id == mentor.pk


def test_update_changes_only_what_differs_and_refuses_unknown_fields():
    user = UserFactory()
    goal = goal_create(user=user, identity=IDENTITY, title="Run")
    before = Goal.objects.get(pk=goal.pk).updated_at
    goal_update(goal=goal, user=user, data={"title": "Run"})
    assert Goal.objects.get(pk=goal.pk).updated_at == before  # nothing changed: no write
    updated = goal_update(goal=goal, user=user, data={"title": "  Run   far ", "category": "Health"})
    stored = Goal.objects.get(pk=goal.pk)
    assert (updated.title, stored.title, stored.category) == ("Run far", "Run far", "Health")
    assert stored.updated_at > before
    with pytest.raises(ValueError, match="status"):
        goal_update(goal=goal, user=user, data={"status": Status.ACTIVE})
    with pytest.raises(ValidationError) as error:
        goal_update(goal=goal, user=user, data={"title": " "})
    assert list(error.value.message_dict) == ["title"]
    assert Goal.objects.get(pk=goal.pk).title == "Run far"


def test_only_the_owner_updates_and_a_closed_goal_is_read_only():
    goal = GoalFactory(status=Status.ACTIVE)
    with pytest.raises(ApplicationError, match="owner"):
        goal_update(goal=goal, user=UserFactory(), data={"title": "Mine now"})
    for status in (Status.COMPLETED, Status.ARCHIVED):
        closed = GoalFactory(status=status)
        with pytest.raises(ApplicationError, match="no longer be edited"):
            goal_update(goal=closed, user=closed.user, data={"title": "Again"})
    assert not Goal.objects.filter(title__in=["Mine now", "Again"]).exists()


def test_the_mentor_changes_only_while_the_goal_is_a_draft():
    user = UserFactory()
    first, second = _mentor_of(user), _mentor_of(user)
    goal = goal_create(user=user, identity=IDENTITY, title="Run", mentor=first)
    assert goal_update(goal=goal, user=user, data={"mentor": second}).mentor_id == second.pk
    goal_submit(goal=goal, user=user)
    with pytest.raises(ApplicationError, match="only while the goal is a draft"):
        goal_update(goal=goal, user=user, data={"mentor": first})
    with pytest.raises(ApplicationError):
        goal_update(goal=goal, user=user, data={"mentor": None})
    # Sending the same mentor back (an edit form does) is not a change of mentor.
    assert goal_update(goal=goal, user=user, data={"mentor": second, "title": "Run far"}).title == "Run far"
    assert Goal.objects.get(pk=goal.pk).mentor_id == second.pk


def test_submit_asks_the_mentor_once_by_notification_and_email(django_capture_on_commit_callbacks):
    user = UserFactory()
    mentor = _mentor_of(user)
    goal = goal_create(user=user, identity=IDENTITY, title="Run", mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = goal_submit(goal=goal, user=user)
    assert submitted.status == Status.PENDING_APPROVAL
    assert submitted.submitted_at is not None
    assert submitted.mentor_approved is False
    notification = notifications().get(type=GrowthNotification.GOAL_APPROVAL_REQUESTED)
    assert notification.user_id == mentor.pk
    assert (notification.related_type, notification.related_id) == ("growth.goal", str(goal.pk))
    assert user.display_name in notification.title
    assert notification.message == IDENTITY
    assert [message.to for message in mail.outbox] == [[mentor.email]]
    with pytest.raises(ApplicationError, match="Only a draft"):
        goal_submit(goal=goal, user=user)
    assert notifications().filter(type=GrowthNotification.GOAL_APPROVAL_REQUESTED).count() == 1


def test_submit_needs_a_mentor_and_the_owner():
    goal = GoalFactory()
    with pytest.raises(ApplicationError, match="no mentor"):
        goal_submit(goal=goal, user=goal.user)
    goal, owner, _mentor = _pending()
    goal.status = Status.DRAFT
    goal.save()
    with pytest.raises(ApplicationError, match="owner"):
        goal_submit(goal=goal, user=UserFactory())
    assert Goal.objects.get(pk=goal.pk).status == Status.DRAFT
    assert not notifications().filter(user=owner).exists()


def test_only_the_goals_mentor_approves_a_goal_waiting_for_them(django_capture_on_commit_callbacks):
    goal, owner, mentor = _pending()
    another_mentor_of_the_owner = _mentor_of(owner)
    for someone in (owner, another_mentor_of_the_owner, UserFactory()):
        with pytest.raises(ApplicationError, match="Only the goal's mentor"):
            goal_approve(goal=goal, user=someone)
    assert Goal.objects.get(pk=goal.pk).status == Status.PENDING_APPROVAL
    with django_capture_on_commit_callbacks(execute=True):
        approved = goal_approve(goal=goal, user=mentor)
    stored = Goal.objects.get(pk=goal.pk)
    assert (approved.status, stored.status, stored.mentor_approved) == (Status.ACTIVE, Status.ACTIVE, True)
    assert stored.mentor_approved_at == stored.activated_at is not None
    notification = notifications().get(type=GrowthNotification.GOAL_APPROVED)
    assert notification.user_id == owner.pk
    assert mentor.display_name in notification.title
    assert notification.action_url == reverse("growth:goal-detail", kwargs={"pk": goal.pk})
    with pytest.raises(ApplicationError, match="Only a goal waiting for approval"):
        goal_approve(goal=goal, user=mentor)  # approving twice
    assert notifications().filter(type=GrowthNotification.GOAL_APPROVED).count() == 1


def test_a_draft_with_a_mentor_is_not_approved_before_it_is_submitted():
    user = UserFactory()
    mentor = _mentor_of(user)
    goal = goal_create(user=user, identity=IDENTITY, title="Run", mentor=mentor)
    with pytest.raises(ApplicationError, match="draft"):
        goal_approve(goal=goal, user=mentor)
    assert not Goal.objects.get(pk=goal.pk).mentor_approved


def test_the_owner_activates_only_a_draft_without_a_mentor():
    user = UserFactory()
    mentor = _mentor_of(user)
    with_mentor = goal_create(user=user, identity=IDENTITY, title="Run", mentor=mentor)
    with pytest.raises(ApplicationError, match="submit it for their approval") as error:
        goal_activate(goal=with_mentor, user=user)
    assert mentor.display_name in str(error.value)
    goal = goal_create(user=user, identity=IDENTITY, title="Read")
    with pytest.raises(ApplicationError, match="owner"):
        goal_activate(goal=goal, user=mentor)
    activated = goal_activate(goal=goal, user=user)
    assert (activated.status, activated.mentor_approved) == (Status.ACTIVE, False)
    assert activated.activated_at is not None
    with pytest.raises(ApplicationError, match=r"This goal is active\. Only a draft"):
        goal_activate(goal=goal, user=user)
    assert Goal.objects.get(pk=with_mentor.pk).status == Status.DRAFT


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING_APPROVAL, Status.COMPLETED, Status.ARCHIVED])
def test_only_an_active_goal_is_completed_and_nothing_is_enqueued_otherwise(status, django_capture_on_commit_callbacks):
    goal = GoalFactory(status=status)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ApplicationError, match="Only an active"):
        goal_complete(goal=goal, user=goal.user)
    assert callbacks == []
    assert Goal.objects.get(pk=goal.pk).status == status
    assert not OutboxMessage.objects.filter(task_name=BADGE_TASK).exists()


def test_completing_is_the_owners_and_enqueues_their_badge_evaluation_after_commit(
    django_capture_on_commit_callbacks,
):
    goal, owner, mentor = _pending()
    goal_approve(goal=goal, user=mentor)
    with pytest.raises(ApplicationError, match="owner"):
        goal_complete(goal=goal, user=mentor)
    with django_capture_on_commit_callbacks() as callbacks:
        completed = goal_complete(goal=goal, user=owner)
        assert not owner.badges.exists()  # nothing is evaluated before the commit
    assert completed.status == Status.COMPLETED
    assert completed.completed_at is not None
    assert OutboxMessage.objects.filter(task_name=BADGE_TASK).count() == 1
    for callback in callbacks:
        callback()
    assert list(owner.badges.values_list("type", flat=True)) == ["identity_builder"]
    assert not mentor.badges.exists()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING_APPROVAL, Status.ACTIVE, Status.COMPLETED])
def test_archived_from_any_state_remembering_it_and_keeping_the_habits(status):
    goal = GoalFactory(status=status)
    habit = HabitFactory(goal=goal)
    archived = goal_archive(goal=goal, user=goal.user)
    stored = Goal.objects.get(pk=goal.pk)
    assert (archived.status, stored.status, stored.status_before_archive) == (Status.ARCHIVED, Status.ARCHIVED, status)
    assert stored.archived_at is not None
    assert Habit.objects.get(pk=habit.pk).status == Habit.Status.ACTIVE
    with pytest.raises(ApplicationError, match="already archived"):
        goal_archive(goal=goal, user=goal.user)
    assert Goal.objects.get(pk=goal.pk).status_before_archive == status


def test_only_the_owner_archives():
    goal, _owner, mentor = _pending()
    for someone in (mentor, UserFactory()):
        with pytest.raises(ApplicationError, match="owner"):
            goal_archive(goal=goal, user=someone)
    assert Goal.objects.get(pk=goal.pk).status == Status.PENDING_APPROVAL
