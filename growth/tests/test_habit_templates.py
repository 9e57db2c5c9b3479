"""A first two-minute habit from a template (the welcome's first step for "build better
habits"): the service and the page."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.errors import ApplicationError
from growth.habit_templates import HABIT_TEMPLATES
from growth.models import Goal, Habit
from growth.services.habits import habit_start_from_template

pytestmark = pytest.mark.django_db

START = "/grow/habits/start/"


def test_templates_are_two_minute_habits_with_distinct_keys():
    assert len({template.key for template in HABIT_TEMPLATES}) == len(HABIT_TEMPLATES) >= 4
    assert all(str(template.title) and str(template.identity) for template in HABIT_TEMPLATES)


def test_starting_a_template_makes_an_active_goal_and_its_habit():
    user = UserFactory()
    template = HABIT_TEMPLATES[0]
    habit = habit_start_from_template(user=user, template_key=template.key)
    assert (habit.user, habit.title, habit.duration_minutes, habit.status) == (
        user,
        str(template.title),
        2,
        Habit.Status.ACTIVE,
    )
    assert habit.cue_time == str(template.cue_time)
    assert (habit.goal.user, habit.goal.identity, habit.goal.status) == (
        user,
        str(template.identity),
        Goal.Status.ACTIVE,
    )


def test_starting_the_same_template_again_returns_the_live_habit():
    user = UserFactory()
    first = habit_start_from_template(user=user, template_key="stretch")
    assert habit_start_from_template(user=user, template_key="stretch") == first
    assert Habit.objects.filter(user=user).count() == 1
    assert Goal.objects.filter(user=user).count() == 1


def test_an_unknown_template_is_refused_and_saves_nothing():
    user = UserFactory()
    with pytest.raises(ApplicationError, match="no such habit"):
        habit_start_from_template(user=user, template_key="fly")
    assert not Goal.objects.filter(user=user).exists()


def test_the_page_lists_the_templates_and_starts_one(client):
    user = UserFactory()
    client.force_login(user)
    text = client.get(START).content.decode()
    for template in HABIT_TEMPLATES:
        assert str(template.title) in text
        assert f'value="{template.key}"' in text
    response = client.post(START, {"template": "read-one-page"})
    habit = Habit.objects.get(user=user)
    assert response["Location"] == reverse("growth:habit-detail", kwargs={"pk": habit.pk})


def test_the_page_refuses_an_unknown_template_with_a_message(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(START, {"template": "fly"})
    assert response.status_code == 400
    assert "no such habit" in response.content.decode()
    assert not Habit.objects.filter(user=user).exists()


def test_the_page_needs_a_sign_in(client):
    assert client.get(START)["Location"].startswith(reverse("account_login"))
