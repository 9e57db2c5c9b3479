"""The lesson page's content is put together from markup kept in the process
(learning.views.player.PlayerMarkup): the lesson's — breadcrumb, header, video, content,
previous / next — rendered once per course outline, lesson and language, the completion
section once per state, around each learner's own parts. It is the page the templates alone
make (``DEBUG``: nothing kept), it follows every change of the lesson, its module and its
course at once, and nothing of one learner — their state, their enrollment, their CSRF
token — reaches another."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import clear_script_prefix, reverse, set_script_prefix

from accounts.tests.factories import UserFactory
from learning.models import Course, Enrollment, Lesson, LessonProgress
from learning.services.progress import lesson_complete
from learning.tests.factories import EnrollmentFactory, course_with_lessons
from learning.views.player import lesson_url

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TOKEN = re.compile(r'(?:csrfmiddlewaretoken" value="|data-csrf-token="|"X-CSRFToken": ")([A-Za-z0-9]+)')


def _complete_url(lesson) -> str:
    return reverse("learning:lesson-complete", kwargs={"slug": lesson.course.slug, "pk": lesson.pk})


def _page(client, lesson) -> str:
    response = client.get(lesson_url(lesson.course, lesson))
    assert response.status_code == 200
    return response.content.decode()


def _tokens(page: str) -> set[str]:
    return set(TOKEN.findall(page))


def _without_tokens(page: str) -> str:
    """The page with its CSRF token (masked anew on every page) left out — once it is known
    to be one token throughout."""
    assert len(_tokens(page)) == 1, "every form and script of a page carries the page's one token"
    return TOKEN.sub(lambda match: match[0].replace(match[1], "TOKEN"), page)


def _kept_and_fresh(client, lesson) -> tuple[str, str]:
    """The page from kept markup (seen once already) and as the templates alone render it."""
    _page(client, lesson)
    kept = _without_tokens(_page(client, lesson))
    with override_settings(DEBUG=True):
        fresh = _without_tokens(_page(client, lesson))
    return kept, fresh


@pytest.fixture
def course_lessons(user):
    """Two modules of three lessons each, with a description, videos of each kind and
    durations of each number; ``user`` is enrolled."""
    course, lessons = course_with_lessons(3, 3, title="Tea & <biscuits>")
    lessons[0].description = "Start <here>"
    lessons[0].video_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    lessons[1].video_url = "https://vimeo.com/76979871"
    lessons[1].duration_minutes = 1
    lessons[2].video_url = "https://example.com/talk.mp4"
    lessons[2].duration_minutes = 0
    for lesson in lessons[:3]:
        lesson.save()
    EnrollmentFactory(user=user, course=course)
    return course, lessons


def test_the_page_from_kept_markup_is_the_page_the_templates_render(client, user, course_lessons):
    """In every state of the learner — a first lesson, one in the middle, the last one, a
    lesson done, the wellness check due, a paused course, the whole course done — and for a
    second learner after the first."""
    course, lessons = course_lessons
    client.force_login(user)
    seen: list[str] = []

    def same(lesson, expected: str = "") -> None:
        kept, fresh = _kept_and_fresh(client, lesson)
        assert kept == fresh
        assert expected in kept
        seen.append(kept)

    same(lessons[0], "Start &lt;here&gt;")
    same(lessons[1], "1 minute<")
    same(lessons[5], "Mark lesson complete")
    lesson_complete(user=user, lesson=lessons[0])
    same(lessons[0], "Continue with the next lesson")
    lesson_complete(user=user, lesson=lessons[1])
    lesson_complete(user=user, lesson=lessons[2])
    same(lessons[3], "Halfway there")
    enrollment = Enrollment.objects.get(user=user, course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.PAUSED)
    same(lessons[3], reverse("learning:enrollment-resume", kwargs={"pk": enrollment.pk}))
    same(lessons[2], "You have completed this lesson.")
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.IN_PROGRESS, wellness_check_completed=True
    )
    for lesson in lessons[3:]:
        lesson_complete(user=user, lesson=lesson)
    same(lessons[5], "Your certificate is in My certificates")
    same(lessons[4], "Continue with the next lesson")
    other = UserFactory()
    EnrollmentFactory(user=other, course=course)
    client.force_login(other)
    same(lessons[5], "Mark lesson complete")
    assert len(set(seen)) == len(seen)


def test_the_completions_htmx_response_is_the_one_the_templates_render(client, user, course_lessons):
    """The response's out-of-band parts (progress, outline, the wellness offer once due) are
    rendered from their templates, the outline from its kept pieces."""
    _course, lessons = course_lessons
    client.force_login(user)
    _page(client, lessons[1])
    lesson_complete(user=user, lesson=lessons[0])
    lesson_complete(user=user, lesson=lessons[1])
    kept = _without_tokens(client.post(_complete_url(lessons[2]), **HTMX).content.decode())
    assert 'id="wellness-check-slot" hx-swap-oob="true"' in kept
    assert 'id="player-outline" class="player-outline" aria-labelledby="player-outline-heading" hx-swap-oob' in kept
    # Back to the state before, then the same completion with nothing kept.
    LessonProgress.objects.filter(user=user, lesson=lessons[2]).delete()
    Enrollment.objects.filter(user=user).update(progress_percent=33)
    with override_settings(DEBUG=True):
        fresh = _without_tokens(client.post(_complete_url(lessons[2]), **HTMX).content.decode())
    assert kept == fresh


def test_each_learner_gets_their_own_csrf_token_on_the_kept_page(user, course_lessons):
    """The token filled into the kept markup is the page's: the form posts with it, and with
    the token of another learner's page it is refused."""
    _course, lessons = course_lessons
    other = UserFactory()
    EnrollmentFactory(user=other, course=lessons[0].course)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(user)
    second.force_login(other)
    (first_token,) = _tokens(_page(first, lessons[0]))
    (second_token,) = _tokens(_page(second, lessons[0]))
    assert first_token != second_token
    refused = second.post(_complete_url(lessons[0]), {"csrfmiddlewaretoken": first_token})
    assert refused.status_code == 403
    accepted = second.post(_complete_url(lessons[0]), {"csrfmiddlewaretoken": second_token})
    assert accepted.status_code == 302
    assert "You have completed this lesson." in _page(second, lessons[0])
    assert "Mark lesson complete" in _page(first, lessons[0])


