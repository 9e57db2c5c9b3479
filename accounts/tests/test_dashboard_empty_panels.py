"""A newcomer's dashboard: every empty panel says what to do next and links there."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _panel(text: str, key: str) -> str:
    match = re.search(rf'<article class="panel" aria-labelledby="panel-{key}">(.*?)</article>', text, re.DOTALL)
    assert match, f"no {key} panel on the dashboard"
    return match.group(1)


@pytest.mark.parametrize(
    ("panel", "links"),
    [
        ("courses", [reverse("learning:course-list"), reverse("learning:assessment")]),
        ("upcoming-sessions", [reverse("mentorship:mentor-list")]),
        ("upcoming-events", [reverse("mentorship:event-list")]),
        ("habits-today", [reverse("growth:habit-start")]),
        ("streaks", [reverse("growth:habit-list")]),
        ("goals", [reverse("growth:goal-list") + "#new-goal"]),
        ("todos-due", [reverse("growth:todo-list") + "#todo-board"]),
        ("badges", [reverse("growth:habit-start")]),
    ],
)
def test_each_empty_panel_links_to_the_next_step(client, panel, links):
    client.force_login(UserFactory())
    text = _panel(client.get(reverse("dashboard")).content.decode(), panel)
    for link in links:
        assert f'href="{link}"' in text


def test_the_panels_link_where_they_point(client):
    client.force_login(UserFactory())
    text = client.get(reverse("dashboard")).content.decode()
    for link in ("#new-goal", "#todo-board"):
        page = reverse("growth:goal-list") if link == "#new-goal" else reverse("growth:todo-list")
        assert f'id="{link[1:]}"' in client.get(page).content.decode()
    assert 'href="/grow/habits/start/"' in text


def test_no_notifications_means_nothing_to_do(client):
    client.force_login(UserFactory())
    text = _panel(client.get(reverse("dashboard")).content.decode(), "notifications")
    assert "You are all caught up" in text


def test_the_therapy_panel_points_to_the_therapist_directory():
    text = render_to_string("therapy/panels/therapy.html", {"panel": {"unread": 0, "pending_requests": 0}})
    assert f'href="{reverse("therapy:therapist-list")}"' in text
