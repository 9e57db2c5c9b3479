"""Admin actions of growth call the services on the owner's behalf: pause and resume habits,
archive goals; refusals are reported, nothing else changes."""

import pytest

from accounts.tests.factories import AdminFactory
from growth.models import Goal, Habit, HabitPause
from growth.tests.factories import GoalFactory, HabitFactory

pytestmark = pytest.mark.django_db

HABITS = "/admin/growth/habit/"
GOALS = "/admin/growth/goal/"


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def test_pause_and_resume_habits_through_the_services(admin_client) -> None:
    active, paused = HabitFactory(), HabitFactory(status=Habit.Status.PAUSED)
    response = admin_client.post(
        HABITS, {"action": "pause_habits", "_selected_action": [active.pk, paused.pk]}, follow=True
    )
    page = response.content.decode()
    assert "1 done." in page
    assert "Only an active habit can be paused." in page
    assert Habit.objects.get(pk=active.pk).status == Habit.Status.PAUSED
    assert HabitPause.objects.filter(habit=active, ended_on__isnull=True).count() == 1

    admin_client.post(HABITS, {"action": "resume_habits", "_selected_action": [active.pk]})
    assert Habit.objects.get(pk=active.pk).status == Habit.Status.ACTIVE
    assert not HabitPause.objects.filter(habit=active, ended_on__isnull=True).exists()


def test_archive_goals_through_the_service(admin_client) -> None:
    draft, archived = GoalFactory(), GoalFactory(status=Goal.Status.ARCHIVED)
    response = admin_client.post(
        GOALS, {"action": "archive_goals", "_selected_action": [draft.pk, archived.pk]}, follow=True
    )
    assert "already archived" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.status_before_archive) == (Goal.Status.ARCHIVED, Goal.Status.DRAFT)
    assert admin_client.get(HABITS).status_code == 200
    assert admin_client.get(GOALS).status_code == 200
