"""The mentor directory, profiles, reviews, the mentor application, interests and venues in
a real browser (Debian's Chromium through Playwright, live server). Every page passes
axe-core (no serious or critical violation)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.browser import assert_accessible, path_pattern, sign_in
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from learning.tests.factories import CategoryFactory
from mentorship.models import MentorProfile, MentorshipSession, Review, Venue
from mentorship.tests.factories import (
    MentorProfileFactory,
    MentorshipSessionFactory,
    ReviewFactory,
    VenueFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _mentor(first: str, last: str, **kwargs) -> MentorProfile:
    return MentorProfileFactory(user=UserFactory(first_name=first, last_name=last), **kwargs)


def test_a_visitor_filters_the_directory_and_opens_a_profile(page) -> None:
    production = CategoryFactory(name="Music Production", slug="music-production")
    business = CategoryFactory(name="Music Business", slug="music-business")
    maya = _mentor(
        "Maya",
        "Beats",
        categories=[production],
        location="Atlanta, GA",
        headline="Producer of twenty albums",
        expertise=["Mixing", "Drum programming"],
    )
    _mentor("Omar", "Deals", categories=[business], location="Atlanta, GA", headline="Label manager")
    _mentor("Lena", "Keys", categories=[production], location="Berlin", headline="Film composer")
    ReviewFactory(target=maya.user, author=UserFactory(first_name="Rita", last_name="Fan"), rating=5, comment="Gold.")
    MentorProfileFactory(
        user=UserFactory(first_name="Pending", last_name="Person"), status=MentorProfile.Status.PENDING
    )

    page.goto("/mentors/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a mentor")
    for name in ("Maya Beats", "Omar Deals", "Lena Keys"):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_role("link", name="Pending Person")).to_have_count(0)
    assert_accessible(page)

    # Category, then location: Lena (Berlin) and Omar (business) drop out.
    page.get_by_label("Category", exact=True).select_option("music-production")
    page.get_by_label("Location").fill("atlanta")
    page.get_by_role("button", name="Show mentors").click()
    expect(page).to_have_url(re.compile(r"category=music-production.*location=atlanta"))
    expect(page.get_by_role("link", name="Maya Beats")).to_be_visible()
    expect(page.get_by_role("link", name="Omar Deals")).to_have_count(0)
    expect(page.get_by_role("link", name="Lena Keys")).to_have_count(0)
    expect(page.get_by_label("Category", exact=True)).to_have_value("music-production")
    assert_accessible(page)

    # Words: nobody in Atlanta producing is a film composer.
    page.get_by_label("Search").fill("composer")
    page.get_by_role("button", name="Show mentors").click()
    expect(page.get_by_text("No mentor matches these filters.")).to_be_visible()
    page.get_by_role("link", name="Clear the filters").click()
    expect(page).to_have_url(path_pattern("/mentors/"))
    page.get_by_label("Search").fill("composer")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Lena Keys")).to_be_visible()
    expect(page.get_by_role("link", name="Maya Beats")).to_have_count(0)

    # A visitor opens Maya's profile: reviews, the Book button, a sign-in link to review.
    # By keyboard: the profile link takes focus and Enter follows it.
    page.goto("/mentors/")
    page.get_by_role("link", name="Maya Beats").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(path_pattern(f"/mentors/{maya.user_id}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya Beats")
    expect(page.get_by_text("Producer of twenty albums")).to_be_visible()
    reviews = page.get_by_role("region", name="Reviews")
    expect(reviews.get_by_role("article", name="Review by Rita Fan")).to_contain_text("5 / 5")
    expect(reviews).to_contain_text("Gold.")
    expect(reviews.get_by_role("link", name="Sign in to write a review.")).to_be_visible()
    expect(page.get_by_role("button", name="Book a session")).to_be_visible()
    assert_accessible(page)

    # The Book button sends a visitor to sign in first.
    page.get_by_role("button", name="Book a session").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


def test_a_member_reviews_a_mentor_after_a_session(page) -> None:
    maya = _mentor("Maya", "Beats")
    mentee = UserFactory(first_name="Sam", last_name="Student")
    MentorshipSessionFactory(
        mentor=maya.user,
        mentee=mentee,
        status=MentorshipSession.Status.COMPLETED,
        start_at=timezone.now() - timedelta(days=3),
    )
    sign_in(page, mentee.email, DEFAULT_PASSWORD)

    page.goto(f"/mentors/{maya.user_id}/")
    expect(page.get_by_text("No reviews yet.")).to_be_visible()
    assert_accessible(page)
    form = page.locator("form.review-form")
    # No rating chosen: the browser asks for one first; nothing is sent, the comment stays.
    form.get_by_label("Comment (optional)").fill("Patient and precise.")
    form.get_by_role("button", name="Publish my review").click()
    assert form.get_by_role("radio", name="5 stars").evaluate("radio => radio.validity.valueMissing")
    expect(form.get_by_label("Comment (optional)")).to_have_value("Patient and precise.")
    assert not Review.objects.exists()

    # By keyboard: Space picks 5 stars, the down arrow moves to 4, Enter sends the form.
    form.get_by_role("radio", name="5 stars").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    expect(form.get_by_role("radio", name="4 stars")).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Thank you: your review is published.")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="/ 5 from")).to_have_text(
        "4.0 / 5 from 1 rating, resting on 1 completed session"
    )
    expect(page.get_by_role("article", name="Review by Sam Student")).to_contain_text("Patient and precise.")
    review = Review.objects.get(author=mentee, target=maya.user)
    assert (review.rating, review.comment) == (4, "Patient and precise.")
    # Editing keeps one review.
    expect(page.get_by_role("radio", name="4 stars")).to_be_checked()
    page.get_by_role("radio", name="5 stars").check()
    page.get_by_role("button", name="Save my review").click()
    expect(page.get_by_text("Your review is updated.")).to_be_visible()
    assert Review.objects.get(pk=review.pk).rating == 5
    assert_accessible(page)


def test_a_member_applies_to_become_a_mentor_and_chooses_interests(signed_in_page) -> None:
    page, user = signed_in_page
    CategoryFactory(name="Music Production", slug="music-production")
    CategoryFactory(name="Songwriting", slug="songwriting")

    page.goto("/mentors/")
    page.get_by_role("link", name="Become a mentor").click()
    expect(page).to_have_url(path_pattern("/mentoring/apply/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Become a mentor")
    assert_accessible(page)

    # Missing category: an error, nothing stored, what was written stays.
    page.get_by_label("Headline").fill("Twenty years behind the desk")
    page.get_by_label("Bio").fill("I mix records and teach it.")
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_role("group", name="Categories you mentor in")).to_have_accessible_description(
        re.compile(r"This field is required\.")
    )
    expect(page.get_by_label("Headline")).to_have_value("Twenty years behind the desk")
    assert not MentorProfile.objects.filter(user=user).exists()
    assert_accessible(page)

    page.get_by_role("group", name="Categories you mentor in").get_by_label("Music Production").check()
    expect(page.get_by_label("Expertise")).to_have_accessible_description("Separate the areas with commas.")
    page.get_by_label("Expertise").fill("Mixing, Mastering")
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_text("Thank you: your application is sent.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your mentor profile")
    expect(page.get_by_role("status").filter(has_text="waiting for staff review")).to_be_visible()
    profile = MentorProfile.objects.get(user=user)
    assert profile.status == MentorProfile.Status.PENDING
    assert profile.expertise == ["Mixing", "Mastering"]
    assert [c.slug for c in profile.categories.all()] == ["music-production"]
    assert_accessible(page)

    page.goto("/mentorship/interests/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentorship interests")
    assert_accessible(page)
    page.get_by_label("Songwriting").check()
    page.get_by_role("button", name="Save my interests").click()
    expect(page.get_by_text("Your mentorship interests are saved.")).to_be_visible()
    expect(page.get_by_label("Songwriting")).to_be_checked()
    expect(page.get_by_label("Music Production")).not_to_be_checked()


def test_venues_list_filter_and_detail(page) -> None:
    VenueFactory(name="Blue Note Café", city="Atlanta", partnership_tier=Venue.Tier.GOLD)
    VenueFactory(name="Corner Library", city="Atlanta", type=Venue.Type.LIBRARY)
    VenueFactory(name="Spree Hub", city="Berlin", state="", type=Venue.Type.CO_WORKING)

    page.goto("/venues/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Venues for in-person sessions")
    for name in ("Blue Note Café", "Corner Library", "Spree Hub"):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("City").select_option("Atlanta")
    page.get_by_label("Partner venues only (discounts)").check()
    page.get_by_role("button", name="Show venues").click()
    expect(page).to_have_url(re.compile(r"city=Atlanta.*is_partner=true"))
    expect(page.get_by_role("link", name="Blue Note Café")).to_be_visible()
    expect(page.get_by_role("link", name="Corner Library")).to_have_count(0)
    expect(page.get_by_role("link", name="Spree Hub")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Blue Note Café").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Blue Note Café")
    expect(page.locator("address")).to_contain_text("Atlanta, GA")
    expect(page.get_by_text("Gold partner: 30 % off")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Wi-Fi")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Venues").click()
    expect(page).to_have_url(path_pattern("/venues/"))
