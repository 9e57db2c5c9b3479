"""The lesson player's shared parts: a course's outline (learning.selectors.progress) is kept
in the shared cache and in each process, and its markup in each process (learning.views.player),
and they follow every change of the course, its modules and lessons at once; the ticks,
progress and wellness offer are each learner's own and never come from them."""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from learning.models import Course, Enrollment, Lesson
from learning.services.catalog import course_outline_changed
from learning.services.progress import lesson_complete
from learning.tests.factories import EnrollmentFactory, LessonFactory, course_with_lessons

pytestmark = pytest.mark.django_db


def _lesson_url(lesson) -> str:
    return reverse("learning:lesson", kwargs={"slug": lesson.course.slug, "pk": lesson.pk})


def _page(client, lesson) -> str:
    response = client.get(_lesson_url(lesson))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def learner(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def course_lessons(user):
    course, lessons = course_with_lessons(2, 2)
    EnrollmentFactory(user=user, course=course)
    return course, lessons


def test_the_outline_comes_from_the_cache_without_reading_the_lessons(learner, course_lessons):
    _course, lessons = course_lessons
    _page(learner, lessons[0])
    with CaptureQueriesContext(connection) as captured:
        page = _page(learner, lessons[0])
    assert lessons[3].title in page
    assert not [query for query in captured if 'FROM "learning_lesson"' in query["sql"]]


def test_an_edited_lesson_and_module_show_at_once(learner, course_lessons):
    _course, lessons = course_lessons
    assert lessons[3].title in _page(learner, lessons[0])
    lessons[3].title = "Renamed lesson"
    lessons[3].save()
    module = lessons[0].module
    module.title = "Renamed module"
    module.save()
    lessons[0].content = "Brand **new** text"
    lessons[0].save()
    page = _page(learner, lessons[0])
    assert "Renamed lesson" in page
    assert "Renamed module" in page
    assert "Brand <strong>new</strong> text" in page


def test_a_deleted_lesson_leaves_the_outline(learner, course_lessons):
    _course, lessons = course_lessons
    assert _lesson_url(lessons[3]) in _page(learner, lessons[0])
    gone = _lesson_url(lessons[3])
    lessons[3].delete()
    assert gone not in _page(learner, lessons[0])


def test_a_lesson_added_after_the_outline_was_kept_appears(learner, course_lessons):
    _course, lessons = course_lessons
    _page(learner, lessons[0])
    added = LessonFactory(module=lessons[3].module, order=99, title="Bonus lesson")
    assert "Bonus lesson" in _page(learner, lessons[0])
    assert "Bonus lesson" in _page(learner, added)


def test_a_new_slug_moves_the_outlines_links(learner, course_lessons):
    course, lessons = course_lessons
    _page(learner, lessons[0])
    course.slug = "a-new-slug"
    course.save()
    for lesson in lessons:
        lesson.course = course
    page = _page(learner, lessons[0])
    assert _lesson_url(lessons[3]).startswith("/learn/courses/a-new-slug/")
    assert _lesson_url(lessons[3]) in page


def test_each_learner_sees_only_their_own_ticks_on_the_shared_outline(client, user, course_lessons):
    course, lessons = course_lessons
    other = UserFactory()
    EnrollmentFactory(user=other, course=course)
    lesson_complete(user=user, lesson=lessons[0])
    lesson_complete(user=user, lesson=lessons[1])
    client.force_login(user)
    mine = _page(client, lessons[2])
    client.force_login(other)
    theirs = _page(client, lessons[2])
    assert mine.count("(completed)") == 2
    assert "Course progress: 50% (2 of 4 lessons)" in mine
    assert "(completed)" not in theirs
    assert "Course progress: 0% (0 of 4 lessons)" in theirs


def test_the_wellness_offer_is_the_learners_own(client, user, course_lessons):
    course, lessons = course_lessons
    halfway = UserFactory()
    EnrollmentFactory(user=halfway, course=course)
    lesson_complete(user=halfway, lesson=lessons[0])
    lesson_complete(user=halfway, lesson=lessons[1])
    assert Enrollment.objects.get(user=halfway, course=course).progress_percent == 50
    client.force_login(halfway)
    offered = _page(client, lessons[2])
    client.force_login(user)
    not_offered = _page(client, lessons[2])
    assert "Halfway there" in offered
    assert 'name="mood" value="5" id="id_mood_4" required' in offered
    assert 'id="id_note"' in offered
    assert "Halfway there" not in not_offered


def _outline(page: str) -> str:
    match = re.search(r'<nav id="player-outline".*?</nav>', page, re.S)
    assert match is not None
    return match[0]


def test_an_outline_kept_in_the_process_follows_a_change_another_process_announces(learner, course_lessons):
    """Another process's receivers renew the course's outline token, which each page reads
    with the course: here a bulk update (no signal in this process) and the renewal another
    process would have made."""
    course, lessons = course_lessons
    assert lessons[3].title in _page(learner, lessons[0])
    Lesson.objects.filter(pk=lessons[3].pk).update(title="Renamed elsewhere")
    assert "Renamed elsewhere" not in _page(learner, lessons[0])  # kept: nothing announced it yet
    course_outline_changed(course_id=course.pk)
    assert "Renamed elsewhere" in _page(learner, lessons[0])


def test_a_change_renews_only_its_own_courses_outline(user, course_lessons):
    """Each course's outline is kept under its own token: a lesson saved in one course
    renews that course's token and no other's; a module's or the course's own save too."""
    course, lessons = course_lessons
    other, _other_lessons = course_with_lessons(1, 1)
    tokens = dict(Course.objects.values_list("pk", "outline_token"))
    lessons[0].title = "Renamed"
    lessons[0].save()
    after = dict(Course.objects.values_list("pk", "outline_token"))
    assert after[course.pk] != tokens[course.pk]
    assert after[other.pk] == tokens[other.pk]
    lessons[0].module.title = "Renamed module"
    lessons[0].module.save()
    assert Course.objects.get(pk=course.pk).outline_token != after[course.pk]
    course.title = "Renamed course"
    course.save()
    assert course.outline_token == Course.objects.get(pk=course.pk).outline_token != after[course.pk]
    lessons[3].delete()
    assert Course.objects.get(pk=course.pk).outline_token != course.outline_token


def test_ticks_and_counts_follow_each_completion_on_the_kept_outline(learner, user, course_lessons):
    _course, lessons = course_lessons
    first = _outline(_page(learner, lessons[1]))
    assert first.count("(0 of 2 done)") == 2
    assert "(completed)" not in first

    lesson_complete(user=user, lesson=lessons[0])
    after_one = _outline(_page(learner, lessons[1]))
    assert after_one.count("(completed)") == 1
    assert "(1 of 2 done)" in after_one
    assert "(0 of 2 done)" in after_one
    done = re.search(r'<li class="outline-lesson outline-lesson-done">.*?</li>', after_one, re.S)
    assert done is not None
    assert f'href="{_lesson_url(lessons[0])}"' in done[0]

    fragment = learner.post(
        reverse("learning:lesson-complete", kwargs={"slug": lessons[1].course.slug, "pk": lessons[1].pk}),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    outline = _outline(fragment)
    current = re.search(
        r'<li class="outline-lesson outline-lesson-done outline-lesson-current">.*?</li>', outline, re.S
    )
    assert current is not None
    assert f'href="{_lesson_url(lessons[1])}" aria-current="page"' in current[0]
    assert "(2 of 2 done)" in outline
    assert outline.count("(completed)") == 2


def test_a_learner_after_another_sees_their_own_state_of_the_same_lesson(client, user, course_lessons):
    """The markup kept for one learner's state is picked by state, never handed to another."""
    course, lessons = course_lessons
    other = UserFactory()
    EnrollmentFactory(user=other, course=course)
    lesson_complete(user=other, lesson=lessons[2])
    client.force_login(user)
    mine = _outline(_page(client, lessons[2]))
    client.force_login(other)
    theirs = _outline(_page(client, lessons[2]))
    assert "(completed)" not in mine
    assert 'class="outline-lesson outline-lesson-current"' in mine
    assert theirs.count("(completed)") == 1
    assert 'class="outline-lesson outline-lesson-done outline-lesson-current"' in theirs
    client.force_login(user)
    assert _outline(_page(client, lessons[2])) == mine


def test_the_kept_outline_is_the_one_rendered_afresh(learner, user, course_lessons):
    """While developing (DEBUG) nothing is kept: the markup put together from kept pieces is
    the same as the one rendered for the page alone."""
    _course, lessons = course_lessons
    lesson_complete(user=user, lesson=lessons[0])
    _page(learner, lessons[1])
    kept = _outline(_page(learner, lessons[1]))
    with override_settings(DEBUG=True):
        fresh = _outline(_page(learner, lessons[1]))
    assert kept == fresh


def test_a_bulk_update_shows_once_the_kept_outline_has_expired(learner, course_lessons):
    """A QuerySet.update() renews no token: the outline's timeout bounds it — and the
    outline's markup kept in the process goes with the outline it was made from, even when
    the outline is read again under the same token."""
    from learning.tests.factories import kept_outline_expire

    course, lessons = course_lessons
    _page(learner, lessons[0])
    Lesson.objects.filter(pk=lessons[3].pk).update(title="Renamed by a bulk update")
    assert "Renamed by a bulk update" not in _page(learner, lessons[0])  # kept until it expires
    token = Course.objects.get(pk=course.pk).outline_token
    kept_outline_expire(course)  # both kept copies: the shared one's timeout, the process's own
    page = _page(learner, lessons[0])
    assert Course.objects.get(pk=course.pk).outline_token == token
    assert "Renamed by a bulk update" in page  # in the outline, the only place lesson 4 shows


def test_a_viewed_lesson_costs_the_session_the_person_and_one_read(learner, course_lessons, user):
    """Viewed again within the visit's precision: the session, the person, and the enrollment
    read — which brings the navigation's facts with it (on PostgreSQL, in the same query), so
    the unread badge is exact without a query of its own. (SQLite, the embedded default: the
    completed lessons and the facts are two more.)"""
    from accounts.tests.factories import NotificationFactory

    _course, lessons = course_lessons
    _page(learner, lessons[0])
    NotificationFactory.create_batch(2, user=user)
    with CaptureQueriesContext(connection) as captured:
        page = _page(learner, lessons[0])
    expected = 3 if connection.vendor == "postgresql" else 5
    assert len(captured) == expected, [query["sql"][:120] for query in captured]
    assert '<span class="nav-badge" aria-hidden="true">2</span>' in page  # the 2 new notifications
