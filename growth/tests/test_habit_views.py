"""Habit pages and growth's habit panels: the list, the form (two-minute rule as a form error),
the habit's page with its year heatmap, back-fill and pause / resume / finish, ticking with
HTMX and with a plain POST, privacy (404) and constant query counts for 20 habits × three
years of completions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from growth.models import Goal, Habit, HabitCompletion
from growth.streaks import habit_engine_recompute
from growth.tests.factories import GoalFactory, HabitFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _history(user, *, habits: int, days: int) -> list[Habit]:
    """``habits`` habits of an active goal, started ``days`` ago, done every day but every
    fifth (bulk), with the engine's fields recomputed."""
    today = timezone.now().date()
    start = today - timedelta(days=days - 1)
    goal = GoalFactory(user=user, status=Goal.Status.ACTIVE)
    created = [HabitFactory(goal=goal, start_period=start, seen_through=start) for _ in range(habits)]
    HabitCompletion.objects.bulk_create(
        [
            HabitCompletion(habit=habit, user=user, period=start + timedelta(days=offset))
            for habit in created
            for offset in range(days)
            if offset % 5 != 4
        ],
        batch_size=2000,
    )
    for habit in created:
        habit_engine_recompute(habit=habit, today=today)
    return created


def test_list_dashboard_and_heatmap_queries_do_not_grow_with_habits_or_history(client, count_queries) -> None:
    few_user, many_user = UserFactory(), UserFactory()
    few = _history(few_user, habits=1, days=5)
    many = _history(many_user, habits=20, days=3 * 365)
    assert HabitCompletion.objects.filter(user=many_user).count() == 20 * 876

    def counts(user, habit) -> tuple[int, ...]:
        client.force_login(user)
        return tuple(
            count_queries(lambda url=url: client.get(url))
            for url in (
                reverse("growth:habit-list"),
                reverse("dashboard"),
                reverse("growth:habit-detail", kwargs={"pk": habit.pk}),
            )
        )

    assert counts(few_user, few[0]) == counts(many_user, many[0])
    page = client.get(reverse("growth:habit-list")).content.decode()
    assert page.count("Tick “") == 20
    detail = client.get(reverse("growth:habit-detail", kwargs={"pk": many[0].pk})).content.decode()
    assert 'role="img"' in detail
    assert "Year heatmap of “" in detail
    assert "heat-4" in detail  # streaks of four days show in the darkest class
    assert '<th scope="row">' in detail  # the month-by-month text alternative


