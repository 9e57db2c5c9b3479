"""The learning demo data: a living catalog and enrolments at every stage."""

import pytest
from django.core.management import call_command

from learning.models import Certificate, Course, Enrollment, Lesson, LessonProgress, Payment

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_catalog_once_with_a_certified_learner(seeded_demo):
    published = Course.objects.filter(published=True)
    assert published.count() >= 6
    assert published.values("category").distinct().count() >= 3
    assert Lesson.objects.count() >= 20
    statuses = set(Enrollment.objects.values_list("status", flat=True))
    assert statuses == {Enrollment.Status.IN_PROGRESS, Enrollment.Status.PAUSED, Enrollment.Status.COMPLETED}
    completed = Enrollment.objects.get(status=Enrollment.Status.COMPLETED)
    certificate = Certificate.objects.get(user=completed.user, course=completed.course)
    assert certificate.pdf is not None
    assert Certificate.objects.count() == 1
    paid = Enrollment.objects.get(course__price_cents__gt=0)
    assert paid.source == Enrollment.Source.PAYMENT
    assert Payment.objects.get(user=paid.user, course=paid.course).status == Payment.Status.SUCCEEDED


def test_seed_demo_gives_every_course_a_cover_a_lesson_a_video_and_lessons_time_once(
    seeded_demo, django_capture_on_commit_callbacks
):
    from PIL import Image

    from learning.demo.seed import COURSES
    from learning.rendering import lesson_video

    covers = dict(Course.objects.values_list("slug", "thumbnail"))
    assert len(covers) == len(COURSES)
    assert all(name.startswith("courses/thumbnails/demo-") for name in covers.values())
    course = Course.objects.get(slug="music-production-fundamentals")
    assert course.thumbnail.storage.exists(course.thumbnail.name)
    with course.thumbnail.open() as stored:
        image = Image.open(stored)
        assert (image.format, image.size) == ("JPEG", (960, 540))
    embedded = [lesson for lesson in Lesson.objects.exclude(video_url="") if lesson_video(lesson.video_url).is_embed]
    assert embedded
    times = dict(LessonProgress.objects.values_list("pk", "time_spent_seconds"))
    assert times
    assert all(times.values())  # every completed demo lesson shows time spent

    # Seeding again keeps every cover and stores no second file.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert dict(Course.objects.values_list("slug", "thumbnail")) == covers
    assert dict(LessonProgress.objects.values_list("pk", "time_spent_seconds")) == times
    _dirs, files = course.thumbnail.storage.listdir("courses/thumbnails")
    stored = {f"courses/thumbnails/{name}" for name in files if name.startswith("demo-")}
    assert stored == set(covers.values())  # no "demo-…_x1y2z3.jpg" second copies


def test_a_cover_lost_from_storage_is_drawn_again_under_its_name(client):
    from learning.demo.seed import seed_catalog, seed_course_covers

    courses = seed_catalog()
    seed_course_covers(courses)
    course = Course.objects.get(slug="mobility-in-ten-minutes-a-day")
    name = course.thumbnail.name
    course.thumbnail.storage.delete(name)
    seed_course_covers({title: Course.objects.get(pk=c.pk) for title, c in courses.items()})
    course.refresh_from_db()
    assert course.thumbnail.name == name
    assert course.thumbnail.storage.exists(name)
    assert f'src="{course.thumbnail.url}"' in client.get("/learn/courses/").content.decode()


def test_a_demo_course_seeded_before_its_video_gets_it():
    from learning.demo.seed import seed_catalog
    from learning.rendering import lesson_video

    seed_catalog()
    blocking = Lesson.objects.get(title="Blocking a scene")
    Lesson.objects.filter(pk=blocking.pk).update(video_url="")
    seed_catalog()
    blocking.refresh_from_db()
    video = lesson_video(blocking.video_url)
    assert video is not None
    assert video.kind == "youtube"


def test_seed_demo_gives_check_ins_once_one_of_them_low(seeded_demo):
    from learning.models import ChatMessage
    from learning.selectors.wellness import wellness_answer_list_for_user

    answers = ChatMessage.objects.filter(session_type=ChatMessage.SessionType.WELLNESS, role=ChatMessage.Role.USER)
    assert answers.count() == 2
    client = answers.get(user__email="client@ascend.example").user
    (low,) = wellness_answer_list_for_user(user=client)
    assert low.is_low
