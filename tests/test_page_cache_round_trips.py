"""A kept page costs one round trip to the cache: the catalog page's listing
(learning.views.catalog) and the habit list's content (growth.caching.person_fragment) are
read together with the version of the data behind them, and a change of that data is seen
at once although the listing's key stays the same (issue 20).

The cache here is Django's memory cache keeping a log of what its callers read — each call
being one round trip to Redis in production. The habit list also masks its CSRF token once
for the kept rows and the layout."""

import re
from typing import Any, ClassVar

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.middleware.csrf import _unmask_cipher_token, rotate_token
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from growth.caching import request_csrf_token
from growth.models import Goal, Habit, HabitCompletion
from growth.services.habits import habit_complete, habit_create, habit_pause
from growth.tests.factories import GoalFactory
from learning.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

CATALOG = reverse("learning:course-list")
HABITS = reverse("growth:habit-list")


class ReadLog(LocMemCache):
    """A memory cache logging each read its callers make, with the keys read (not the reads
    one of Django's own methods makes for another: ``get_many`` reads key by key)."""

    reads: ClassVar[list[tuple[str, tuple[str, ...]]]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._depth = 0

    def _logged(self, name: str, keys: tuple[str, ...], read: Any) -> Any:
        if not self._depth:
            self.reads.append((name, keys))
        self._depth += 1
        try:
            return read()
        finally:
            self._depth -= 1

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._logged("get", (key,), lambda: super(ReadLog, self).get(key, default, version))

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        keys = tuple(keys)
        return self._logged("get_many", keys, lambda: super(ReadLog, self).get_many(keys, version))

    def get_or_set(self, key: str, default: Any, timeout: Any = None, version: int | None = None) -> Any:
        return self._logged(
            "get_or_set", (key,), lambda: super(ReadLog, self).get_or_set(key, default, timeout, version)
        )


@pytest.fixture
def read_log(settings) -> list[tuple[str, tuple[str, ...]]]:
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.ReadLog", "LOCATION": "round-trips"}}
    cache.clear()
    ReadLog.reads.clear()
    return ReadLog.reads


def _reads_of(log: list[tuple[str, tuple[str, ...]]], *prefixes: str) -> list[str]:
    """The reads (by method) that touched a key starting with one of ``prefixes``."""
    return [name for name, keys in log if any(key.startswith(prefixes) for key in keys)]


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_kept_catalog_listing_is_read_with_the_catalogs_version_in_one_round_trip(client, read_log):
    course = CourseFactory(title="Beat making")
    client.force_login(UserFactory())
    _page(client, CATALOG)  # renders and keeps the listing
    read_log.clear()
    assert "Beat making" in _page(client, CATALOG)
    assert _reads_of(read_log, "list-version:catalog", "catalog-page:") == ["get_many"]

    course.title = "Beat making, revised"
    course.save()  # bumps the catalog's version: the kept listing is stale under the same key
    page = _page(client, CATALOG)
    assert "Beat making, revised" in page


def _start(user, title: str) -> Habit:
    goal = GoalFactory(user=user, status=Goal.Status.ACTIVE)
    return habit_create(user=user, goal=goal, title=title)


def test_a_kept_habit_list_is_read_with_the_persons_version_in_one_round_trip(client, read_log):
    user = UserFactory()
    habit = _start(user, "Read one page")
    client.force_login(user)
    _page(client, HABITS)  # renders and keeps the content
    read_log.clear()
    assert "Tick “Read one page” off" in _page(client, HABITS)
    assert _reads_of(read_log, f"list-version:habits:{user.pk}", "growth-fragment:") == ["get_many"]

    habit_complete(habit=habit, user=user)  # bumps the person's version
    assert "Undo today's tick of “Read one page”" in _page(client, HABITS)


def test_the_kept_habit_list_shows_the_filter_of_its_own_address(client):
    """The heading and the status filters are kept with the rows, per address: each shows
    the status it lists as the current one, and an edit shows under every filter."""
    user = UserFactory()
    habit = _start(user, "Read one page")
    client.force_login(user)
    everything = f'<a href="{HABITS}" aria-current="page">All</a>'
    paused = '<a href="?status=paused" aria-current="page">Paused</a>'
    for _ in range(2):  # rendered, then kept
        page = _page(client, HABITS)
        assert everything in page
        assert paused not in page
        page = _page(client, f"{HABITS}?status=paused")
        assert paused in page
        assert everything not in page
        assert "No habit with this status." in page

    habit_pause(habit=habit, user=user)
    page = _page(client, f"{HABITS}?status=paused")
    assert paused in page
    assert "Read one page" in page
    assert "No habit with this status." not in page


def test_the_habit_list_and_its_layout_carry_one_csrf_token_valid_for_the_session():
    user = UserFactory()
    habit = _start(user, "Read one page")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    _page(browser, HABITS)  # renders and keeps the rows
    page = _page(browser, HABITS)  # the kept rows
    in_forms = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    in_layout = re.findall(r'"X-CSRFToken": "([^"]+)"', page)
    assert in_forms
    assert in_layout
    assert len(set(in_forms + in_layout)) == 1  # masked once for the whole page
    tick = reverse("growth:habit-tick", kwargs={"pk": habit.pk})
    answer = browser.post(tick, {"done": "1", "csrfmiddlewaretoken": in_forms[0], "next": HABITS})
    assert answer.status_code == 302
    assert HabitCompletion.objects.filter(habit=habit).count() == 1


def test_a_requests_csrf_token_is_masked_once_and_follows_a_rotated_secret(rf):
    request = rf.get(HABITS)
    first = request_csrf_token(request)
    assert request_csrf_token(request) == first
    rotate_token(request)  # as signing in does
    after = request_csrf_token(request)
    assert after != first
    assert _unmask_cipher_token(after) == request.META["CSRF_COOKIE"]
