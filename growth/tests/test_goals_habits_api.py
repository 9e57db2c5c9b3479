"""Goals and habits API: workflow, the mentor's approval and privacy, two-minute habits,
the completion window, stats, and constant query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from growth.models import Goal, HabitCompletion
from growth.notifications import GrowthNotification
from growth.services.habits import habit_complete, habit_create
from growth.streaks import habit_engine_recompute
from growth.tests.factories import GoalFactory, HabitFactory
from mentorship.selectors.sessions import session_list_for_user
from mentorship.tests.factories import MentorshipSessionFactory

pytestmark = pytest.mark.django_db

GOALS = "/api/v1/growth/goals/"
HABITS = "/api/v1/growth/habits/"


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def _mentor_of(mentee):
    """A mentor with a confirmed session with ``mentee``, at an hour of its own: a mentee's
    confirmed sessions never overlap (PostgreSQL enforces it)."""
    taken = session_list_for_user(user=mentee).count()
    start = (timezone.now() + timedelta(days=1, hours=2 * taken)).replace(minute=0, second=0, microsecond=0)
    return MentorshipSessionFactory(mentee=mentee, status="CONFIRMED", start_at=start).mentor


def test_goal_with_a_mentor_is_submitted_then_approved_by_that_mentor_only(user_client, user):
    mentor = _mentor_of(user)
    other_mentor = _mentor_of(user)
    created = user_client.post(
        GOALS, {"identity": "I want to become a runner who runs daily", "title": "Run", "mentor": str(mentor.pk)}
    )
    assert created.status_code == 201, created.json()
    goal_id = created.json()["id"]
    refused = user_client.post(f"{GOALS}{goal_id}/activate/")
    assert refused.status_code == 409
    assert "approval" in refused.json()["detail"]
    assert user_client.post(f"{GOALS}{goal_id}/submit/").json()["status"] == "pending_approval"
    assert notifications().filter(user=mentor, type=GrowthNotification.GOAL_APPROVAL_REQUESTED).count() == 1
    assert _client(other_mentor).post(f"{GOALS}{goal_id}/approve/").status_code == 404
    assert user_client.post(f"{GOALS}{goal_id}/approve/").status_code == 409
    queue = _client(mentor).get(GOALS, {"role": "mentor", "status": "pending_approval"}).json()
    assert [goal["id"] for goal in queue["results"]] == [goal_id]
    approved = _client(mentor).post(f"{GOALS}{goal_id}/approve/").json()
    assert approved["status"] == "active"
    assert approved["mentor_approved"] is True
    assert notifications().filter(user=user, type=GrowthNotification.GOAL_APPROVED).count() == 1


def test_mentor_must_be_someone_the_owner_works_with(user_client):
    stranger = UserFactory()
    response = user_client.post(GOALS, {"identity": "I want to become a…", "title": "T", "mentor": str(stranger.pk)})
    assert response.status_code == 400
    assert "work with" in str(response.json())
    assert not Goal.objects.exists()


def test_goal_without_mentor_is_activated_completed_and_never_deleted(user_client, user):
    goal_id = user_client.post(GOALS, {"identity": "I want to become a reader", "title": "Read"}).json()["id"]
    assert user_client.post(f"{GOALS}{goal_id}/submit/").status_code == 409
    assert user_client.post(f"{GOALS}{goal_id}/activate/").json()["status"] == "active"
    assert user_client.post(f"{GOALS}{goal_id}/complete/").json()["status"] == "completed"
    assert user_client.delete(f"{GOALS}{goal_id}/").status_code == 204
    goal = Goal.objects.get(pk=goal_id)
    assert goal.status == "archived"
    assert goal.status_before_archive == "completed"
    assert user_client.post(f"{GOALS}{goal_id}/archive/").status_code == 409


def test_goals_mentor_reads_that_goal_and_its_habits_but_not_the_owners_other_goals(user):
    mentor = _mentor_of(user)
    mentored = GoalFactory(user=user, mentor=mentor)
    private = GoalFactory(user=user)
    mentored_habit = HabitFactory(goal=mentored)
    private_habit = HabitFactory(goal=private)
    client = _client(mentor)
    assert client.get(f"{GOALS}{mentored.pk}/").status_code == 200
    assert client.get(f"{HABITS}{mentored_habit.pk}/").status_code == 200
    assert client.get(f"{GOALS}{private.pk}/").status_code == 404
    assert client.get(f"{HABITS}{private_habit.pk}/").status_code == 404
    assert client.get(f"{HABITS}{private_habit.pk}/stats/").status_code == 404
    assert [h["id"] for h in client.get(HABITS).json()["results"]] == [str(mentored_habit.pk)]
    # Reading is not writing.
    assert client.post(f"{HABITS}{mentored_habit.pk}/complete/").status_code == 409
    assert _client(UserFactory()).get(f"{GOALS}{mentored.pk}/").status_code == 404


def test_a_habit_longer_than_two_minutes_is_refused_with_the_two_minute_message(user_client, user):
    goal = GoalFactory(user=user)
    response = user_client.post(HABITS, {"goal": str(goal.pk), "title": "Read a chapter", "duration_minutes": 20})
    assert response.status_code == 400
    assert "Make it a two-minute habit" in str(response.json())
    created = user_client.post(
        HABITS,
        {"goal": str(goal.pk), "title": "Read a page", "duration_minutes": 2, "cue": {"time": "after coffee"}},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["cue"]["time"] == "after coffee"


def test_complete_is_idempotent_backfills_7_days_never_the_future_and_undoes(user_client, user):
    ten_days_ago = timezone.now() - timedelta(days=10)
    habit = habit_create(user=user, goal=GoalFactory(user=user), title="Stretch", now=ten_days_ago)
    url = f"{HABITS}{habit.pk}/"
    today = timezone.now().date()
    assert user_client.post(f"{url}complete/", {"notes": "easy"}).status_code == 201
    assert user_client.post(f"{url}complete/").status_code == 200
    assert HabitCompletion.objects.filter(habit=habit).count() == 1
    future = user_client.post(f"{url}complete/", {"date": str(today + timedelta(days=1))})
    assert future.status_code == 400
    assert "not come yet" in str(future.json())
    assert user_client.post(f"{url}complete/", {"date": str(today - timedelta(days=8))}).status_code == 400
    assert user_client.post(f"{url}complete/", {"date": str(today - timedelta(days=1))}).status_code == 201
    stats = user_client.get(f"{url}stats/").json()
    assert stats["current_streak"] == 2
    assert stats["longest_streak"] == 2
    assert len(stats["heatmap"]) == 53 * 7
    assert user_client.post(f"{url}uncomplete/", {"date": str(today - timedelta(days=1))}).json()["current_streak"] == 1
    assert user_client.get(f"{url}completions/").json()["count"] == 1


def test_pause_then_complete_is_refused_and_resume_allows_it(user_client, user):
    habit = HabitFactory(user=user, goal=GoalFactory(user=user))
    url = f"{HABITS}{habit.pk}/"
    assert user_client.post(f"{url}pause/").json()["status"] == "paused"
    assert user_client.post(f"{url}complete/").status_code == 409
    assert user_client.post(f"{url}resume/").json()["status"] == "active"
    assert user_client.post(f"{url}complete/").status_code == 201
    assert user_client.post(f"{url}finish/").json()["status"] == "completed"


def _history(user, *, habits: int, days: int, every: int = 2, first: int = 0, started: int = 3 * 365) -> None:
    """``habits`` daily habits of ``user`` started ``started`` days ago, each ticked every other
    day (or ``every`` days) of the last ``days`` days, from ``first`` days back (bulk_create,
    one recompute each)."""
    today = timezone.now().date()
    goal = GoalFactory(user=user)
    for _ in range(habits):
        habit = HabitFactory(goal=goal, user=user, start_period=today - timedelta(days=started), seen_through=today)
        HabitCompletion.objects.bulk_create(
            HabitCompletion(habit=habit, user=user, period=today - timedelta(days=back))
            for back in range(first, days + first, every)
        )
        habit_engine_recompute(habit=habit, today=today)


@pytest.mark.parametrize("path", ["", "{habit}/stats/", "{habit}/completions/"])
def test_habit_list_stats_and_completions_queries_do_not_grow(path, count_queries):
    small, large = UserFactory(), UserFactory()
    _history(small, habits=1, days=2)
    _history(large, habits=20, days=3 * 365)

    def run(user):
        habit = user.habits.first()
        return count_queries(lambda: _client(user).get(HABITS + path.format(habit=habit.pk)))

    assert run(small) == run(large)


def test_goal_list_queries_do_not_grow(count_queries):
    small, large = UserFactory(), UserFactory()
    GoalFactory(user=small)
    GoalFactory.create_batch(15, user=large)
    assert count_queries(lambda: _client(small).get(GOALS)) == count_queries(lambda: _client(large).get(GOALS))


def test_saving_a_completion_costs_the_same_with_three_years_of_history():
    """Ticking today after a ticked yesterday: one day of history or three years of it."""
    counts = []
    for days in (1, 1, 3 * 365):  # the first run warms per-process caches (content types)
        user = UserFactory()
        _history(user, habits=1, days=days, every=1, first=1, started=days)
        habit = user.habits.get()
        with CaptureQueriesContext(connection) as captured:
            habit_complete(habit=habit, user=user)
        counts.append(len(captured))
        habit.refresh_from_db()
        assert habit.current_streak == days + 1
    assert counts[1] == counts[2]
