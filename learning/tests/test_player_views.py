"""The lesson player: content, outline with ticks, previous / next across modules, last
visit, mark complete (plain and HTMX), paused and not-enrolled cases, course resume."""

import re

import pytest
from django.urls import reverse

from learning.models import Enrollment, LessonProgress
from learning.services.progress import lesson_complete
from learning.tests.factories import EnrollmentFactory, LessonFactory, course_with_lessons

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _lesson_url(lesson) -> str:
    return reverse("learning:lesson", kwargs={"slug": lesson.course.slug, "pk": lesson.pk})


def _complete_url(lesson) -> str:
    return reverse("learning:lesson-complete", kwargs={"slug": lesson.course.slug, "pk": lesson.pk})


def _resume_url(course) -> str:
    return reverse("learning:course-resume", kwargs={"slug": course.slug})


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def course_lessons(user):
    """Two modules of two lessons; ``user`` is enrolled."""
    course, lessons = course_with_lessons(2, 2)
    EnrollmentFactory(user=user, course=course)
    return course, lessons


def test_player_needs_a_sign_in(client, course_lessons):
    _course, lessons = course_lessons
    response = client.get(_lesson_url(lessons[0]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_player_shows_content_video_outline_and_records_the_visit(signed_in, user, course_lessons):
    course, lessons = course_lessons
    lessons[1].content = "Read **this** <script>alert('x')</script> [bad](javascript:alert(1))"
    lessons[1].video_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    lessons[1].save()
    lesson_complete(user=user, lesson=lessons[0])

    page = signed_in.get(_lesson_url(lessons[1])).content.decode()

    assert f'<h1 id="lesson-title">{lessons[1].title}</h1>' in page
    assert "<strong>this</strong>" in page
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page
    assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" in page
    # The outline: every lesson, a tick and "(completed)" for the done one, the current one marked.
    for lesson in lessons:
        assert _lesson_url(lesson) in page
    assert page.count("(completed)") == 1
    assert re.search(rf'href="{re.escape(_lesson_url(lessons[1]))}" aria-current="page"', page)
    assert 'value="25" max="100"' in page
    assert "Course progress: 25% (1 of 4 lessons)" in page
    enrollment = Enrollment.objects.get(user=user, course=course)
    assert enrollment.last_accessed_at is not None


def test_previous_and_next_cross_modules(signed_in, course_lessons):
    _course, lessons = course_lessons
    end_of_first_module = signed_in.get(_lesson_url(lessons[1])).content.decode()
    assert re.search(rf'href="{re.escape(_lesson_url(lessons[2]))}" rel="next"', end_of_first_module)
    assert re.search(rf'href="{re.escape(_lesson_url(lessons[0]))}" rel="prev"', end_of_first_module)

    first = signed_in.get(_lesson_url(lessons[0])).content.decode()
    assert 'rel="prev"' not in first
    last = signed_in.get(_lesson_url(lessons[3])).content.decode()
    assert 'rel="next"' not in last
    assert re.search(rf'href="{re.escape(_lesson_url(lessons[2]))}" rel="prev"', last)


def test_not_enrolled_goes_to_the_course_page_with_a_message(signed_in):
    course, lessons = course_with_lessons(1)
    response = signed_in.get(_lesson_url(lessons[0]), follow=True)
    assert response.redirect_chain[0][0] == reverse("learning:course-detail", kwargs={"slug": course.slug})
    assert "Enrol in" in response.content.decode()


def test_unpublished_course_is_404_even_when_enrolled(signed_in, user):
    course, lessons = course_with_lessons(1, published=False)
    EnrollmentFactory(user=user, course=course)
    assert signed_in.get(_lesson_url(lessons[0])).status_code == 404
    assert signed_in.post(_complete_url(lessons[0])).status_code == 404
    assert signed_in.get(_resume_url(course)).status_code == 404


def test_lesson_of_another_course_is_404(signed_in, course_lessons):
    course, _lessons = course_lessons
    _other, other_lessons = course_with_lessons(1)
    url = reverse("learning:lesson", kwargs={"slug": course.slug, "pk": other_lessons[0].pk})
    assert signed_in.get(url).status_code == 404
    complete = reverse("learning:lesson-complete", kwargs={"slug": course.slug, "pk": other_lessons[0].pk})
    assert signed_in.post(complete).status_code == 404
    assert not LessonProgress.objects.exists()


def test_mark_complete_without_javascript_redirects_back_and_is_idempotent(signed_in, user, course_lessons):
    _course, lessons = course_lessons
    response = signed_in.post(_complete_url(lessons[0]))
    assert response.status_code == 302
    assert response["Location"] == _lesson_url(lessons[0])
    again = signed_in.post(_complete_url(lessons[0]), follow=True)
    assert LessonProgress.objects.filter(user=user).count() == 1
    page = again.content.decode()
    assert "Lesson completed." in page
    assert "You have completed this lesson." in page
    assert "Mark lesson complete" not in page


def test_mark_complete_with_htmx_swaps_completion_progress_and_outline(signed_in, user, course_lessons):
    _course, lessons = course_lessons
    response = signed_in.post(_complete_url(lessons[0]), **HTMX)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert '<section id="lesson-completion"' in fragment
    assert "You have completed this lesson." in fragment
    assert f'href="{_lesson_url(lessons[1])}">Continue with the next lesson' in fragment
    assert re.search(r'id="player-progress"[^>]*hx-swap-oob="true"', fragment)
    assert 'value="25" max="100"' in fragment
    assert re.search(r'id="player-outline"[^>]*hx-swap-oob="true"', fragment)
    assert fragment.count("(completed)") == 1
    assert "<html" not in fragment
    assert LessonProgress.objects.filter(user=user, lesson=lessons[0]).exists()


def test_completing_the_last_lesson_says_the_course_is_done(signed_in, user):
    course, lessons = course_with_lessons(1)
    EnrollmentFactory(user=user, course=course)
    fragment = signed_in.post(_complete_url(lessons[0]), **HTMX).content.decode()
    assert "the whole course. Well done!" in fragment
    assert Enrollment.objects.get(user=user, course=course).status == Enrollment.Status.COMPLETED


def test_paused_course_shows_resume_and_refuses_to_complete(signed_in, user):
    course, lessons = course_with_lessons(2)
    enrollment = EnrollmentFactory(user=user, course=course, status=Enrollment.Status.PAUSED)

    page = signed_in.get(_lesson_url(lessons[0])).content.decode()
    assert "This course is paused" in page
    assert reverse("learning:enrollment-resume", kwargs={"pk": enrollment.pk}) in page
    assert "Mark lesson complete" not in page

    plain = signed_in.post(_complete_url(lessons[0]), follow=True)
    assert "Resume this course to continue" in plain.content.decode()
    fragment = signed_in.post(_complete_url(lessons[0]), **HTMX).content.decode()
    assert "Resume this course to continue" in fragment
    assert not LessonProgress.objects.exists()


def test_resume_from_the_paused_player_comes_back_to_the_lesson(signed_in, user):
    course, lessons = course_with_lessons(1)
    enrollment = EnrollmentFactory(user=user, course=course, status=Enrollment.Status.PAUSED)
    response = signed_in.post(
        reverse("learning:enrollment-resume", kwargs={"pk": enrollment.pk}), {"next": _lesson_url(lessons[0])}
    )
    assert response["Location"] == _lesson_url(lessons[0])
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.IN_PROGRESS


def test_mark_complete_when_not_enrolled_is_404(signed_in):
    _course, lessons = course_with_lessons(1)
    EnrollmentFactory(course=lessons[0].course)  # another learner's
    assert signed_in.post(_complete_url(lessons[0])).status_code == 404
    assert signed_in.post(_complete_url(lessons[0]), **HTMX).status_code == 404
    assert not LessonProgress.objects.exists()


def test_mark_complete_needs_post(signed_in, course_lessons):
    _course, lessons = course_lessons
    assert signed_in.get(_complete_url(lessons[0])).status_code == 405


def test_resume_opens_the_first_incomplete_lesson(signed_in, user, course_lessons):
    course, lessons = course_lessons
    assert signed_in.get(_resume_url(course))["Location"] == _lesson_url(lessons[0])
    lesson_complete(user=user, lesson=lessons[0])
    lesson_complete(user=user, lesson=lessons[2])
    assert signed_in.get(_resume_url(course))["Location"] == _lesson_url(lessons[1])


def test_resume_of_a_completed_course_opens_the_first_lesson(signed_in, user, course_lessons):
    course, lessons = course_lessons
    for lesson in lessons:
        lesson_complete(user=user, lesson=lesson)
    assert signed_in.get(_resume_url(course))["Location"] == _lesson_url(lessons[0])


def test_resume_when_not_enrolled_or_without_lessons_goes_to_the_course_page(signed_in, user):
    course, _lessons = course_with_lessons(1)
    course_page = reverse("learning:course-detail", kwargs={"slug": course.slug})
    assert signed_in.get(_resume_url(course))["Location"] == course_page
    empty, _none = course_with_lessons()
    EnrollmentFactory(user=user, course=empty)
    response = signed_in.get(_resume_url(empty), follow=True)
    assert response.redirect_chain[-1][0] == reverse("learning:course-detail", kwargs={"slug": empty.slug})
    assert "This course has no lessons yet." in response.content.decode()


def test_player_queries_do_not_grow_with_lessons(signed_in, user, count_queries):
    small, small_lessons = course_with_lessons(1, 1)
    EnrollmentFactory(user=user, course=small)
    lesson_complete(user=user, lesson=small_lessons[0])
    large, large_lessons = course_with_lessons(6, 8, 5)
    EnrollmentFactory(user=user, course=large)
    for lesson in large_lessons[:7]:
        lesson_complete(user=user, lesson=lesson)

    few = count_queries(lambda: signed_in.get(_lesson_url(small_lessons[1])))
    many = count_queries(lambda: signed_in.get(_lesson_url(large_lessons[9])))
    assert few == many


def test_htmx_completion_queries_do_not_grow_with_lessons(signed_in, user, count_queries):
    small, small_lessons = course_with_lessons(1)
    EnrollmentFactory(user=user, course=small)
    large, large_lessons = course_with_lessons(5, 5)
    EnrollmentFactory(user=user, course=large)
    few = count_queries(lambda: signed_in.post(_complete_url(small_lessons[0]), **HTMX))
    many = count_queries(lambda: signed_in.post(_complete_url(large_lessons[3]), **HTMX))
    assert few == many


def test_lessons_added_later_appear_in_the_outline_unticked(signed_in, user, course_lessons):
    _course, lessons = course_lessons
    added = LessonFactory(module=lessons[3].module, order=99, title="Bonus lesson")
    page = signed_in.get(_lesson_url(added)).content.decode()
    assert "Bonus lesson" in page
    assert "(completed)" not in page
