"""Goal pages for a mentor: the goals page leads to the approval queue when goals wait for
them, the queue lists only their pending goals (constant queries) and approving from it
comes back to it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from growth.models import Goal
from growth.tests.factories import GoalFactory

pytestmark = pytest.mark.django_db


def _pending(mentor, **fields) -> Goal:
    return GoalFactory(mentor=mentor, status=Goal.Status.PENDING_APPROVAL, submitted_at=timezone.now(), **fields)


def test_goals_page_leads_a_mentor_to_the_goals_waiting_for_them(client) -> None:
    mentor, other_mentor = UserFactory(), UserFactory()
    waiting = [_pending(mentor), _pending(mentor)]
    theirs = _pending(other_mentor, title="Someone else's")
    client.force_login(mentor)
    page = client.get(reverse("growth:goal-list")).content.decode()
    assert "2 goals wait for your approval" in page
    assert reverse("growth:goal-approvals") in page
    queue = client.get(reverse("growth:goal-approvals")).content.decode()
    assert all(goal.title in queue for goal in waiting)
    assert theirs.title not in queue
    client.force_login(UserFactory())
    assert "wait for your approval" not in client.get(reverse("growth:goal-list")).content.decode()


def test_approving_from_the_queue_comes_back_to_it_and_empties_it(client) -> None:
    mentor = UserFactory()
    goal = _pending(mentor)
    client.force_login(mentor)
    response = client.post(reverse("growth:goal-action", args=[goal.pk, "approve"]), {"next": "approvals"})
    assert response.status_code == 302
    assert response["Location"] == reverse("growth:goal-approvals")
    goal.refresh_from_db()
    assert goal.status == Goal.Status.ACTIVE
    assert goal.mentor_approved
    assert "No goal is waiting for your approval." in client.get(reverse("growth:goal-approvals")).content.decode()
    assert "wait for your approval" not in client.get(reverse("growth:goal-list")).content.decode()


def test_approval_queue_queries_do_not_grow_with_goals(client, count_queries) -> None:
    mentor = UserFactory()
    _pending(mentor)
    client.force_login(mentor)
    few = count_queries(lambda: client.get(reverse("growth:goal-approvals")))
    for _ in range(15):
        _pending(mentor)
    assert count_queries(lambda: client.get(reverse("growth:goal-approvals"))) == few
