"""Every serializer with the fast representation (core/api/fast.py) gives exactly DRF's
output for the demo data, and public list pages come from the cache only while their data
is unchanged (core/api/caching.py)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from accounts.demo.seed import DEMO_USERS
from accounts.models import User
from core.api.fast import FastRepresentationMixin
from growth.api.common import GoalBriefSerializer
from growth.api.habits import HabitSerializer
from growth.models import Goal, Habit
from learning.api.catalog import CategoryRefSerializer, CourseDetailSerializer, CourseSerializer
from learning.models import Category
from learning.selectors.catalog import course_list_visible
from mentorship.api.mentors import MentorSerializer, OwnMentorProfileSerializer
from mentorship.selectors.profiles import mentor_queryset_verified

pytestmark = pytest.mark.django_db


def _learner() -> User:
    return User.objects.get(email=next(demo.email for demo in DEMO_USERS if demo.role == "learner"))


# Each serializer with the fast path and where its objects come from (the list's queryset).
SOURCES: dict[type[serializers.Serializer], Callable[[], Any]] = {
    CourseSerializer: lambda: course_list_visible(user=_learner()),
    CourseDetailSerializer: lambda: course_list_visible(user=_learner())[:3],
    CategoryRefSerializer: Category.objects.all,
    MentorSerializer: mentor_queryset_verified,
    OwnMentorProfileSerializer: mentor_queryset_verified,
    HabitSerializer: lambda: Habit.objects.select_related("goal", "user"),
    GoalBriefSerializer: Goal.objects.all,
}


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_fast_serializer_is_checked() -> None:
    assert _subclasses(FastRepresentationMixin) <= set(SOURCES)


def test_fast_representation_equals_drfs(seeded_demo) -> None:
    """The session's one demo seeding for every serializer (seeding is the slow part)."""
    request = Request(APIRequestFactory().get("/"))
    request.user = _learner()
    for serializer_class, source in SOURCES.items():
        objects = list(source())
        assert objects, f"the demo data has rows for {serializer_class.__name__}"
        for obj in objects:
            serializer = serializer_class(context={"request": request})
            fast = serializer.to_representation(obj)
            assert fast == serializers.ModelSerializer.to_representation(serializer, obj), serializer_class.__name__


def test_the_catalog_page_is_served_from_the_cache_until_it_changes(api_client) -> None:
    from learning.tests.factories import CourseFactory, ReviewFactory

    course = CourseFactory(published=True)
    first = api_client.get("/api/v1/learning/courses/")
    assert first.json()["results"][0]["review_count"] == 0
    with CaptureQueriesContext(connection) as queries:
        again = api_client.get("/api/v1/learning/courses/")
    assert again.json() == first.json()
    assert not [q for q in queries.captured_queries if "learning_course" in q["sql"]]

    ReviewFactory(course=course)
    assert api_client.get("/api/v1/learning/courses/").json()["results"][0]["review_count"] == 1
    draft = CourseFactory(published=False)
    assert draft.slug not in str(api_client.get("/api/v1/learning/courses/").json())


def test_staff_and_members_get_their_own_cached_catalog(api_client) -> None:
    from accounts.tests.factories import UserFactory
    from learning.tests.factories import CourseFactory

    draft = CourseFactory(published=False)
    assert draft.slug not in str(api_client.get("/api/v1/learning/courses/").json())
    api_client.force_authenticate(UserFactory(is_staff=True))
    assert draft.slug in str(api_client.get("/api/v1/learning/courses/").json())
    api_client.force_authenticate(UserFactory())
    assert draft.slug not in str(api_client.get("/api/v1/learning/courses/").json())


def test_the_mentor_directory_changes_when_a_mentor_is_verified(api_client) -> None:
    from mentorship.models import MentorProfile
    from mentorship.services.profiles import mentor_verify
    from mentorship.tests.factories import MentorProfileFactory

    pending = MentorProfileFactory(status=MentorProfile.Status.PENDING)
    assert str(pending.user_id) not in str(api_client.get("/api/v1/mentorship/mentors/").json())
    from accounts.tests.factories import UserFactory

    mentor_verify(profile=pending, staff=UserFactory(is_staff=True))
    assert str(pending.user_id) in str(api_client.get("/api/v1/mentorship/mentors/").json())


def test_a_persons_cached_habit_list_follows_every_change_and_a_removed_mentor_loses_it_at_once() -> None:
    from rest_framework.test import APIClient

    from accounts.tests.factories import UserFactory
    from growth.services.goals import goal_update
    from growth.services.habits import habit_complete
    from growth.tests.factories import GoalFactory, HabitFactory

    owner, mentor = UserFactory(), UserFactory()
    goal = GoalFactory(user=owner, mentor=mentor)
    habit = HabitFactory(goal=goal, user=owner)
    owner_client, mentor_client = APIClient(), APIClient()
    owner_client.force_authenticate(owner)
    mentor_client.force_authenticate(mentor)

    def streak() -> int:
        return owner_client.get("/api/v1/growth/habits/").json()["results"][0]["current_streak"]

    assert streak() == 0
    assert streak() == 0  # from the cache
    habit_complete(habit=habit, user=owner)
    assert streak() == 1
    assert [row["id"] for row in mentor_client.get("/api/v1/growth/habits/").json()["results"]] == [str(habit.pk)]
    goal_update(goal=goal, user=owner, data={"mentor": None})
    assert mentor_client.get("/api/v1/growth/habits/").json()["results"] == []


@pytest.mark.parametrize("query", ["?search=a b", "?search=%00", "?page=2", "?search=" + "x" * 300])
def test_any_query_string_makes_a_valid_cache_key(client, query: str) -> None:
    """Keys hold a hash of the URL: spaces, control characters or a long query (which some
    cache backends refuse in a key) cannot break a public list."""
    for path in ("/api/v1/learning/courses/", "/api/v1/mentorship/mentors/"):
        assert client.get(path + query).status_code in (200, 400, 404)
