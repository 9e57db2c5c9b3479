"""Suggested mentors: the selector's ranking and reasons, the directory and the API."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from learning.services.pathways import pathway_create
from learning.tests.factories import CategoryFactory, SubcategoryFactory
from mentorship.models import MentorProfile
from mentorship.selectors.suggestions import mentor_suggestions_for_user
from mentorship.services.profiles import mentee_languages_set, user_categories_set
from mentorship.tests.factories import MentorProfileFactory

pytestmark = pytest.mark.django_db

SUGGESTED_URL = "/api/v1/mentorship/mentors/suggested/"


@pytest.fixture
def music():
    category = CategoryFactory(name="Music")
    return category, SubcategoryFactory(name="Producer", parent=category)


@pytest.fixture
def mentee(music):
    _, producer = music
    user = UserFactory(location="Berlin, Germany", interests=["Music production"], skills=["Piano"])
    pathway_create(user=user, subcategory=producer)
    mentee_languages_set(user=user, languages=["German", "English", " german "])
    return user


def _mentor(**kwargs):
    categories = kwargs.pop("categories", [])
    subcategories = kwargs.pop("subcategories", [])
    return MentorProfileFactory(categories=categories, subcategories=subcategories, **kwargs)


def test_mentors_are_ranked_by_what_they_share_and_say_why(mentee, music):
    category, producer = music
    best = _mentor(
        categories=[category],
        subcategories=[producer],
        location="Berlin, Germany",
        expertise=["Music production", "Mixing"],
        languages=["German", "English"],
    )
    same_category = _mentor(categories=[category], location="Atlanta, GA", languages=["English"])
    same_city = _mentor(categories=[CategoryFactory()], location="Berlin", languages=["French"])
    _mentor(categories=[CategoryFactory()], location="Tokyo, Japan", languages=["German"])  # shares no area nor city
    _mentor(categories=[category], location="Berlin, Germany", status=MentorProfile.Status.PENDING)
    _mentor(user=mentee, categories=[category], location="Berlin, Germany")  # the mentee mentors too

    suggestions = mentor_suggestions_for_user(user=mentee)

    assert [suggestion.profile for suggestion in suggestions] == [best, same_category, same_city]
    assert suggestions[0].why == "Also into Music production · Mentors in Producer · Berlin · speaks German, English"
    assert suggestions[1].why == "Mentors in Music · speaks English"
    assert suggestions[2].why == "Berlin"
    assert suggestions[0].score > suggestions[1].score > suggestions[2].score


def test_mentorship_interests_count_as_categories(music):
    category, _ = music
    user = UserFactory(location="")
    assert mentor_suggestions_for_user(user=user) == []
    mentor = _mentor(categories=[category], languages=[])
    user_categories_set(user=user, categories=[category])
    assert [(s.profile, s.why) for s in mentor_suggestions_for_user(user=user)] == [(mentor, "Mentors in Music")]


def test_suggestions_keep_a_constant_number_of_queries(mentee, music, django_assert_max_num_queries):
    category, producer = music
    for _ in range(3):
        _mentor(categories=[category], subcategories=[producer], location="Berlin, Germany", languages=["German"])
    with django_assert_max_num_queries(9) as few:
        assert len(mentor_suggestions_for_user(user=mentee)) == 3
    for _ in range(12):
        _mentor(categories=[category], subcategories=[producer], location="Berlin, Germany", languages=["German"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(mentor_suggestions_for_user(user=mentee)) == 6


def test_the_api_gives_the_same_suggestions(api_client, mentee, music):
    category, producer = music
    mentor = _mentor(categories=[category], subcategories=[producer], location="Berlin, Germany")
    assert api_client.get(SUGGESTED_URL).status_code in {401, 403}
    api_client.force_authenticate(user=mentee)
    response = api_client.get(SUGGESTED_URL)
    assert response.status_code == 200
    [suggestion] = response.json()
    assert suggestion["mentor"]["id"] == str(mentor.user_id)
    assert suggestion["why"] == mentor_suggestions_for_user(user=mentee)[0].why == "Mentors in Producer · Berlin"
    assert suggestion["reasons"] == ["Mentors in Producer", "Berlin"]


def test_the_directory_shows_suggestions_to_a_signed_in_mentee(client, mentee, music, django_assert_max_num_queries):
    category, producer = music
    mentor = _mentor(categories=[category], subcategories=[producer], location="Berlin, Germany", languages=["German"])
    url = reverse("mentorship:mentor-list")
    assert "Suggested for you" not in client.get(url).content.decode()
    client.force_login(mentee)
    for _ in range(5):
        _mentor(categories=[category], location="Berlin, Germany")
    with django_assert_max_num_queries(30):
        html = client.get(url).content.decode()
    assert "Suggested for you" in html
    assert f"suggested-{mentor.user_id}" in html
    assert "Mentors in Producer · Berlin · speaks German" in html
    # A filtered directory is about the filter: no suggestions there.
    assert "Suggested for you" not in client.get(url, {"location": "Berlin"}).content.decode()
