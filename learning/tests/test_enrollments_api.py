"""The learner's API: lessons (+ complete) and enrollments (+ pause, resume, wellness-check)."""

import pytest
from django.utils import timezone

from learning.models import ChatMessage, Enrollment, LessonProgress
from learning.services.progress import lesson_complete
from learning.tests.factories import EnrollmentFactory, course_with_lessons

pytestmark = pytest.mark.django_db

ENROLLMENTS = "/api/v1/learning/enrollments/"
LESSONS = "/api/v1/learning/lessons/"


def _enrolled(user, *counts: int, **course_fields) -> tuple[Enrollment, list]:
    course, lessons = course_with_lessons(*counts, **course_fields)
    return EnrollmentFactory(user=user, course=course), lessons


def test_endpoints_need_a_sign_in(api_client):
    assert api_client.get(ENROLLMENTS).status_code == 401
    assert api_client.get(LESSONS).status_code == 401


# enrollments


def test_enrollments_list_only_mine_with_progress(user_client, user):
    enrollment, lessons = _enrolled(user, 3, title="Beat Making")
    lesson_complete(user=user, lesson=lessons[0])
    EnrollmentFactory()  # someone else's

    body = user_client.get(ENROLLMENTS).json()

    assert body["count"] == 1
    item = body["results"][0]
    assert item["id"] == str(enrollment.pk)
    assert item["course"] == {"id": str(enrollment.course_id), "slug": enrollment.course.slug, "title": "Beat Making"}
    assert item["status"] == "in_progress"
    assert item["progress_percent"] == 33
    assert item["current_lesson"] == str(lessons[1].pk)
    assert item["current_module"] == str(lessons[1].module_id)
    assert item["completed_at"] is None
    assert item["wellness_check_due"] is False


def test_enrollments_filter_by_status_and_course(user_client, user):
    active = EnrollmentFactory(user=user)
    paused = EnrollmentFactory(user=user, status=Enrollment.Status.PAUSED)
    assert [item["id"] for item in user_client.get(ENROLLMENTS, {"status": "paused"}).json()["results"]] == [
        str(paused.pk)
    ]
    by_course = user_client.get(ENROLLMENTS, {"course": str(active.course_id)}).json()["results"]
    assert [item["id"] for item in by_course] == [str(active.pk)]
    bad = user_client.get(ENROLLMENTS, {"status": "dreaming"})
    assert bad.status_code == 400
    assert "status" in bad.json()["errors"]


def test_enrollments_ordering(user_client, user):
    low = EnrollmentFactory(user=user, progress_percent=10)
    high = EnrollmentFactory(user=user, progress_percent=90)
    ids = [item["id"] for item in user_client.get(ENROLLMENTS, {"ordering": "-progress_percent"}).json()["results"]]
    assert ids == [str(high.pk), str(low.pk)]


def test_enrollment_retrieve_and_other_users_is_404(user_client, user):
    mine = EnrollmentFactory(user=user)
    assert user_client.get(f"{ENROLLMENTS}{mine.pk}/").json()["id"] == str(mine.pk)
    other = EnrollmentFactory()
    assert user_client.get(f"{ENROLLMENTS}{other.pk}/").status_code == 404
    for action in ("pause", "resume"):
        assert user_client.post(f"{ENROLLMENTS}{other.pk}/{action}/").status_code == 404
    assert user_client.post(f"{ENROLLMENTS}{other.pk}/wellness-check/", {"mood": 3}).status_code == 404
    other.refresh_from_db()
    assert other.status == Enrollment.Status.IN_PROGRESS


def test_pause_and_resume(user_client, user):
    enrollment = EnrollmentFactory(user=user)
    response = user_client.post(f"{ENROLLMENTS}{enrollment.pk}/pause/")
    assert response.status_code == 200
    assert response.json()["status"] == "paused"
    refused = user_client.post(f"{ENROLLMENTS}{enrollment.pk}/pause/")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "This course is already paused."
    assert user_client.post(f"{ENROLLMENTS}{enrollment.pk}/resume/").json()["status"] == "in_progress"
    assert user_client.post(f"{ENROLLMENTS}{enrollment.pk}/resume/").status_code == 409


def test_completed_enrollment_cannot_be_paused(user_client, user):
    enrollment = EnrollmentFactory(user=user, status=Enrollment.Status.COMPLETED, completed_at=timezone.now())
    response = user_client.post(f"{ENROLLMENTS}{enrollment.pk}/pause/")
    assert response.status_code == 409
    assert "completed" in response.json()["detail"]


