"""Mentor and venue pages: directory filters, profile, reviews, application, interests."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from learning.tests.factories import CategoryFactory, SubcategoryFactory
from mentorship.models import MentorProfile, Review, UserCategory, Venue
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory, ReviewFactory, VenueFactory

pytestmark = pytest.mark.django_db

LIST = reverse("mentorship:mentor-list")


def _detail(profile: MentorProfile) -> str:
    return reverse("mentorship:mentor-detail", kwargs={"mentor_id": profile.user_id})


def test_directory_lists_verified_mentors_only(client):
    verified = MentorProfileFactory(headline="Verified one")
    pending = MentorProfileFactory(headline="Pending one", status=MentorProfile.Status.PENDING)
    html = client.get(LIST).content.decode()
    assert "Verified one" in html
    assert "Pending one" not in html
    assert client.get(_detail(verified)).status_code == 200
    assert client.get(_detail(pending)).status_code == 404


def test_directory_filters_like_the_mentors_like_me_link(client):
    music, film = CategoryFactory(slug="music"), CategoryFactory(slug="film")
    producer = SubcategoryFactory(parent=music, slug="producer")
    MentorProfileFactory(
        headline="Match",
        location="Atlanta, GA",
        ethnicity="African American",
        categories=[music],
        subcategories=[producer],
        expertise=["Vinyl Mixing"],
    )
    MentorProfileFactory(headline="Elsewhere", location="Boston, MA", categories=[music])
    MentorProfileFactory(headline="Other field", location="Atlanta, GA", categories=[film])
    MentorProfileFactory(headline="Unlike", location="Atlanta, GA", ethnicity="Irish", categories=[music])
    client.force_login(UserFactory(ethnicity="african american"))
    html = client.get(LIST, {"category": "music", "location": "atlanta", "like_me": "true"}).content
    assert b"Match" in html
    assert b"Elsewhere" not in html
    assert b"Other field" not in html
    assert b"Unlike" not in html
    for query in ({"subcategory": "producer"}, {"expertise": "vinyl"}, {"search": "match"}):
        body = client.get(LIST, query).content
        assert b"Match" in body
        assert b"Elsewhere" not in body


def test_directory_orders_by_price(client):
    MentorProfileFactory(headline="Cheap", base_price_cents=1000)
    MentorProfileFactory(headline="Dear", base_price_cents=9000)
    html = client.get(LIST, {"ordering": "-price"}).content.decode()
    assert html.index("Dear") < html.index("Cheap")


def test_directory_sort_choices_are_plain_one_per_direction(client):
    html = client.get(LIST).content.decode()
    select = html[html.index('id="mentor-ordering"') : html.index("</select>", html.index('id="mentor-ordering"'))]
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    assert [(value, label) for value, _selected, label in options] == [
        ("-rating", "Best rated"),
        ("-sessions", "Most sessions"),
        ("-experience", "Most experience"),
        ("price", "Price: low to high"),
        ("-price", "Price: high to low"),
        ("-newest", "Newest"),
    ]
    assert [value for value, selected, _label in options if selected] == ["-rating"]
    chosen = client.get(LIST, {"ordering": "price"}).content.decode()
    assert '<option value="price" selected>Price: low to high</option>' in chosen


def test_directory_orders_newest_first(client):
    old = MentorProfileFactory(headline="Veteran")
    MentorProfile.objects.filter(pk=old.pk).update(verified_at=timezone.now() - timedelta(days=400))
    MentorProfileFactory(headline="Newcomer")
    html = client.get(LIST, {"ordering": "-newest"}).content.decode()
    assert html.index("Newcomer") < html.index("Veteran")


def _subcategory_options(html: str) -> list[str]:
    """The option values of the subcategory select in a page (or all of a fragment)."""
    if 'id="mentor-subcategory"' in html:
        html = html[html.index('id="mentor-subcategory"') :]
        html = html[: html.index("</select>")]
    return re.findall(r'<option value="([^"]+)"', html)


def test_directory_narrows_the_subcategories_to_the_chosen_category(client):
    music, film = CategoryFactory(slug="music", name="Music"), CategoryFactory(slug="film", name="Film")
    # Named: the factory's "Subcategory 9" sorts after "Subcategory 10".
    SubcategoryFactory(parent=music, slug="producer", name="Producer")
    SubcategoryFactory(parent=music, slug="songwriting", name="Songwriting")
    SubcategoryFactory(parent=film, slug="editing", name="Editing")
    everything = client.get(LIST).content.decode()
    assert _subcategory_options(everything) == ["editing", "producer", "songwriting"]  # Film, then Music
    assert '<optgroup label="Music">' in everything
    narrowed = client.get(LIST, {"category": "music", "subcategory": "songwriting"}).content.decode()
    assert _subcategory_options(narrowed) == ["producer", "songwriting"]
    assert '<option value="songwriting" selected>' in narrowed
    assert "<optgroup" not in narrowed[narrowed.index('id="mentor-subcategory"') :].split("</select>")[0]

    options = reverse("mentorship:mentor-subcategories")
    assert f'hx-get="{options}"' in everything
    fragment = client.get(options, {"category": "film", "subcategory": "producer"}).content.decode()
    assert _subcategory_options(fragment) == ["editing"]
    assert "selected" not in fragment
    kept = client.get(options, {"category": "music", "subcategory": "producer"}).content.decode()
    assert '<option value="producer" selected>' in kept
    assert _subcategory_options(client.get(options, {"category": "nonesuch"}).content.decode()) == [
        "editing",
        "producer",
        "songwriting",
    ]


def test_directory_refuses_a_subcategory_outside_the_category(client):
    music, film = CategoryFactory(slug="music"), CategoryFactory(slug="film")
    editing = SubcategoryFactory(parent=film, slug="editing")
    MentorProfileFactory(headline="Both fields", categories=[music, film], subcategories=[editing])
    response = client.get(LIST, {"category": "music", "subcategory": "editing"})
    html = response.content.decode()
    assert "“editing” is not a subcategory of “music”" in html
    inside = client.get(LIST, {"category": "film", "subcategory": "editing"}).content.decode()
    assert "Both fields" in inside
    assert "is not a subcategory" not in inside


def test_subcategory_options_queries_do_not_grow(client, count_queries):
    music = CategoryFactory(slug="music")
    SubcategoryFactory(parent=music)
    options = reverse("mentorship:mentor-subcategories")
    few = count_queries(lambda: client.get(options, {"category": "music"}))
    for _ in range(5):
        SubcategoryFactory(parent=music)
        SubcategoryFactory()
    assert count_queries(lambda: client.get(options, {"category": "music"})) == few
    assert count_queries(lambda: client.get(options)) == few


def test_directory_and_profile_queries_do_not_grow(client, count_queries):
    category = CategoryFactory()
    first = MentorProfileFactory(categories=[category])
    ReviewFactory(target=first.user)
    few = count_queries(lambda: client.get(LIST))
    few_detail = count_queries(lambda: client.get(_detail(first)))
    for _ in range(6):
        profile = MentorProfileFactory(categories=[category, CategoryFactory()])
        ReviewFactory(target=profile.user)
        ReviewFactory(target=first.user)
    assert count_queries(lambda: client.get(LIST)) == few
    assert count_queries(lambda: client.get(_detail(first))) == few_detail


def test_profile_shows_book_button_and_review_form(client):
    profile = MentorProfileFactory(availability_url="https://cal.example/me")
    html = client.get(_detail(profile)).content.decode()
    assert reverse("mentorship:session-book", kwargs={"mentor_id": profile.user_id}) in html
    assert "https://cal.example/me" in html
    assert "Sign in to write a review" in html
    stranger = UserFactory()
    client.force_login(stranger)
    html = client.get(_detail(profile)).content.decode()
    assert 'name="rating"' not in html
    assert "once you have completed a session together" in html
    MentorshipSessionFactory(mentor=profile.user, mentee=stranger, completed=True, topic="Low end")
    html = client.get(_detail(profile)).content.decode()
    assert 'name="rating"' in html
    assert "Low end" in html  # the session a review can be about


def test_review_form_creates_edits_and_deletes(client):
    profile, author = MentorProfileFactory(), UserFactory()
    client.force_login(author)
    url = reverse("mentorship:mentor-review", kwargs={"mentor_id": profile.user_id})
    refused = client.post(url, {"rating": "5", "comment": "Superb"})
    assert refused.status_code == 400
    assert "once you have completed a session together" in refused.content.decode()
    assert not Review.objects.exists()
    MentorshipSessionFactory(mentor=profile.user, mentee=author, completed=True)
    assert client.post(url, {"rating": "5", "comment": "Superb"}).status_code == 302
    assert client.post(url, {"rating": "3", "comment": "Fine"}).status_code == 302
    review = Review.objects.get()
    assert (review.rating, review.comment) == (3, "Fine")
    response = client.post(url, {"rating": "9"})
    assert response.status_code == 400
    assert Review.objects.get().rating == 3
    client.post(reverse("mentorship:mentor-review-delete", kwargs={"mentor_id": profile.user_id}))
    assert not Review.objects.exists()


def test_a_review_about_a_session_on_the_page(client):
    profile, author = MentorProfileFactory(), UserFactory()
    session = MentorshipSessionFactory(mentor=profile.user, mentee=author, completed=True)
    client.force_login(author)
    url = reverse("mentorship:mentor-review", kwargs={"mentor_id": profile.user_id})
    assert client.post(url, {"rating": "4", "comment": "Tidy", "session": str(session.pk)}).status_code == 302
    review = Review.objects.get()
    assert (review.type, review.session_id) == (Review.Type.SESSION_FEEDBACK, session.pk)
    html = client.get(_detail(profile)).content.decode()
    assert "about a session" in html
    assert "resting on 1 completed session" in html


def test_reviewing_oneself_is_refused_on_the_page(client):
    profile = MentorProfileFactory()
    client.force_login(profile.user)
    url = reverse("mentorship:mentor-review", kwargs={"mentor_id": profile.user_id})
    response = client.post(url, {"rating": "5"})
    assert response.status_code == 400
    assert "cannot review yourself" in response.content.decode()
    assert not Review.objects.exists()


def test_apply_page_creates_then_edits_the_application(client):
    user, category = UserFactory(), CategoryFactory()
    client.force_login(user)
    url = reverse("mentorship:mentor-apply")
    assert client.get(url).status_code == 200
    data = {
        "headline": "Producer",
        "bio": "Records.",
        "categories": [str(category.pk)],
        "expertise": "Mixing, Mastering",
        "years_experience": "5",
        "base_price_cents": "5000",
        "meeting_link": "meet.example/me",
    }
    assert client.post(url, data).status_code == 302
    profile = MentorProfile.objects.get(user=user)
    assert (profile.status, profile.expertise, profile.meeting_link) == (
        "pending",
        ["Mixing", "Mastering"],
        "https://meet.example/me",
    )
    assert "waiting for staff review" in client.get(url).content.decode()
    bad = client.post(url, {**data, "headline": ""})
    assert bad.status_code == 400
    assert client.post(url, {**data, "headline": "Mixer"}).status_code == 302
    profile.refresh_from_db()
    assert profile.headline == "Mixer"
    assert MentorProfile.objects.filter(user=user).count() == 1


def test_apply_and_interests_need_sign_in(client):
    for name in ("mentorship:mentor-apply", "mentorship:interests"):
        assert client.get(reverse(name)).status_code == 302


def test_interests_page_saves_categories(client):
    user, music = UserFactory(), CategoryFactory()
    client.force_login(user)
    url = reverse("mentorship:interests")
    assert client.post(url, {"categories": [str(music.pk)]}).status_code == 302
    assert list(UserCategory.objects.filter(user=user).values_list("category", flat=True)) == [music.pk]
    assert client.post(url, {"categories": ["not-an-id"]}).status_code == 400
    assert UserCategory.objects.filter(user=user).count() == 1


def test_venue_pages_filter_and_keep_query_counts(client, count_queries):
    VenueFactory(name="Gold Hub", city="Atlanta", partnership_tier=Venue.Tier.GOLD)
    VenueFactory(name="Corner Cafe", city="Boston")
    url = reverse("mentorship:venue-list")
    body = client.get(url, {"is_partner": "true"}).content
    assert b"Gold Hub" in body
    assert b"Corner Cafe" not in body
    assert b"Corner Cafe" in client.get(url, {"city": "boston"}).content
    few = count_queries(lambda: client.get(url))
    VenueFactory.create_batch(8, partnership_tier=Venue.Tier.SILVER)
    assert count_queries(lambda: client.get(url)) == few
    venue = Venue.objects.get(name="Gold Hub")
    detail = client.get(reverse("mentorship:venue-detail", kwargs={"pk": venue.pk})).content.decode()
    assert "30 % off" in detail
