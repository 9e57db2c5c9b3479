"""A low mood in the wellness check (the lowest two of 1–5) shows the support of
core.support — the lines of the learner's country, as a distressing journal entry does in
therapy — with links to the people they work with (core.registry.support_contacts); and the
learner sees their check-ins over time."""

import pytest
from django.urls import reverse

from core.registry import SupportContact, SupportContactSource, support_contacts
from learning.models import ChatMessage, Enrollment
from learning.selectors.wellness import wellness_answer_list_for_user, wellness_support_needed
from learning.services.progress import lesson_complete
from learning.services.wellness import wellness_check_answer
from learning.tests.factories import EnrollmentFactory, course_with_lessons

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
CONTACT = SupportContact(role="Your therapist", action="Message Dr Test", url="/therapy/messages/test/")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def contact():
    """A support contact as therapy and mentorship register theirs (learning imports neither)."""
    support_contacts.register(SupportContactSource("test-contact", lambda user: [CONTACT], order=999))
    yield CONTACT
    support_contacts.unregister("test-contact")


def _half_done(user) -> Enrollment:
    course, lessons = course_with_lessons(4)
    EnrollmentFactory(user=user, course=course)
    for lesson in lessons[:2]:
        enrollment = lesson_complete(user=user, lesson=lesson)
    return Enrollment.objects.select_related("course").get(pk=enrollment.pk)


def _answer_url(enrollment: Enrollment) -> str:
    return reverse("learning:wellness-check", kwargs={"pk": enrollment.pk})


@pytest.mark.parametrize(("mood", "low"), [(1, True), (2, True), (3, False), (4, False), (5, False)])
def test_the_lowest_two_moods_are_low(mood: int, low: bool) -> None:
    assert wellness_support_needed(mood=mood) is low


def test_a_low_mood_shows_the_lines_of_the_learners_country_and_their_contacts(signed_in, user, contact) -> None:
    user.timezone = "Europe/London"
    user.save()
    enrollment = _half_done(user)
    page = signed_in.post(_answer_url(enrollment), {"mood": "2", "note": ""}, **HTMX).content.decode()
    assert "Thank you for checking in" in page
    assert "Samaritans" in page
    assert 'href="tel:116123"' in page
    assert "Message Dr Test" in page
    assert 'href="/therapy/messages/test/"' in page
    assert reverse("learning:wellness-list") in page


def test_a_good_mood_shows_no_support(signed_in, user, contact) -> None:
    enrollment = _half_done(user)
    page = signed_in.post(_answer_url(enrollment), {"mood": "3", "note": ""}, **HTMX).content.decode()
    assert "Thank you for checking in" in page
    assert "Message Dr Test" not in page
    assert "findahelpline" not in page


def test_without_htmx_a_low_mood_leads_to_the_check_ins_with_the_support(signed_in, user, contact) -> None:
    enrollment = _half_done(user)
    response = signed_in.post(_answer_url(enrollment), {"mood": "1", "note": "rough"})
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:wellness-list")
    page = signed_in.get(response["Location"]).content.decode()
    assert "findahelpline.com" in page  # UTC: the international lines
    assert "Message Dr Test" in page
    assert "rough" in page


def test_without_htmx_a_good_mood_goes_back(signed_in, user) -> None:
    enrollment = _half_done(user)
    response = signed_in.post(_answer_url(enrollment), {"mood": "4", "note": ""})
    assert response.status_code == 302
    assert response["Location"] != reverse("learning:wellness-list")


def test_the_check_ins_list_answers_over_time_newest_first(signed_in, user) -> None:
    first = _half_done(user)
    wellness_check_answer(enrollment=first, mood=4, note="Going well")
    second = _half_done(user)
    wellness_check_answer(enrollment=second, mood=3, note="")
    answers = wellness_answer_list_for_user(user=user)
    assert [(answer.mood, answer.note) for answer in answers] == [(3, ""), (4, "Going well")]
    assert answers[1].course_title == first.course.title
    page = signed_in.get(reverse("learning:wellness-list")).content.decode()
    assert "Going well" in page
    assert page.index(second.course.title) < page.index(first.course.title)
    assert "Mood 3 of 5" in page
    assert "You don&#x27;t have to face this alone" not in page  # the latest mood is not low
    my_learning = signed_in.get(reverse("learning:my-learning")).content.decode()
    assert "Your check-ins" in my_learning
    assert reverse("learning:wellness-list") in my_learning


def test_only_ones_own_check_ins(signed_in, user) -> None:
    from accounts.tests.factories import UserFactory

    other = UserFactory()
    wellness_check_answer(enrollment=_half_done(other), mood=1, note="NOT-YOURS")
    page = signed_in.get(reverse("learning:wellness-list")).content.decode()
    assert "NOT-YOURS" not in page
    assert "No check-ins yet" in page


def test_the_check_ins_page_keeps_a_constant_query_count(signed_in, user, count_queries) -> None:
    # The latest mood is low each time: the support (and its contacts) is on both pages.
    wellness_check_answer(enrollment=_half_done(user), mood=2, note="")
    few = count_queries(lambda: signed_in.get(reverse("learning:wellness-list")))
    for mood in (3, 5, 1):
        wellness_check_answer(enrollment=_half_done(user), mood=mood, note="x")
    assert count_queries(lambda: signed_in.get(reverse("learning:wellness-list"))) == few
    assert ChatMessage.objects.filter(user=user, role=ChatMessage.Role.USER).count() == 4


def test_the_api_lists_ones_check_ins_with_support_on_the_low_ones(api_client, user) -> None:
    from accounts.tests.factories import UserFactory

    user.timezone = "America/Toronto"
    user.save()
    wellness_check_answer(enrollment=_half_done(user), mood=4, note="fine")
    wellness_check_answer(enrollment=_half_done(user), mood=1, note="")
    wellness_check_answer(enrollment=_half_done(UserFactory()), mood=1, note="NOT-YOURS")
    api_client.force_authenticate(user)
    answer = api_client.get("/api/v1/learning/wellness/")
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [row["mood"] for row in results] == [1, 4]
    assert results[0]["support"]["country"] == "CA"
    assert results[0]["support"]["lines"][0]["phone"] == "988"
    assert results[1]["support"] is None
    assert "NOT-YOURS" not in answer.content.decode()
    api_client.force_authenticate(None)
    assert api_client.get("/api/v1/learning/wellness/").status_code in (401, 403)