def test_wellness_check(user_client, user):
    enrollment, lessons = _enrolled(user, 2)
    lesson_complete(user=user, lesson=lessons[0])
    assert user_client.get(f"{ENROLLMENTS}{enrollment.pk}/").json()["wellness_check_due"] is True

    response = user_client.post(f"{ENROLLMENTS}{enrollment.pk}/wellness-check/", {"mood": 4, "note": "Fine"})

    assert response.status_code == 201
    question, answer = response.json()
    assert question["role"] == "assistant"
    assert answer["role"] == "user"
    assert answer["message"] == "Fine"
    assert answer["metadata"]["mood"] == 4
    assert question["session_id"] == answer["session_id"]
    assert question["session_type"] == answer["session_type"] == "wellness"
    detail = user_client.get(f"{ENROLLMENTS}{enrollment.pk}/").json()
    assert detail["wellness_check_completed"] is True
    assert detail["wellness_check_due"] is False
    again = user_client.post(f"{ENROLLMENTS}{enrollment.pk}/wellness-check/", {"mood": 4})
    assert again.status_code == 409


@pytest.mark.parametrize("payload", [{"mood": 0}, {"mood": 6}, {}, {"mood": "happy"}, {"mood": 3, "note": "x" * 2001}])
def test_wellness_check_bad_input_is_400_and_saves_nothing(user_client, user, payload):
    enrollment = EnrollmentFactory(user=user, progress_percent=50)
    response = user_client.post(f"{ENROLLMENTS}{enrollment.pk}/wellness-check/", payload)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not ChatMessage.objects.exists()


def test_wellness_check_before_half_way_is_409(user_client, user):
    enrollment = EnrollmentFactory(user=user, progress_percent=20)
    assert user_client.post(f"{ENROLLMENTS}{enrollment.pk}/wellness-check/", {"mood": 3}).status_code == 409


def test_enrollments_list_queries_do_not_grow(user_client, user, count_queries):
    _enrolled(user, 2)
    few = count_queries(lambda: user_client.get(ENROLLMENTS))
    for _ in range(10):
        _enrollment, lessons = _enrolled(user, 3)
        lesson_complete(user=user, lesson=lessons[0])
    many = count_queries(lambda: user_client.get(ENROLLMENTS))
    assert few == many


# lessons


def test_lessons_list_only_enrolled_published_courses_in_course_order(user_client, user):
    enrollment, lessons = _enrolled(user, 2, 1)
    lesson_complete(user=user, lesson=lessons[1])
    course_with_lessons(2)  # not enrolled
    _enrolled(user, 1, published=False)  # unpublished since

    body = user_client.get(LESSONS).json()

    assert [item["id"] for item in body["results"]] == [str(lesson.pk) for lesson in lessons]
    first, second, third = body["results"]
    assert first["course"] == str(enrollment.course_id)
    assert first["course_slug"] == enrollment.course.slug
    assert first["module"] == str(lessons[0].module_id)
    assert first["completed"] is False
    assert first["completed_at"] is None
    assert second["completed"] is True
    assert second["completed_at"] is not None
    assert third["module_order"] == 2
    assert "content" not in first


def test_lessons_filters(user_client, user):
    enrollment, lessons = _enrolled(user, 1, 2)
    _enrolled(user, 2)
    lesson_complete(user=user, lesson=lessons[0])
    by_course = user_client.get(LESSONS, {"course": str(enrollment.course_id)}).json()
    assert by_course["count"] == 3
    by_module = user_client.get(LESSONS, {"module": str(lessons[1].module_id)}).json()
    assert [item["id"] for item in by_module["results"]] == [str(lessons[1].pk), str(lessons[2].pk)]
    done = user_client.get(LESSONS, {"course": str(enrollment.course_id), "completed": "true"}).json()
    assert [item["id"] for item in done["results"]] == [str(lessons[0].pk)]
    open_ = user_client.get(LESSONS, {"course": str(enrollment.course_id), "completed": "false"}).json()
    assert open_["count"] == 2


