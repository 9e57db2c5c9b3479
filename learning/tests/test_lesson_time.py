"""Lesson time (seed 004's ``time_spent``): the service's cap and server clock, the shared
endpoint ``POST /api/v1/learning/lessons/{id}/time/`` (sign-in, enrolment, CSRF for the
browser's beacon, validation, rate limit), and where the time shows: My learning, the
player, the instructor's pages, the lessons API and the personal data export."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services.data import data_export_collect
from accounts.tests.factories import UserFactory
from core.errors import ApplicationError
from learning.models import Enrollment, LessonProgress
from learning.rendering import time_spent_display
from learning.selectors.progress import lesson_first_incomplete
from learning.services.progress import LESSON_TIME_REPORT_CAP_SECONDS, lesson_complete, lesson_time_record
from learning.tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    InstructorProfileFactory,
    LessonFactory,
    ModuleFactory,
    course_with_lessons,
)

pytestmark = pytest.mark.django_db


def _time_url(lesson) -> str:
    return reverse("learning-api:lesson-time", kwargs={"pk": lesson.pk})


def _progress(user, lesson) -> LessonProgress:
    return LessonProgress.objects.get(user=user, lesson=lesson)


def _rewind_report(user, lesson, seconds: int) -> None:
    """Pretend the previous report was ``seconds`` ago by the server's clock."""
    LessonProgress.objects.filter(user=user, lesson=lesson).update(
        time_reported_at=timezone.now() - timedelta(seconds=seconds)
    )


@pytest.fixture
def enrolled(user):
    course, lessons = course_with_lessons(2, title="Beat Making")
    enrollment = EnrollmentFactory(user=user, course=course)
    return enrollment, lessons


# --- The service --------------------------------------------------------------------------


def test_a_first_report_counts_without_completing_the_lesson(user, enrolled):
    enrollment, lessons = enrolled
    report = lesson_time_record(user=user, lesson=lessons[0], seconds=30)
    assert (report.counted_seconds, report.time_spent_seconds) == (30, 30)
    progress = _progress(user, lessons[0])
    assert progress.completed_at is None
    assert progress.time_spent_seconds == 30
    assert progress.enrollment_id == enrollment.pk
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 0
    assert lesson_first_incomplete(user_id=user.pk, course_id=enrollment.course_id) == lessons[0]


def test_a_report_counts_at_most_the_cap(user, enrolled):
    _enrollment, lessons = enrolled
    report = lesson_time_record(user=user, lesson=lessons[0], seconds=10_000)
    assert report.counted_seconds == LESSON_TIME_REPORT_CAP_SECONDS == 60


def test_reports_accumulate_but_never_beyond_the_servers_clock(user, enrolled):
    _enrollment, lessons = enrolled
    lesson_time_record(user=user, lesson=lessons[0], seconds=30)
    _rewind_report(user, lessons[0], 30)
    assert lesson_time_record(user=user, lesson=lessons[0], seconds=30).time_spent_seconds == 60
    # A burst right after: the client claims 30 s, but no time passed by the server's clock.
    burst = [lesson_time_record(user=user, lesson=lessons[0], seconds=30).counted_seconds for _ in range(5)]
    assert burst == [0] * 5
    _rewind_report(user, lessons[0], 12)
    assert lesson_time_record(user=user, lesson=lessons[0], seconds=30).counted_seconds == 12
    # After a long absence, one report still adds no more than the cap.
    _rewind_report(user, lessons[0], 3600)
    assert lesson_time_record(user=user, lesson=lessons[0], seconds=500).counted_seconds == 60
    assert _progress(user, lessons[0]).time_spent_seconds == 60 + 12 + 60


def test_fractions_of_a_second_carry_over_instead_of_being_lost(user, enrolled):
    # Beats that arrive 29.6 s apart (network jitter) claiming 30 s each: three of them
    # count the 88 whole seconds of the 88.8 that passed, not 3 × 29.
    _enrollment, lessons = enrolled
    lesson_time_record(user=user, lesson=lessons[0], seconds=0)
    counted = []
    for _ in range(3):
        LessonProgress.objects.filter(user=user, lesson=lessons[0]).update(
            time_reported_at=F("time_reported_at") - timedelta(seconds=29.6)
        )
        counted.append(lesson_time_record(user=user, lesson=lessons[0], seconds=30).counted_seconds)
    assert sum(counted) == 88
    assert counted[0] == 29