def test_form_refuses_a_long_habit_with_the_two_minute_message_and_keeps_the_input(client, user) -> None:
    client.force_login(user)
    goal = GoalFactory(user=user, status=Goal.Status.ACTIVE)
    data = {
        "goal": goal.pk,
        "title": "Meditate",
        "frequency": "daily",
        "duration_minutes": 10,
        "cue_time": "after coffee",
        "cue_place": "on the balcony",
        "reward": "a deep breath",
    }
    response = client.post(reverse("growth:habit-create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Make it a two-minute habit" in page
    assert "on the balcony" in page
    assert not Habit.objects.exists()

    response = client.post(reverse("growth:habit-create"), {**data, "duration_minutes": 2})
    habit = Habit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("growth:habit-detail", kwargs={"pk": habit.pk})
    assert (habit.cue_time, habit.cue_place, habit.reward) == ("after coffee", "on the balcony", "a deep breath")
    assert client.get(reverse("growth:habit-create") + f"?goal={goal.pk}").status_code == 200


def test_tick_and_untick_with_htmx_and_with_a_plain_post(client, user) -> None:
    client.force_login(user)
    habit = HabitFactory(goal__user=user, title="Stretch")
    url = reverse("growth:habit-tick", kwargs={"pk": habit.pk})

    fragment = client.post(url, {"done": "1"}, **HTMX).content.decode()
    assert f'id="habit-today-{habit.pk}"' in fragment
    assert "1 day in a row" in fragment
    assert "Undo today's tick of “Stretch”" in fragment
    assert HabitCompletion.objects.filter(habit=habit).count() == 1
    assert client.post(url, {"done": "1"}, **HTMX).status_code == 200  # idempotent
    assert HabitCompletion.objects.filter(habit=habit).count() == 1

    response = client.post(url, {"done": "0", "next": reverse("dashboard")})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert not HabitCompletion.objects.filter(habit=habit).exists()
    assert "Tick “Stretch” off" in client.get(reverse("dashboard")).content.decode()

    response = client.post(url, {"done": "1", "next": "https://evil.example/"})
    assert response["Location"] == reverse("growth:habit-detail", kwargs={"pk": habit.pk})
    habit.refresh_from_db()
    assert habit.current_streak == 1

    future = (timezone.now().date() + timedelta(days=2)).isoformat()
    fragment = client.post(url, {"done": "1", "date": future}, **HTMX).content.decode()
    assert 'role="alert"' in fragment
    assert "That day has not come yet" in fragment


def test_backfill_within_seven_days_with_notes_errors_keep_what_was_typed(client, user) -> None:
    client.force_login(user)
    today = timezone.now().date()
    start = today - timedelta(days=20)
    habit = HabitFactory(goal__user=user, start_period=start, seen_through=start)
    url = reverse("growth:habit-backfill", kwargs={"pk": habit.pk})

    response = client.post(url, {"date": (today - timedelta(days=8)).isoformat(), "notes": "Long walk"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "up to 7 days back" in page
    assert "Long walk" in page
    response = client.post(url, {"date": (today + timedelta(days=1)).isoformat(), "notes": "x"})
    assert response.status_code == 400
    assert not HabitCompletion.objects.exists()

    response = client.post(url, {"date": (today - timedelta(days=2)).isoformat(), "notes": "Long walk"})
    assert response.status_code == 302
    completion = HabitCompletion.objects.get()
    assert (completion.period, completion.notes) == (today - timedelta(days=2), "Long walk")
    detail = client.get(reverse("growth:habit-detail", kwargs={"pk": habit.pk})).content.decode()
    assert "Long walk" in detail
    assert "Undo the tick of" in detail


def test_pause_resume_finish_and_edit_through_the_services(client, user) -> None:
    client.force_login(user)
    habit = HabitFactory(goal__user=user, goal__status=Goal.Status.ACTIVE)
    action = lambda name: client.post(reverse("growth:habit-action", kwargs={"pk": habit.pk, "action": name}))  # noqa: E731
    assert action("pause").status_code == 302
    assert Habit.objects.get(pk=habit.pk).status == Habit.Status.PAUSED
    detail = client.get(reverse("growth:habit-detail", kwargs={"pk": habit.pk})).content.decode()
    assert "Resume" in detail
    assert "Tick “" not in detail
    action("resume")
    assert Habit.objects.get(pk=habit.pk).status == Habit.Status.ACTIVE
    client.post(reverse("growth:habit-tick", kwargs={"pk": habit.pk}), {"done": "1"})

    edit = reverse("growth:habit-edit", kwargs={"pk": habit.pk})
    data = {"goal": habit.goal_id, "title": "Two push-ups", "frequency": "weekly", "duration_minutes": 1}
    response = client.post(edit, data)
    assert response.status_code == 400
    assert "The frequency is fixed" in response.content.decode()
    assert client.post(edit, {**data, "frequency": "daily"}).status_code == 302
    assert Habit.objects.get(pk=habit.pk).title == "Two push-ups"

    action("finish")
    assert Habit.objects.get(pk=habit.pk).status == Habit.Status.COMPLETED
    response = client.post(reverse("growth:habit-action", kwargs={"pk": habit.pk, "action": "finish"}), follow=True)
    assert "already completed" in response.content.decode()


def test_others_habits_are_404_and_the_goals_mentor_only_reads(client, user) -> None:
    mentor = UserFactory()
    habit = HabitFactory(goal__user=user, goal__mentor=mentor, title="Sketch")
    other = HabitFactory(title="Private")
    client.force_login(user)
    for name in ("growth:habit-detail", "growth:habit-edit"):
        assert client.get(reverse(name, kwargs={"pk": other.pk})).status_code == 404
    assert client.post(reverse("growth:habit-tick", kwargs={"pk": other.pk}), {"done": "1"}).status_code == 404
    assert client.post(reverse("growth:habit-action", kwargs={"pk": other.pk, "action": "pause"})).status_code == 404
    assert not HabitCompletion.objects.filter(habit=other).exists()

    client.force_login(mentor)
    page = client.get(reverse("growth:habit-detail", kwargs={"pk": habit.pk})).content.decode()
    assert "Year heatmap of “Sketch”" in page
    assert "Tick “" not in page
    assert "Pause" not in page
    assert client.post(reverse("growth:habit-tick", kwargs={"pk": habit.pk}), {"done": "1"}).status_code == 404
    goal_page = client.get(reverse("growth:goal-detail", kwargs={"pk": habit.goal_id})).content.decode()
    assert reverse("growth:habit-detail", kwargs={"pk": habit.pk}) in goal_page


def test_dashboard_panels_show_todays_habits_streaks_and_goals(client, user) -> None:
    client.force_login(user)
    _history(user, habits=2, days=9)  # the 9th day (today) is done: a streak of 4
    Goal.objects.filter(user=user).update(title="Become a painter")
    page = client.get(reverse("dashboard")).content.decode()
    assert "Today&#x27;s habits" in page or "Today's habits" in page
    assert "4 days in a row" in page
    assert 'class="flame flame-2"' in page
    assert "Become a painter" in page
    assert "<progress" in page
    assert reverse("growth:habit-list") in page
    assert reverse("growth:goal-list") in page
