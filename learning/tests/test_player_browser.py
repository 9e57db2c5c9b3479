"""The lesson player and My learning in a real browser (Debian's Chromium through Playwright,
live server): resume from My learning, mark complete in place with the keyboard, the
wellness check at half way, pause and resume; every page passes axe-core."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.browser import assert_accessible, path_pattern
from learning.models import ChatMessage, Enrollment, LessonProgress
from learning.tests.factories import EnrollmentFactory, course_with_lessons

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_learn_a_course_from_my_learning(signed_in_page) -> None:
    page, user = signed_in_page
    course, lessons = course_with_lessons(2, 2, title="Home Studio Basics")
    lessons[0].content = "## Why it matters\n\nA quiet room beats **expensive gear**."
    lessons[0].save()
    enrollment = EnrollmentFactory(user=user, course=course)

    page.goto("/learn/my/")
    expect(page.get_by_text("Progress: 0%")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Start “Home Studio Basics”").click()

    expect(page).to_have_url(path_pattern(f"/learn/courses/{course.slug}/lessons/{lessons[0].pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[0].title)
    expect(page.locator(".lesson-content strong")).to_have_text("expensive gear")
    assert_accessible(page)

    # Keyboard: focus "Mark lesson complete" and press Enter; HTMX updates the page in place.
    page.get_by_role("button", name="Mark lesson complete").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#lesson-completion-status")).to_have_text("Lesson completed.")
    expect(page.get_by_text("Course progress: 25% (1 of 4 lessons)")).to_be_visible()
    outline = page.get_by_role("navigation", name="Course outline")
    expect(outline.get_by_role("listitem").filter(has_text="(completed)")).to_have_count(1)
    assert page.url.endswith(f"/lessons/{lessons[0].pk}/")
    assert LessonProgress.objects.filter(user=user, lesson=lessons[0]).exists()

    # On to the next lesson; completing it reaches 50 % and the wellness check appears.
    page.get_by_role("link", name="Continue with the next lesson").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[1].title)
    page.get_by_role("button", name="Mark lesson complete").click()
    check = page.get_by_role("region", name="Halfway there — how are you doing?")
    expect(check).to_be_visible()
    assert_accessible(page)
    check.get_by_role("radio", name="4 — good").check()
    check.get_by_role("textbox", name="A note (optional)").fill("Enjoying it")
    check.get_by_role("button", name="Send my check-in").click()
    expect(page.get_by_role("heading", name="Thank you for checking in")).to_be_focused()
    answer = ChatMessage.objects.get(user=user, role=ChatMessage.Role.USER)
    assert answer.metadata["mood"] == 4
    assert answer.message == "Enjoying it"

    # The next link crosses into the second module.
    page.get_by_role("link", name=re.compile(r"^Next: ")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[2].title)

    # Pause from My learning (in place), then the player offers to resume.
    page.goto("/learn/my/")
    expect(page.get_by_text("Progress: 50%")).to_be_visible()
    page.get_by_role("button", name="Pause “Home Studio Basics”").click()
    expect(page.get_by_role("status")).to_have_text("“Home Studio Basics” is paused.")
    expect(page.get_by_role("button", name="Resume course “Home Studio Basics”")).to_be_focused()
    assert Enrollment.objects.get(pk=enrollment.pk).status == Enrollment.Status.PAUSED

    page.get_by_role("link", name="Resume “Home Studio Basics”").click()
    expect(page.get_by_role("heading", name="This course is paused")).to_be_visible()
    expect(page.get_by_role("button", name="Mark lesson complete")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Resume this course").click()
    expect(page.get_by_text("“Home Studio Basics” is resumed.")).to_be_visible()
    expect(page.get_by_role("button", name="Mark lesson complete")).to_be_visible()
    assert Enrollment.objects.get(pk=enrollment.pk).status == Enrollment.Status.IN_PROGRESS


def test_wellness_check_can_be_put_off_without_answering(signed_in_page) -> None:
    page, user = signed_in_page
    course, lessons = course_with_lessons(2)
    EnrollmentFactory(user=user, course=course)
    page.goto(f"/learn/courses/{course.slug}/lessons/{lessons[0].pk}/")
    page.get_by_role("button", name="Mark lesson complete").click()

    check = page.get_by_role("region", name="Halfway there — how are you doing?")
    check.get_by_role("button", name="Not now").click()
    expect(page.get_by_role("status").filter(has_text="hidden for now")).to_be_focused()
    assert not ChatMessage.objects.filter(user=user).exists()
    page.reload()
    expect(page.get_by_role("region", name="Halfway there — how are you doing?")).to_have_count(0)
    expect(page.get_by_text("You have completed this lesson.")).to_be_visible()