def test_a_learners_paused_course_and_wellness_offer_stay_theirs(client, user, course_lessons):
    course, lessons = course_lessons
    paused = UserFactory()
    paused_enrollment = EnrollmentFactory(user=paused, course=course, status=Enrollment.Status.PAUSED)
    halfway = UserFactory()
    EnrollmentFactory(user=halfway, course=course)
    for lesson in lessons[:3]:
        lesson_complete(user=halfway, lesson=lesson)
    client.force_login(paused)
    paused_page = _page(client, lessons[3])
    client.force_login(halfway)
    halfway_page = _page(client, lessons[3])
    client.force_login(user)
    own_page = _page(client, lessons[3])
    resume = reverse("learning:enrollment-resume", kwargs={"pk": paused_enrollment.pk})
    assert resume in paused_page
    assert "Halfway there" in halfway_page
    for page in (halfway_page, own_page):
        assert resume not in page
        assert "This course is paused" not in page
    assert "Halfway there" not in own_page
    assert "Course progress: 0% (0 of 6 lessons)" in own_page


def test_an_edited_lesson_shows_on_the_next_view(client, user, course_lessons):
    _course, lessons = course_lessons
    client.force_login(user)
    lesson = lessons[1]
    _page(client, lesson)
    lesson.title = "A new <title>"
    lesson.description = "A new description"
    lesson.duration_minutes = 25
    lesson.content = "All **new** content"
    lesson.video_url = "https://www.youtube.com/watch?v=aaaaaaaaaaa"
    lesson.save()
    page = _page(client, lesson)
    assert '<h1 id="lesson-title">A new &lt;title&gt;</h1>' in page
    assert '<span aria-current="page">A new &lt;title&gt;</span>' in page
    assert "A new description" in page
    assert "25 minutes" in page
    assert "All <strong>new</strong> content" in page
    assert "youtube-nocookie.com/embed/aaaaaaaaaaa" in page
    neighbour = _page(client, lessons[0])
    assert "Next: A new &lt;title&gt;" in neighbour


def test_a_renamed_module_a_reordering_and_a_renamed_course_show_on_the_next_view(client, user, course_lessons):
    course, lessons = course_lessons
    client.force_login(user)
    page = _page(client, lessons[1])
    assert f"Previous: {lessons[0].title}" in page
    module = lessons[1].module
    module.title = "A renamed module"
    module.save()
    assert '<p class="player-module">A renamed module</p>' in _page(client, lessons[1])

    lessons[0].order = 10
    lessons[0].save()
    page = _page(client, lessons[1])
    assert 'rel="prev"' not in page.split('class="lesson-pager"')[1].split("</nav>")[0]
    assert f"Next: {lessons[2].title}" in page

    # The course's title is read with the enrollment on every page: even a bulk update
    # (no version bumped) shows in the breadcrumb at once.
    Course.objects.filter(pk=course.pk).update(title="A renamed course")
    assert '">A renamed course</a></li>' in _page(client, lessons[1])


def test_a_lesson_read_anew_under_the_same_version_is_rendered_anew(client, user, course_lessons):
    """A bulk update renews no token; once the outline is read again (its timeout), the
    lesson's kept markup goes with the outline it was made from."""
    from learning.tests.factories import kept_outline_expire

    course, lessons = course_lessons
    client.force_login(user)
    _page(client, lessons[1])
    Lesson.objects.filter(pk=lessons[1].pk).update(content="Changed *in bulk*")
    assert "Changed <em>in bulk</em>" not in _page(client, lessons[1])  # kept until it expires
    kept_outline_expire(course)
    assert "Changed <em>in bulk</em>" in _page(client, lessons[1])


def test_a_page_served_under_another_script_prefix_links_under_it(client, user, course_lessons):
    """The kept markup's links were reversed under one script prefix: a page served under
    another (``SCRIPT_NAME``) gets its own links, never the first one's."""
    course, lessons = course_lessons
    client.force_login(user)
    at_root = _page(client, lessons[1])
    assert f'href="/learn/courses/{course.slug}/lessons/{lessons[2].pk}/"' in at_root
    path = lesson_url(course, lessons[1])
    set_script_prefix("/mounted/")  # as WSGIHandler does for SCRIPT_NAME (the test client does not)
    try:
        response = client.get(path)
    finally:
        clear_script_prefix()
    assert response.status_code == 200
    mounted = response.content.decode()
    assert f'href="/mounted/learn/courses/{course.slug}/lessons/{lessons[2].pk}/"' in mounted
    assert f'href="/learn/courses/{course.slug}/' not in mounted