def test_each_lesson_has_its_own_clock(user, enrolled):
    _enrollment, lessons = enrolled
    lesson_time_record(user=user, lesson=lessons[0], seconds=20)
    assert lesson_time_record(user=user, lesson=lessons[1], seconds=25).counted_seconds == 25


def test_completing_keeps_the_time_and_time_after_completion_adds(user, enrolled):
    enrollment, lessons = enrolled
    lesson_time_record(user=user, lesson=lessons[0], seconds=40)
    lesson_complete(user=user, lesson=lessons[0])
    completed = _progress(user, lessons[0])
    assert completed.completed_at is not None
    assert completed.time_spent_seconds == 40
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 50
    assert enrollment.current_lesson == lessons[1]
    lesson_complete(user=user, lesson=lessons[0])  # again: nothing changes
    assert _progress(user, lessons[0]).completed_at == completed.completed_at
    _rewind_report(user, lessons[0], 30)
    lesson_time_record(user=user, lesson=lessons[0], seconds=30)
    progress = _progress(user, lessons[0])
    assert (progress.time_spent_seconds, progress.completed_at) == (70, completed.completed_at)
    assert LessonProgress.objects.filter(user=user).count() == 1


def test_time_in_every_lesson_does_not_complete_the_course(user, enrolled):
    enrollment, lessons = enrolled
    for lesson in lessons:
        lesson_time_record(user=user, lesson=lesson, seconds=30)
    lesson_complete(user=user, lesson=lessons[0])
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.IN_PROGRESS
    assert enrollment.progress_percent == 50


def test_a_paused_course_still_counts_time(user, enrolled):
    enrollment, lessons = enrolled
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.PAUSED)
    assert lesson_time_record(user=user, lesson=lessons[0], seconds=30).counted_seconds == 30


def test_no_time_without_an_enrolment_with_access(user, enrolled):
    enrollment, lessons = enrolled
    stranger = UserFactory()
    with pytest.raises(ApplicationError):
        lesson_time_record(user=stranger, lesson=lessons[0], seconds=30)
    Enrollment.objects.filter(pk=enrollment.pk).update(access_revoked_at=timezone.now())
    with pytest.raises(ApplicationError):
        lesson_time_record(user=user, lesson=lessons[0], seconds=30)
    assert not LessonProgress.objects.exists()


@pytest.mark.parametrize("seconds", [-1, 2.5, "30", True])
def test_bad_seconds_change_nothing(user, enrolled, seconds):
    _enrollment, lessons = enrolled
    with pytest.raises(ValidationError):
        lesson_time_record(user=user, lesson=lessons[0], seconds=seconds)
    assert not LessonProgress.objects.exists()


# --- The endpoint -------------------------------------------------------------------------


def test_the_endpoint_records_time_for_an_enrolled_learner(user_client, user, enrolled):
    _enrollment, lessons = enrolled
    response = user_client.post(_time_url(lessons[0]), {"seconds": 30})
    assert response.status_code == 200, response.content
    assert response.json() == {"lesson": str(lessons[0].pk), "counted_seconds": 30, "time_spent_seconds": 30}
    assert user_client.post(_time_url(lessons[0]), {"seconds": 30}).json()["counted_seconds"] == 0
    listed = user_client.get(reverse("learning-api:lesson-detail", kwargs={"pk": lessons[0].pk})).json()
    assert (listed["time_spent_seconds"], listed["completed"]) == (30, False)


def test_the_endpoint_needs_a_signed_in_member(api_client, enrolled):
    _enrollment, lessons = enrolled
    assert api_client.post(_time_url(lessons[0]), {"seconds": 30}).status_code in (401, 403)
    assert not LessonProgress.objects.exists()


def test_the_endpoint_is_a_404_without_access_to_the_lesson(user, enrolled):
    enrollment, lessons = enrolled
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())
    assert stranger.post(_time_url(lessons[0]), {"seconds": 30}).status_code == 404
    draft_course, draft_lessons = course_with_lessons(1, published=False)
    EnrollmentFactory(user=user, course=draft_course)
    Enrollment.objects.filter(pk=enrollment.pk).update(access_revoked_at=timezone.now())
    client = APIClient()
    client.force_authenticate(user)
    assert client.post(_time_url(lessons[0]), {"seconds": 30}).status_code == 404
    assert client.post(_time_url(draft_lessons[0]), {"seconds": 30}).status_code == 404
    assert client.post("/api/v1/learning/lessons/not-a-uuid/time/", {"seconds": 30}).status_code == 404
    assert not LessonProgress.objects.exists()


