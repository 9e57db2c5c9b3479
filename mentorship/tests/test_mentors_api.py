"""Mentors, venues, reviews and interests API."""

import pytest

from accounts.tests.factories import UserFactory
from learning.tests.factories import CategoryFactory, SubcategoryFactory
from mentorship.models import MentorProfile, Review, UserCategory, Venue
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory, ReviewFactory, VenueFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/mentorship"


def test_mentor_list_is_public_filtered_and_by_user_id(api_client):
    music = CategoryFactory(slug="music")
    shown = MentorProfileFactory(categories=[music], location="Atlanta, GA")
    MentorProfileFactory(status=MentorProfile.Status.PENDING, categories=[music])
    MentorProfileFactory(location="Boston")
    body = api_client.get(f"{BASE}/mentors/", {"category": "music", "location": "atl"}).json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == str(shown.user_id)
    assert body["results"][0]["categories"][0]["slug"] == "music"
    assert "meeting_link" not in body["results"][0]
    assert api_client.get(f"{BASE}/mentors/{shown.user_id}/").status_code == 200
    assert api_client.get(f"{BASE}/mentors/{shown.pk}/").status_code == 404
    assert api_client.get(f"{BASE}/mentors/", {"ordering": "bogus"}).status_code == 400


def test_mentor_list_subcategory_must_be_in_the_category(api_client):
    music, film = CategoryFactory(slug="music"), CategoryFactory(slug="film")
    editing = SubcategoryFactory(parent=film, slug="editing")
    mentor = MentorProfileFactory(categories=[music, film], subcategories=[editing])
    refused = api_client.get(f"{BASE}/mentors/", {"category": "music", "subcategory": "editing"})
    assert refused.status_code == 400
    assert "“editing” is not a subcategory of “music”" in str(refused.json())
    body = api_client.get(f"{BASE}/mentors/", {"category": "film", "subcategory": "editing"}).json()
    assert [row["id"] for row in body["results"]] == [str(mentor.user_id)]
    assert api_client.get(f"{BASE}/mentors/", {"category": "music", "subcategory": "nonesuch"}).status_code == 400
    assert api_client.get(f"{BASE}/mentors/", {"subcategory": "nonesuch"}).json()["count"] == 0


def test_mentor_list_orderings_are_the_directory_choices(api_client):
    cheap = MentorProfileFactory(base_price_cents=1000)
    dear = MentorProfileFactory(base_price_cents=9000)
    ids = [row["id"] for row in api_client.get(f"{BASE}/mentors/", {"ordering": "-price"}).json()["results"]]
    assert ids == [str(dear.user_id), str(cheap.user_id)]
    for ordering in ("-rating", "-sessions", "-experience", "price", "-newest"):
        assert api_client.get(f"{BASE}/mentors/", {"ordering": ordering}).status_code == 200
    assert api_client.get(f"{BASE}/mentors/", {"ordering": "newest"}).status_code == 400


def test_mentor_and_venue_and_review_lists_keep_their_query_count(api_client, count_queries):
    category = CategoryFactory()
    MentorProfileFactory(categories=[category])
    VenueFactory()
    ReviewFactory()
    counts = [count_queries(lambda u=u: api_client.get(f"{BASE}/{u}/")) for u in ("mentors", "venues", "reviews")]
    for _ in range(5):
        MentorProfileFactory(categories=[category, CategoryFactory()])
        VenueFactory(partnership_tier=Venue.Tier.BRONZE)
        ReviewFactory()
    assert [count_queries(lambda u=u: api_client.get(f"{BASE}/{u}/")) for u in ("mentors", "venues", "reviews")] == (
        counts
    )


