"""The mentor directory's cached listing (page) and list (API): whatever changes what they
show reaches them at once, a ``like_me`` list (the viewer's own ethnicity) is never kept,
and the queries stay the same however many mentors there are."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.api.caching import list_cache_bump
from learning.tests.factories import CategoryFactory
from mentorship.services.ratings import MENTORS_LIST_NAMESPACE, mentor_stats_refresh
from mentorship.tests.factories import MentorProfileFactory, SessionFeedbackFactory

pytestmark = pytest.mark.django_db

LIST = reverse("mentorship:mentor-list")
API = "/api/v1/mentorship/mentors/"


def _page(client) -> str:
    return client.get(LIST).content.decode()


def _api_names(api_client) -> list[str]:
    return [row["name"] for row in api_client.get(API).json()["results"]]


def test_the_cached_listing_shows_each_change_of_what_it_shows(client, api_client):
    category = CategoryFactory(name="Sound Design")
    profile = MentorProfileFactory(headline="Mixing nights", categories=[category])
    mentor = profile.user
    mentor.first_name, mentor.last_name = "Ada", "Byron"
    mentor.save()
    assert "Mixing nights" in _page(client)
    assert _api_names(api_client) == ["Ada Byron"]

    profile.headline = "Mastering mornings"
    profile.save()
    assert "Mastering mornings" in _page(client)

    mentor.first_name = "Augusta"
    mentor.save(update_fields=["first_name"])  # the name, through the user
    assert "Augusta Byron" in _page(client)
    assert _api_names(api_client) == ["Augusta Byron"]

    category.name = "Sound Art"
    category.save()
    assert "Sound Art" in _page(client)

    SessionFeedbackFactory(session__mentor=mentor, rating=5)
    mentor_stats_refresh(mentor_id=mentor.pk)  # written by UPDATE: bumps the directory itself
    assert "Rated 5.0 / 5 (1 rating from 1 session)" in _page(client)

    mentor.is_active = False
    mentor.save(update_fields=["is_active"])
    assert "Augusta Byron" not in _page(client)
    assert _api_names(api_client) == []


def test_signing_in_does_not_empty_the_cache(client, count_queries, django_assert_num_queries):
    """A save of the user that changes nothing the directory shows (``last_login``) keeps it."""
    profile = MentorProfileFactory()
    kept = count_queries(lambda: client.get(LIST))
    profile.user.save(update_fields=["last_login"])
    with django_assert_num_queries(kept):
        client.get(LIST)


@pytest.mark.parametrize("value", ["true", "True", "2"])
def test_a_like_me_list_is_never_kept_for_another_viewer(client, api_client, value):
    """Every value the filter reads as "like me" (its widget takes ``2`` too) is a list of
    the viewer's own: never kept for the next viewer, signed in or not, page or API."""
    MentorProfileFactory(headline="From Lagos", ethnicity="Yoruba")
    MentorProfileFactory(headline="From Dublin", ethnicity="Irish")
    first_viewer = UserFactory(ethnicity="yoruba")
    client.force_login(first_viewer)
    first = client.get(LIST, {"like_me": value}).content.decode()
    assert "From Lagos" in first
    assert "From Dublin" not in first
    api_client.force_authenticate(first_viewer)
    assert [row["headline"] for row in api_client.get(API, {"like_me": value}).json()["results"]] == ["From Lagos"]
    client.force_login(UserFactory(ethnicity="irish"))
    second = client.get(LIST, {"like_me": value}).content.decode()
    assert "From Dublin" in second
    assert "From Lagos" not in second
    client.logout()
    anonymous = client.get(LIST, {"like_me": value}).content.decode()
    assert "From Lagos" in anonymous
    assert "From Dublin" in anonymous  # the unfiltered list, with a message
    api_client.force_authenticate(None)
    assert api_client.get(API, {"like_me": value}).status_code == 400


def test_the_listing_queries_do_not_grow_and_a_kept_one_costs_four_fewer(client, count_queries):
    category = CategoryFactory()
    MentorProfileFactory(categories=[category])

    def fresh():
        list_cache_bump(MENTORS_LIST_NAMESPACE)  # computed, not kept
        return client.get(LIST)

    few = count_queries(fresh)
    kept = count_queries(lambda: client.get(LIST))
    for _ in range(6):
        MentorProfileFactory(categories=[category, CategoryFactory()])
    assert count_queries(fresh) == few
    assert count_queries(lambda: client.get(LIST)) == kept
    assert kept == few - 4  # the count, the mentors and their categories and subcategories


def test_a_scale_data_set_inserted_in_bulk_is_never_hidden_by_a_cached_directory(client, api_client):
    """``seed_scale`` inserts without signals (the benchmark builds its second size with the
    same Redis): it bumps the directory itself."""
    assert "No mentors are listed yet." in _page(client)
    assert _api_names(api_client) == []
    call_command("seed_scale", factor=0.002, verbosity=0)
    assert "Mentor 0 — practical guidance" in _page(client)
    assert _api_names(api_client)
