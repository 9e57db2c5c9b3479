"""My learning: the learner's enrollments with progress bars, status filter, resume links,
pause / resume (plain and HTMX); the dashboard panel and the navigation link."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import Enrollment
from learning.services.progress import lesson_complete
from learning.tests.factories import CourseFactory, EnrollmentFactory, course_with_lessons

pytestmark = pytest.mark.django_db

MY_LEARNING = reverse("learning:my-learning")
HTMX = {"HTTP_HX_REQUEST": "true"}


def _pause_url(enrollment: Enrollment) -> str:
    return reverse("learning:enrollment-pause", kwargs={"pk": enrollment.pk})


def _resume_url(enrollment: Enrollment) -> str:
    return reverse("learning:enrollment-resume", kwargs={"pk": enrollment.pk})


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def test_my_learning_needs_a_sign_in(client):
    response = client.get(MY_LEARNING)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_lists_own_enrollments_with_progress_status_and_resume(signed_in, user):
    course, lessons = course_with_lessons(3, title="Mixing Basics")
    enrollment = EnrollmentFactory(user=user, course=course)
    lesson_complete(user=user, lesson=lessons[0])
    EnrollmentFactory(course=CourseFactory(title="Someone Else's Course"))

    page = signed_in.get(MY_LEARNING).content.decode()

    assert "Mixing Basics" in page
    assert "Someone Else&#x27;s Course" not in page
    assert f'<label for="enrollment-progress-{enrollment.pk}">Progress: 33%</label>' in page
    assert re.search(rf'<progress id="enrollment-progress-{enrollment.pk}" value="33" max="100">', page)
    assert "In progress" in page
    assert reverse("learning:course-resume", kwargs={"slug": course.slug}) in page
    assert f"Next up: {lessons[1].title}" in page
    assert _pause_url(enrollment) in page


def test_empty_page_points_to_the_catalog(signed_in):
    page = signed_in.get(MY_LEARNING).content.decode()
    assert "You are not enrolled in any course yet." in page
    assert reverse("learning:course-list") in page


def test_status_filter(signed_in, user):
    EnrollmentFactory(user=user, course=CourseFactory(title="Active Course"))
    EnrollmentFactory(user=user, course=CourseFactory(title="Resting Course"), status=Enrollment.Status.PAUSED)
    paused = signed_in.get(MY_LEARNING, {"status": "paused"}).content.decode()
    assert "Resting Course" in paused
    assert "Active Course" not in paused
    completed = signed_in.get(MY_LEARNING, {"status": "completed"}).content.decode()
    assert "None of your courses has this status." in completed
    # An unknown status is ignored: everything is listed.
    everything = signed_in.get(MY_LEARNING, {"status": "nonsense"}).content.decode()
    assert "Resting Course" in everything
    assert "Active Course" in everything


def test_most_recently_opened_first_never_opened_last(signed_in, user):
    never = EnrollmentFactory(user=user, course=CourseFactory(title="Never Opened"))
    old = EnrollmentFactory(user=user, course=CourseFactory(title="Opened Long Ago"))
    recent = EnrollmentFactory(user=user, course=CourseFactory(title="Opened Today"))
    Enrollment.objects.filter(pk=old.pk).update(last_accessed_at=timezone.now() - timezone.timedelta(days=9))
    Enrollment.objects.filter(pk=recent.pk).update(last_accessed_at=timezone.now())
    page = signed_in.get(MY_LEARNING).content.decode()
    assert page.index("Opened Today") < page.index("Opened Long Ago") < page.index(never.course.title)


def test_pause_and_resume_without_javascript(signed_in, user):
    enrollment = EnrollmentFactory(user=user)
    response = signed_in.post(_pause_url(enrollment), follow=True)
    assert response.redirect_chain[-1][0] == MY_LEARNING
    assert "is paused." in response.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.PAUSED

    refused = signed_in.post(_pause_url(enrollment), follow=True)
    assert "already paused" in refused.content.decode()

    signed_in.post(_resume_url(enrollment))
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.IN_PROGRESS


def test_pause_and_resume_with_htmx_swap_the_item(signed_in, user):
    enrollment = EnrollmentFactory(user=user)
    fragment = signed_in.post(_pause_url(enrollment), **HTMX).content.decode()
    assert fragment.lstrip().startswith(f'<li id="enrollment-{enrollment.pk}"')
    assert "is paused." in fragment
    assert _resume_url(enrollment) in fragment
    assert _pause_url(enrollment) not in fragment

    fragment = signed_in.post(_resume_url(enrollment), **HTMX).content.decode()
    assert "is resumed." in fragment
    assert _pause_url(enrollment) in fragment

    refused = signed_in.post(_resume_url(enrollment), **HTMX).content.decode()
    assert 'role="alert"' in refused
    assert "This course is not paused." in refused


def test_completed_course_offers_review_and_no_pause(signed_in, user):
    enrollment = EnrollmentFactory(
        user=user, status=Enrollment.Status.COMPLETED, progress_percent=100, completed_at=timezone.now()
    )
    page = signed_in.get(MY_LEARNING).content.decode()
    assert "Review" in page
    assert "Completed on" in page
    assert _pause_url(enrollment) not in page
    refused = signed_in.post(_pause_url(enrollment), follow=True).content.decode()
    assert "nothing to pause" in refused


def test_other_users_enrollment_is_404(signed_in):
    other = EnrollmentFactory()
    assert signed_in.post(_pause_url(other)).status_code == 404
    assert signed_in.post(_resume_url(other), **HTMX).status_code == 404
    other.refresh_from_db()
    assert other.status == Enrollment.Status.IN_PROGRESS


def test_pause_and_resume_need_post(signed_in, user):
    enrollment = EnrollmentFactory(user=user)
    assert signed_in.get(_pause_url(enrollment)).status_code == 405


def test_next_must_be_on_this_site(signed_in, user):
    enrollment = EnrollmentFactory(user=user)
    response = signed_in.post(_pause_url(enrollment), {"next": "https://evil.example/"})
    assert response["Location"] == MY_LEARNING


def _enrol_in(user, count: int) -> None:
    for _ in range(count):
        course, lessons = course_with_lessons(2)
        EnrollmentFactory(user=user, course=course)
        lesson_complete(user=user, lesson=lessons[0])


def test_my_learning_queries_do_not_grow(signed_in, user, count_queries):
    _enrol_in(user, 1)
    few = count_queries(lambda: signed_in.get(MY_LEARNING))
    _enrol_in(user, 12)
    many = count_queries(lambda: signed_in.get(MY_LEARNING))
    assert few == many


def test_dashboard_panel_shows_unfinished_courses_with_progress(signed_in, user):
    course, lessons = course_with_lessons(4, title="Songwriting Basics")
    EnrollmentFactory(user=user, course=course)
    lesson_complete(user=user, lesson=lessons[0])
    EnrollmentFactory(
        user=user,
        course=CourseFactory(title="Finished Course"),
        status=Enrollment.Status.COMPLETED,
        completed_at=timezone.now(),
    )
    page = signed_in.get(reverse("dashboard")).content.decode()
    assert "Your courses" in page
    assert "Songwriting Basics" in page
    assert "Finished Course" not in page
    assert 'value="25" max="100" aria-label="Progress in Songwriting Basics"' in page
    assert reverse("learning:course-resume", kwargs={"slug": course.slug}) in page
    assert "1 course completed" in page


def test_dashboard_panel_without_courses_points_to_the_catalog(signed_in):
    page = signed_in.get(reverse("dashboard")).content.decode()
    assert "You have not started a course yet." in page


def test_dashboard_queries_do_not_grow_with_courses(signed_in, user, count_queries):
    _enrol_in(user, 1)
    few = count_queries(lambda: signed_in.get(reverse("dashboard")))
    _enrol_in(user, 8)
    many = count_queries(lambda: signed_in.get(reverse("dashboard")))
    assert few == many


def test_navigation_links_my_learning_for_signed_in_users_only(client, signed_in):
    # "My learning" is in the Learn section's navigation, shown on the section's pages.
    assert f'href="{MY_LEARNING}"' in signed_in.get(reverse("learning:course-list")).content.decode()
    client.logout()
    assert f'href="{MY_LEARNING}"' not in client.get(reverse("learning:course-list")).content.decode()