def test_apply_read_and_edit_my_profile(user_client, user):
    category = CategoryFactory()
    assert user_client.get(f"{BASE}/mentors/me/").status_code == 404
    data = {"headline": "Producer", "bio": "Records.", "categories": [str(category.pk)], "expertise": ["Mixing"]}
    response = user_client.post(f"{BASE}/mentors/me/", data, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert user_client.post(f"{BASE}/mentors/me/", data, format="json").status_code == 409
    response = user_client.patch(f"{BASE}/mentors/me/", {"headline": "Mixer"}, format="json")
    assert response.json()["headline"] == "Mixer"
    assert user_client.patch(f"{BASE}/mentors/me/", {"categories": []}, format="json").status_code == 400
    assert MentorProfile.objects.get(user=user).categories.count() == 1


def test_me_needs_sign_in(api_client):
    assert api_client.get(f"{BASE}/mentors/me/").status_code in (401, 403)


def test_venue_filters(api_client):
    VenueFactory(city="Atlanta", partnership_tier=Venue.Tier.GOLD, type=Venue.Type.LIBRARY)
    VenueFactory(city="Boston")
    body = api_client.get(f"{BASE}/venues/", {"is_partner": "true"}).json()
    assert [v["discount_percentage"] for v in body["results"]] == [30]
    assert api_client.get(f"{BASE}/venues/", {"type": "library"}).json()["count"] == 1
    assert api_client.get(f"{BASE}/venues/", {"city": "boston"}).json()["count"] == 1
    assert api_client.get(f"{BASE}/venues/", {"tier": "platinum"}).status_code == 400


def test_reviews_create_update_delete_and_rules(user_client, user):
    profile = MentorProfileFactory()
    url = f"{BASE}/reviews/"
    refused = user_client.post(url, {"target": str(profile.user_id), "rating": 5}, format="json")
    assert refused.status_code == 400
    assert "completed a session together" in str(refused.json())
    MentorshipSessionFactory(mentor=profile.user, mentee=user, completed=True)
    response = user_client.post(url, {"target": str(profile.user_id), "rating": 5, "comment": "Great"}, format="json")
    assert response.status_code == 201
    review_id = response.json()["id"]
    assert user_client.post(url, {"target": str(profile.user_id), "rating": 4}, format="json").status_code == 409
    assert user_client.post(url, {"target": str(user.pk), "rating": 4}, format="json").status_code == 400
    assert user_client.post(url, {"target": str(profile.user_id), "rating": 6}, format="json").status_code == 400
    assert user_client.put(f"{url}{review_id}/", {"rating": 2}, format="json").json()["rating"] == 2
    profile.refresh_from_db()
    assert profile.rating == 2
    other = ReviewFactory(target=profile.user)
    assert user_client.put(f"{url}{other.pk}/", {"rating": 1}, format="json").status_code == 404
    assert user_client.delete(f"{url}{other.pk}/").status_code == 404
    assert user_client.delete(f"{url}{review_id}/").status_code == 204
    assert list(Review.objects.all()) == [other]


def test_a_session_review_through_the_api(user_client, user):
    profile = MentorProfileFactory()
    session = MentorshipSessionFactory(mentor=profile.user, mentee=user, completed=True)
    someone_elses = MentorshipSessionFactory(completed=True)
    url = f"{BASE}/reviews/"
    body = {"target": str(profile.user_id), "rating": 5, "comment": "Clear plan", "session": str(someone_elses.pk)}
    assert user_client.post(url, body, format="json").status_code == 400
    response = user_client.post(url, {**body, "session": str(session.pk)}, format="json")
    assert response.status_code == 201
    assert (response.json()["type"], response.json()["session"]) == ("SESSION_FEEDBACK", str(session.pk))
    session.refresh_from_db()
    assert session.review == "Clear plan"
    mentor = user_client.get(f"{BASE}/mentors/{profile.user_id}/").json()
    assert (mentor["review_count"], mentor["rated_sessions"]) == (1, 1)


def test_private_reviews_are_hidden_from_others(user_client, user):
    private = ReviewFactory(target=UserFactory(), author=user)  # the target is no mentor
    assert user_client.get(f"{BASE}/reviews/{private.pk}/").status_code == 200
    user_client.force_authenticate(user=UserFactory())
    assert user_client.get(f"{BASE}/reviews/{private.pk}/").status_code == 404
    user_client.force_authenticate(user=None)
    assert user_client.get(f"{BASE}/reviews/{private.pk}/").status_code == 404


def test_interests(user_client, user):
    music, film = CategoryFactory(), CategoryFactory()
    response = user_client.put(f"{BASE}/interests/", {"categories": [str(music.pk), str(film.pk)]}, format="json")
    assert sorted(response.json()["categories"]) == sorted([str(music.pk), str(film.pk)])
    assert UserCategory.objects.filter(user=user).count() == 2
    assert user_client.put(f"{BASE}/interests/", {"categories": ["nope"]}, format="json").status_code == 400
    assert UserCategory.objects.filter(user=user).count() == 2