@pytest.mark.parametrize("body", [{}, {"seconds": -5}, {"seconds": "soon"}, {"seconds": 86_401}])
def test_bad_input_is_a_400_and_changes_nothing(user_client, enrolled, body):
    _enrollment, lessons = enrolled
    response = user_client.post(_time_url(lessons[0]), body)
    assert response.status_code == 400
    assert "seconds" in response.json()["errors"]
    assert not LessonProgress.objects.exists()


def test_the_browser_beacon_sends_a_form_with_the_csrf_token(client, user, enrolled):
    """navigator.sendBeacon cannot set headers: the token travels in the form body."""
    _enrollment, lessons = enrolled
    client = type(client)(enforce_csrf_checks=True)
    client.force_login(user)
    player = client.get(reverse("learning:lesson", kwargs={"slug": lessons[0].course.slug, "pk": lessons[0].pk}))
    token = player.context["csrf_token"]
    body = f"seconds=30&csrfmiddlewaretoken={token}"
    form = "application/x-www-form-urlencoded;charset=UTF-8"
    assert client.post(_time_url(lessons[0]), "seconds=30", content_type=form).status_code == 403
    assert not LessonProgress.objects.exists()
    response = client.post(_time_url(lessons[0]), body, content_type=form)
    assert response.status_code == 200, response.content
    assert _progress(user, lessons[0]).time_spent_seconds == 30


@override_settings(LESSON_TIME_RATE="3/min")
def test_reports_are_rate_limited_per_user(user_client, enrolled):
    _enrollment, lessons = enrolled
    codes = [user_client.post(_time_url(lessons[index % 2]), {"seconds": 5}).status_code for index in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_schema_documents_the_endpoint():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/learning/lessons/{id}/time/"]["post"]
    assert operation["operationId"] == "learning_lessons_time"
    assert "60 seconds" in operation["description"]
    assert "LessonTime" in str(operation["responses"]["200"])


# --- Where the time shows -----------------------------------------------------------------


def test_time_spent_in_words():
    assert [time_spent_display(s) for s in (0, 59, 60, 3599, 3600, 7500)] == [
        "none yet",
        "under a minute",
        "1 min",
        "59 min",
        "1 h 00 min",
        "2 h 05 min",
    ]


def test_my_learning_shows_each_courses_total(client, user, enrolled, django_assert_max_num_queries):
    enrollment, lessons = enrolled
    LessonProgress.objects.create(user=user, lesson=lessons[0], enrollment=enrollment, time_spent_seconds=600)
    LessonProgress.objects.create(user=user, lesson=lessons[1], enrollment=enrollment, time_spent_seconds=150)
    EnrollmentFactory(user=user)
    client.force_login(user)
    body = client.get(reverse("learning:my-learning")).content.decode()
    assert "12 min spent" in body
    assert body.count("spent</span>") == 1  # the course without time says nothing
    for _ in range(5):
        course, more = course_with_lessons(1)
        more_enrollment = EnrollmentFactory(user=user, course=course)
        LessonProgress.objects.create(user=user, lesson=more[0], enrollment=more_enrollment, time_spent_seconds=90)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("learning:my-learning")).status_code == 200


def test_the_player_carries_the_reporter(client, user, enrolled):
    _enrollment, lessons = enrolled
    client.force_login(user)
    body = client.get(
        reverse("learning:lesson", kwargs={"slug": lessons[0].course.slug, "pk": lessons[0].pk})
    ).content.decode()
    assert f'data-lesson-time-url="{_time_url(lessons[0])}"' in body
    assert 'data-lesson-time-interval="30"' in body
    assert "js/lesson-time" in body
    assert "<script>" not in body  # no inline script: the page's CSP allows none


def _taught_course_with_time(seconds=(300, 900, 600, 0)):
    instructor = InstructorProfileFactory().user
    course, lessons = course_with_lessons(1, 1, instructor=instructor, title="Synth Basics")
    readers = [EnrollmentFactory(course=course) for _ in seconds]
    for enrollment, spent in zip(readers, seconds, strict=True):
        LessonProgress.objects.create(
            user=enrollment.user, lesson=lessons[0], enrollment=enrollment, time_spent_seconds=spent
        )
    lesson_complete(user=readers[0].user, lesson=lessons[0])
    return instructor, course, lessons, readers


