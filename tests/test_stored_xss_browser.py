"""Stored XSS: what people write — reviews, reflections, messages, bios, stories, lesson
markdown, journal notes, event descriptions, todos, habit titles, names — renders inert in
a real browser: no script of theirs runs, no handler of theirs is in the page. (The
Content-Security-Policy would block inline script too; these pages must not even contain
it.)"""

import pytest
from playwright.sync_api import Page

from accounts.tests.browser import sign_in
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOAD = (
    '<script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2">'
    '<a href="javascript:window.__xss = 3">click</a><svg onload="window.__xss = 4"></svg>'
)
NAME_PAYLOAD = '"><img src=x onerror="window.__xss=5">'


def _assert_inert(page: Page, path: str, *, escaped: bool = True) -> None:
    """Nothing of the payload runs on ``path``; ``escaped``: it shows as text (markdown
    fields are sanitised instead — their scripts and handlers are removed, not shown)."""
    response = page.goto(path)
    assert response is not None, path
    assert response.status == 200, path
    page.wait_for_load_state("networkidle")
    page.locator('a[href^="javascript:"]').evaluate_all("links => links.forEach(link => link.click())")
    assert page.evaluate("window.__xss") is None, f"a script of a user ran on {path}"
    assert page.locator("[onerror], [onload]").count() == 0, f"a user's event handler is in {path}"
    assert page.locator("main script").count() == 0, f"a user's script element is in {path}"
    if escaped:
        assert "window.__xss" in page.locator("main").inner_text(), f"the text itself should show on {path}"


def test_what_people_write_renders_inert_everywhere(page: Page) -> None:
    from growth.models import Habit
    from growth.tests.factories import GoalFactory, HabitFactory, ReflectionFactory, TodoFactory
    from learning.models import Enrollment
    from learning.tests.factories import (
        EnrollmentFactory,
        LessonFactory,
        ModuleFactory,
        ReviewFactory,
        SuccessStoryFactory,
    )
    from mentorship.models import Event
    from mentorship.tests.factories import EventFactory, MentorProfileFactory
    from mentorship.tests.factories import ReviewFactory as MentorReviewFactory
    from therapy.tests.factories import JournalEntryFactory, MessageFactory, TherapyRelationshipFactory

    writer = UserFactory(first_name=NAME_PAYLOAD, bio=PAYLOAD)
    lesson = LessonFactory(module=ModuleFactory(course__published=True), content=PAYLOAD)
    course = lesson.course
    EnrollmentFactory(user=writer, course=course, status=Enrollment.Status.IN_PROGRESS)
    ReviewFactory(user=writer, course=course, comment=PAYLOAD)
    story = SuccessStoryFactory(story=PAYLOAD, name=NAME_PAYLOAD)
    profile = MentorProfileFactory(bio=PAYLOAD, headline=NAME_PAYLOAD)
    MentorReviewFactory(author=writer, target=profile.user, comment=PAYLOAD)
    event = EventFactory(description=PAYLOAD, title=NAME_PAYLOAD, status=Event.Status.SCHEDULED)
    goal = GoalFactory(user=writer, title=NAME_PAYLOAD, identity=PAYLOAD)
    habit = HabitFactory(goal=goal, user=writer, title=NAME_PAYLOAD, reward=PAYLOAD, status=Habit.Status.ACTIVE)
    reflection = ReflectionFactory(user=writer, text=PAYLOAD)
    TodoFactory(user=writer, text=PAYLOAD)
    relationship = TherapyRelationshipFactory(client=writer)
    MessageFactory(relationship=relationship, content=PAYLOAD)
    entry = JournalEntryFactory(client=writer, note=PAYLOAD, feeling=NAME_PAYLOAD)

    for path in (
        f"/learn/courses/{course.slug}/",
        f"/learn/stories/{story.slug}/",
        f"/mentors/{profile.user_id}/",
        "/mentors/",
        f"/events/{event.pk}/",
    ):
        _assert_inert(page, path)

    sign_in(page, writer.email, DEFAULT_PASSWORD)
    _assert_inert(page, f"/learn/courses/{course.slug}/lessons/{lesson.pk}/", escaped=False)
    for path in (
        "/dashboard/",
        f"/grow/habits/{habit.pk}/",
        "/grow/habits/",
        f"/grow/goals/{goal.pk}/",
        f"/grow/reflections/{reflection.pk}/",
        "/grow/todos/",
        f"/therapy/messages/{relationship.pk}/",
        f"/therapy/journal/{entry.pk}/",
        "/therapy/journal/",
    ):
        _assert_inert(page, path)
