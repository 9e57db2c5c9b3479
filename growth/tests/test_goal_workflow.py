"""Goals from "Mentoring" (issue 18): a goal starts at once or stays a draft; every action
answers in words; a mentor declines a goal sent for approval with a reason (back to draft,
the reason shown to the mentee until they send it again); the mentee withdraws a pending
goal; an archived goal is restored — through the services, the pages from the first click
to the last effect, and the API, with their notifications."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from core.errors import ApplicationError
from growth.models import Goal
from growth.notifications import GrowthNotification
from growth.selectors.goals import goal_actions_allowed
from growth.services.goals import (
    goal_archive,
    goal_create,
    goal_decline,
    goal_restore,
    goal_submit,
    goal_withdraw,
)
from mentorship.selectors.sessions import session_list_for_user
from mentorship.tests.factories import MentorshipSessionFactory

pytestmark = pytest.mark.django_db

Status = Goal.Status
IDENTITY = "I want to become a writer who writes every day"
GOALS = "/api/v1/growth/goals/"


def _mentor_of(mentee):
    taken = session_list_for_user(user=mentee).count()
    start = (timezone.now() + timedelta(days=1, hours=2 * taken)).replace(minute=0, second=0, microsecond=0)
    return MentorshipSessionFactory(mentee=mentee, status="CONFIRMED", start_at=start).mentor


def _pending():
    owner = UserFactory()
    mentor = _mentor_of(owner)
    goal = goal_create(user=owner, identity=IDENTITY, title="Write", mentor=mentor, start=True)
    return goal, owner, mentor


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# Services


def test_start_now_activates_without_a_mentor_and_asks_the_mentor_with_one():
    owner = UserFactory()
    alone = goal_create(user=owner, identity=IDENTITY, title="Alone", start=True)
    assert (alone.status, alone.activated_at is not None) == (Status.ACTIVE, True)
    goal, _owner, mentor = _pending()
    assert goal.status == Status.PENDING_APPROVAL
    assert notifications().filter(user=mentor, type=GrowthNotification.GOAL_APPROVAL_REQUESTED).count() == 1
    assert goal_create(user=owner, identity=IDENTITY, title="Later").status == Status.DRAFT


def test_a_bad_goal_started_now_saves_nothing():
    with pytest.raises(ValidationError):
        goal_create(user=UserFactory(), identity=" ", title="Nothing", start=True)
    assert not Goal.objects.exists()


def test_the_mentor_declines_with_a_reason_and_the_goal_is_a_draft_again():
    goal, owner, mentor = _pending()
    assert goal_actions_allowed(goal=goal, user=mentor) == ["approve", "decline"]
    declined = goal_decline(goal=goal, user=mentor, reason="  Make it smaller: one paragraph a day.  ")
    assert (declined.status, declined.decline_reason) == (Status.DRAFT, "Make it smaller: one paragraph a day.")
    assert declined.declined_at is not None
    notification = notifications().get(user=owner, type=GrowthNotification.GOAL_DECLINED)
    assert notification.message == "Make it smaller: one paragraph a day."
    assert goal_actions_allowed(goal=declined, user=owner) == ["submit", "archive"]
    again = goal_submit(goal=declined, user=owner)  # sent again: the reason has served
    assert (again.status, again.decline_reason, again.declined_at) == (Status.PENDING_APPROVAL, "", None)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_a_decline_needs_a_reason_of_reasonable_length(reason):
    goal, _owner, mentor = _pending()
    with pytest.raises(ValidationError) as error:
        goal_decline(goal=goal, user=mentor, reason=reason)
    assert "reason" in error.value.message_dict
    assert Goal.objects.get(pk=goal.pk).status == Status.PENDING_APPROVAL
    assert not notifications().filter(type=GrowthNotification.GOAL_DECLINED).exists()


def test_only_the_mentor_declines_and_only_a_goal_waiting_for_them():
    goal, owner, _mentor = _pending()
    for someone in (owner, UserFactory()):
        with pytest.raises(ApplicationError, match="Only the goal's mentor can decline"):
            goal_decline(goal=goal, user=someone, reason="No.")
    draft = goal_create(user=owner, identity=IDENTITY, title="Draft", mentor=_mentor_of(owner))
    with pytest.raises(ApplicationError, match="waiting for approval"):
        goal_decline(goal=draft, user=draft.mentor, reason="No.")


def test_the_owner_withdraws_a_pending_goal_and_the_mentor_hears_of_it():
    goal, owner, mentor = _pending()
    assert goal_actions_allowed(goal=goal, user=owner) == ["withdraw", "archive"]
    with pytest.raises(ApplicationError, match="owner"):
        goal_withdraw(goal=goal, user=mentor)
    withdrawn = goal_withdraw(goal=goal, user=owner)
    assert (withdrawn.status, withdrawn.submitted_at) == (Status.DRAFT, None)
    assert notifications().filter(user=mentor, type=GrowthNotification.GOAL_WITHDRAWN).count() == 1
    with pytest.raises(ApplicationError, match="Only a goal waiting for approval can be withdrawn"):
        goal_withdraw(goal=withdrawn, user=owner)


@pytest.mark.parametrize(
    ("before", "restored"),
    [
        (Status.DRAFT, Status.DRAFT),
        (Status.ACTIVE, Status.ACTIVE),
        (Status.COMPLETED, Status.COMPLETED),
        (Status.PENDING_APPROVAL, Status.DRAFT),  # sent again by the owner, not behind the mentor's back
    ],
)
def test_an_archived_goal_is_restored_to_where_it_was(before, restored):
    owner = UserFactory()
    goal = Goal.objects.create(user=owner, identity=IDENTITY, title="Back", status=before)
    archived = goal_archive(goal=goal, user=owner)
    assert goal_actions_allowed(goal=archived, user=owner) == ["restore"]
    with pytest.raises(ApplicationError, match="owner"):
        goal_restore(goal=archived, user=UserFactory())
    back = goal_restore(goal=archived, user=owner)
    assert (back.status, back.status_before_archive, back.archived_at) == (restored, "", None)
    with pytest.raises(ApplicationError, match="Only an archived goal"):
        goal_restore(goal=back, user=owner)


# Pages


def test_the_new_goal_form_starts_it_now_or_keeps_a_draft(client):
    owner = UserFactory()
    client.force_login(owner)
    url = reverse("growth:goal-list")
    page = client.get(url).content.decode()
    assert "Start now" in page
    assert "Save as draft" in page
    assert 'name="mentor"' not in page  # nobody to ask yet
    started = client.post(url, {"identity": IDENTITY, "title": "Now", "start": "1"}, follow=True)
    assert _messages(started) == ["Your goal is active. Add a two-minute habit to start on it today."]
    drafted = client.post(url, {"identity": IDENTITY, "title": "Later", "start": "0"}, follow=True)
    assert _messages(drafted) == ["Goal saved as a draft."]
    assert dict(Goal.objects.values_list("title", "status")) == {"Now": Status.ACTIVE, "Later": Status.DRAFT}
    refused = client.post(url, {"identity": "", "title": "Empty", "start": "1"})
    assert refused.status_code == 400
    assert Goal.objects.count() == 2


def test_starting_with_a_mentor_sends_the_goal_to_them(client):
    owner = UserFactory()
    mentor = _mentor_of(owner)
    client.force_login(owner)
    url = reverse("growth:goal-list")
    assert f'value="{mentor.pk}"' in client.get(url).content.decode()
    response = client.post(
        url, {"identity": IDENTITY, "title": "Asked", "mentor": mentor.pk, "start": "1"}, follow=True
    )
    goal = Goal.objects.get()
    assert (goal.status, goal.mentor_id) == (Status.PENDING_APPROVAL, mentor.pk)
    assert _messages(response) == [
        f"Sent to {mentor.display_name} for approval: the goal becomes active once they approve it."
    ]


def test_activate_says_what_happened_or_why_not(client):
    owner = UserFactory()
    client.force_login(owner)
    draft = goal_create(user=owner, identity=IDENTITY, title="Draft")
    response = client.post(reverse("growth:goal-action", args=[draft.pk, "activate"]), follow=True)
    assert _messages(response) == ["Your goal is active. Add a two-minute habit to start on it today."]
    goal, owner, _mentor = _pending()
    client.force_login(owner)
    response = client.post(reverse("growth:goal-action", args=[goal.pk, "activate"]), follow=True)
    assert _messages(response) == ["This goal is waiting for the mentor's approval. Only a draft can be activated."]
    assert Goal.objects.get(pk=goal.pk).status == Status.PENDING_APPROVAL


def test_a_mentor_declines_from_the_queue_and_the_mentee_reads_why(client):
    goal, owner, mentor = _pending()
    client.force_login(mentor)
    queue = client.get(reverse("growth:goal-approvals")).content.decode()
    decline_url = reverse("growth:goal-action", args=[goal.pk, "decline"])
    assert decline_url in queue
    empty = client.post(decline_url, {"next": "approvals", "reason": " "}, follow=True)
    assert _messages(empty) == ["Say why, so your mentee knows what to change."]
    assert Goal.objects.get(pk=goal.pk).status == Status.PENDING_APPROVAL
    sent = client.post(decline_url, {"next": "approvals", "reason": "Pick one habit first."}, follow=True)
    assert sent.redirect_chain[-1][0] == reverse("growth:goal-approvals")
    assert _messages(sent) == [f"Sent back to {owner.display_name} with your reason: it is a draft again."]
    assert "No goal is waiting for your approval." in sent.content.decode()

    client.force_login(owner)
    page = client.get(reverse("growth:goal-detail", args=[goal.pk])).content.decode()
    assert f"{mentor.display_name} sent this goal back" in page
    assert "Pick one habit first." in page
    assert reverse("growth:goal-action", args=[goal.pk, "submit"]) in page
    client.post(reverse("growth:goal-action", args=[goal.pk, "submit"]))
    assert "Pick one habit first." not in client.get(reverse("growth:goal-detail", args=[goal.pk])).content.decode()


def test_the_mentee_withdraws_then_archives_and_restores(client):
    goal, owner, mentor = _pending()
    client.force_login(owner)
    detail = reverse("growth:goal-detail", args=[goal.pk])
    assert "Withdraw the request" in client.get(detail).content.decode()
    withdrawn = client.post(reverse("growth:goal-action", args=[goal.pk, "withdraw"]), follow=True)
    assert _messages(withdrawn) == ["Withdrawn: the goal is a draft again. Edit it and send it when you are ready."]
    assert notifications().filter(user=mentor, type=GrowthNotification.GOAL_WITHDRAWN).count() == 1
    archived = client.post(reverse("growth:goal-action", args=[goal.pk, "archive"]), follow=True)
    assert _messages(archived) == ["Archived: nothing is lost, and you can restore it at any time."]
    assert reverse("growth:goal-action", args=[goal.pk, "restore"]) in archived.content.decode()
    restored = client.post(reverse("growth:goal-action", args=[goal.pk, "restore"]), follow=True)
    assert _messages(restored) == ["Restored: the goal is back as it was (Draft)."]
    assert Goal.objects.get(pk=goal.pk).status == Status.DRAFT
    client.force_login(UserFactory())
    assert client.post(reverse("growth:goal-action", args=[goal.pk, "restore"])).status_code == 404


# API


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user=user)
    return api


def test_the_api_starts_declines_withdraws_and_restores():
    owner = UserFactory()
    mentor = _mentor_of(owner)
    api = _api(owner)
    started = api.post(GOALS, {"identity": IDENTITY, "title": "Now", "start": True}, format="json")
    assert started.status_code == 201
    assert started.json()["status"] == "active"
    created = api.post(
        GOALS, {"identity": IDENTITY, "title": "Asked", "mentor": str(mentor.pk), "start": True}, format="json"
    ).json()
    assert (created["status"], created["actions"]) == ("pending_approval", ["withdraw", "archive"])
    goal_url = f"{GOALS}{created['id']}/"
    assert api.post(f"{goal_url}decline/", {"reason": "Not yours to decline."}, format="json").status_code == 409
    mentor_api = _api(mentor)
    assert mentor_api.get(goal_url).json()["actions"] == ["approve", "decline"]
    blank = mentor_api.post(f"{goal_url}decline/", {"reason": "  "}, format="json")
    assert blank.status_code == 400
    assert "reason" in blank.json()["errors"]
    declined = mentor_api.post(f"{goal_url}decline/", {"reason": "Smaller, please."}, format="json")
    assert declined.status_code == 200
    assert (declined.json()["status"], declined.json()["decline_reason"]) == ("draft", "Smaller, please.")
    assert api.get(goal_url).json()["decline_reason"] == "Smaller, please."
    assert notifications().filter(user=owner, type=GrowthNotification.GOAL_DECLINED).count() == 1

    assert api.post(f"{goal_url}submit/").json()["decline_reason"] == ""
    withdrawn = api.post(f"{goal_url}withdraw/")
    assert withdrawn.json()["status"] == "draft"
    assert api.post(f"{goal_url}withdraw/").status_code == 409
    assert api.post(f"{goal_url}archive/").json()["actions"] == ["restore"]
    assert api.post(f"{goal_url}restore/").json()["status"] == "draft"
    assert _api(UserFactory()).post(f"{goal_url}restore/").status_code == 404