def test_the_instructor_sees_time_per_lesson_without_names(client):
    instructor, course, _lessons, readers = _taught_course_with_time()
    client.force_login(instructor)
    courses_page = client.get(reverse("learning:teaching-courses")).content.decode()
    assert "30 min" in courses_page
    assert reverse("learning:teaching-lessons", kwargs={"slug": course.slug}) in courses_page

    response = client.get(reverse("learning:teaching-lessons", kwargs={"slug": course.slug}))
    stats = response.context["stats"]
    first, second = stats.lessons
    assert (first.completed_count, first.reader_count, first.time_spent_seconds) == (1, 3, 1800)
    assert first.average_seconds == 600
    assert (second.completed_count, second.reader_count, second.average_seconds) == (0, 0, None)
    assert (stats.enrollment_count, stats.time_spent_seconds, stats.average_seconds) == (4, 1800, 450)
    body = response.content.decode()
    assert "10 min" in body
    for enrollment in readers:
        assert enrollment.user.display_name not in body
        assert enrollment.user.email not in body


def test_time_over_fewer_than_three_learners_is_not_shown(client):
    # Two learners: a lesson's total would be the sum of two known people's time.
    instructor, course, _lessons, _readers = _taught_course_with_time(seconds=(300, 900))
    client.force_login(instructor)
    courses_page = client.get(reverse("learning:teaching-courses")).content.decode()
    assert "20 min" not in courses_page

    response = client.get(reverse("learning:teaching-lessons", kwargs={"slug": course.slug}))
    stats = response.context["stats"]
    first = stats.lessons[0]
    assert (first.reader_count, first.time_spent_seconds, first.average_seconds) == (2, None, None)
    assert (stats.time_spent_seconds, stats.average_seconds) == (None, None)
    body = response.content.decode()
    for shown in ("5 min", "15 min", "20 min"):
        assert shown not in body
    assert "shown once three learners are enrolled" in body


def test_the_lesson_time_page_is_a_404_for_others(client):
    _instructor, course, _lessons, readers = _taught_course_with_time()
    url = reverse("learning:teaching-lessons", kwargs={"slug": course.slug})
    client.force_login(readers[0].user)
    assert client.get(url).status_code == 404
    client.force_login(InstructorProfileFactory().user)
    assert client.get(url).status_code == 404


def test_the_lesson_time_page_queries_do_not_grow(client, count_queries):
    instructor, course, lessons, _readers = _taught_course_with_time()
    client.force_login(instructor)
    url = reverse("learning:teaching-lessons", kwargs={"slug": course.slug})
    few = count_queries(lambda: client.get(url))
    module = ModuleFactory(course=course, order=3)
    lessons += [LessonFactory(module=module, order=order) for order in range(1, 4)]
    for _ in range(4):
        enrollment = EnrollmentFactory(course=course)
        for lesson in lessons:
            LessonProgress.objects.create(
                user=enrollment.user, lesson=lesson, enrollment=enrollment, time_spent_seconds=60
            )
    assert count_queries(lambda: client.get(url)) == few
    courses_url = reverse("learning:teaching-courses")
    few = count_queries(lambda: client.get(courses_url))
    CourseFactory(instructor=instructor)
    assert count_queries(lambda: client.get(courses_url)) == few


def test_the_export_has_each_lessons_time_and_the_courses_total(user, enrolled):
    _enrollment, lessons = enrolled
    lesson_time_record(user=user, lesson=lessons[0], seconds=45)
    lesson_complete(user=user, lesson=lessons[0])
    lesson_time_record(user=user, lesson=lessons[1], seconds=20)
    (exported,) = data_export_collect(user=user)["enrollments"]
    assert exported["time_spent_seconds"] == 65
    first, second = exported["lessons"]
    assert (first["lesson_id"], first["time_spent_seconds"]) == (str(lessons[0].pk), 45)
    assert first["completed_at"]
    assert (second["lesson_id"], second["time_spent_seconds"], second["completed_at"]) == (
        str(lessons[1].pk),
        20,
        None,
    )