def test_lesson_retrieve_has_sanitised_content_video_and_neighbours(user_client, user):
    _enrollment, lessons = _enrolled(user, 1, 2)
    lesson = lessons[1]
    lesson.content = '# Hook\n\nWrite **one** line. <script>alert(1)</script><a href="javascript:alert(2)">x</a>'
    lesson.video_url = "https://vimeo.com/76979871"
    lesson.save()

    body = user_client.get(f"{LESSONS}{lesson.pk}/").json()

    assert body["content"] == lesson.content
    assert "<h2>Hook</h2>" in body["content_html"]
    assert "<strong>one</strong>" in body["content_html"]
    assert "<script" not in body["content_html"]
    assert "javascript:" not in body["content_html"]
    assert body["video"] == {
        "kind": "vimeo",
        "url": "https://vimeo.com/76979871",
        "embed_url": "https://player.vimeo.com/video/76979871?dnt=1",
    }
    assert body["previous_lesson"] == str(lessons[0].pk)
    assert body["next_lesson"] == str(lessons[2].pk)
    first = user_client.get(f"{LESSONS}{lessons[0].pk}/").json()
    assert first["previous_lesson"] is None
    assert first["video"] is None


def test_lesson_of_a_course_not_enrolled_in_is_404(user_client, user):
    _course, lessons = course_with_lessons(1)
    EnrollmentFactory(course=lessons[0].course)  # someone else
    assert user_client.get(f"{LESSONS}{lessons[0].pk}/").status_code == 404
    assert user_client.post(f"{LESSONS}{lessons[0].pk}/complete/").status_code == 404
    assert not LessonProgress.objects.exists()


def test_lesson_of_an_unpublished_course_is_404(user_client, user):
    _enrollment, lessons = _enrolled(user, 1, published=False)
    assert user_client.get(f"{LESSONS}{lessons[0].pk}/").status_code == 404
    assert user_client.post(f"{LESSONS}{lessons[0].pk}/complete/").status_code == 404


def test_complete_returns_the_enrollment_and_is_idempotent(user_client, user):
    enrollment, lessons = _enrolled(user, 3)
    response = user_client.post(f"{LESSONS}{lessons[1].pk}/complete/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(enrollment.pk)
    assert body["progress_percent"] == 33
    assert body["current_lesson"] == str(lessons[0].pk)
    again = user_client.post(f"{LESSONS}{lessons[1].pk}/complete/").json()
    assert again["progress_percent"] == 33
    assert LessonProgress.objects.filter(user=user).count() == 1
    assert user_client.get(f"{LESSONS}{lessons[1].pk}/").json()["completed"] is True


def test_complete_the_last_lesson_completes_the_course(user_client, user):
    _enrollment, lessons = _enrolled(user, 1)
    body = user_client.post(f"{LESSONS}{lessons[0].pk}/complete/").json()
    assert body["status"] == "completed"
    assert body["progress_percent"] == 100
    assert body["completed_at"] is not None
    assert body["current_lesson"] is None


def test_complete_in_a_paused_course_is_409(user_client, user):
    enrollment, lessons = _enrolled(user, 2)
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.PAUSED)
    response = user_client.post(f"{LESSONS}{lessons[0].pk}/complete/")
    assert response.status_code == 409
    assert "Resume this course to continue" in response.json()["detail"]
    assert not LessonProgress.objects.exists()


def test_lessons_list_queries_do_not_grow(user_client, user, count_queries):
    _enrolled(user, 1)
    few = count_queries(lambda: user_client.get(LESSONS))
    for _ in range(3):
        _enrollment, lessons = _enrolled(user, 3, 4)
        lesson_complete(user=user, lesson=lessons[0])
    many = count_queries(lambda: user_client.get(LESSONS))
    assert few == many


def test_lesson_detail_queries_do_not_grow(user_client, user, count_queries):
    _enrollment, small = _enrolled(user, 2)
    _enrollment, large = _enrolled(user, 8, 8, 8)
    assert count_queries(lambda: user_client.get(f"{LESSONS}{small[1].pk}/")) == count_queries(
        lambda: user_client.get(f"{LESSONS}{large[12].pk}/")
    )


@pytest.mark.parametrize("url", [f"{ENROLLMENTS}null,null/", f"{LESSONS}not-a-uuid/", f"{LESSONS}1/complete/"])
def test_malformed_ids_are_404(user_client, url):
    response = user_client.post(url) if url.endswith("complete/") else user_client.get(url)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_id_shaped_like_a_uuid_but_invalid_is_404(user_client):
    assert user_client.get(f"{ENROLLMENTS}{'0' * 36}/").status_code == 404
    assert user_client.get(f"{LESSONS}{'0' * 36}/").status_code == 404
