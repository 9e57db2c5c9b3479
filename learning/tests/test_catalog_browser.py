"""The catalog in a real browser (Debian's Chromium through Playwright, live server):
browse and filter, sign in to enrol and land in the first lesson, review the course; a
lesson whose content holds scripts and javascript: links renders inert. Every page passes
axe-core."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.browser import assert_accessible, path_pattern
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from learning.models import CourseReview, Enrollment
from learning.tests.factories import CategoryFactory, CourseFactory, EnrollmentFactory, course_with_lessons

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NASTY_CONTENT = """## Safe heading

Plain **bold** text.

<script>window.__xss = 1; alert('script tag')</script>
<img src="x" onerror="window.__xss = 2; alert('onerror')">
<a href="javascript:window.__xss = 3; alert('link')">html link</a>
[markdown link](javascript:alert('markdown'))
<iframe src="javascript:alert('frame')"></iframe>
<p onmouseover="window.__xss = 4">hover me</p>
<svg onload="window.__xss = 5"></svg>
"""


def test_browse_sign_in_enrol_and_review(page) -> None:
    music = CategoryFactory(name="Music", slug="music")
    course, lessons = course_with_lessons(2, 1, title="Beat Making", category=music)
    CourseFactory(title="Morning Yoga")
    CourseFactory(title="Unreleased Draft", published=False)
    learner = UserFactory(first_name="Lena", last_name="Learner")

    page.goto("/learn/courses/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Courses")
    expect(page.get_by_role("link", name="Beat Making")).to_be_visible()
    expect(page.get_by_role("link", name="Morning Yoga")).to_be_visible()
    expect(page.get_by_text("Unreleased Draft")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Category", exact=True).select_option("music")
    page.get_by_role("button", name="Show courses").click()
    expect(page).to_have_url(re.compile(r"category=music"))
    expect(page.get_by_role("link", name="Morning Yoga")).to_have_count(0)
    page.get_by_role("link", name="Beat Making").click()

    expect(page).to_have_url(path_pattern(f"/learn/courses/{course.slug}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Beat Making")
    expect(page.get_by_text(lessons[2].title)).to_be_visible()
    assert_accessible(page)

    # Sign in from the course page and come back to it.
    page.get_by_role("button", name="Sign in to enrol").click()
    form = page.locator("main form")
    form.locator("input[name=login]").fill(learner.email)
    form.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    form.get_by_role("button", name=re.compile(r"sign in", re.IGNORECASE)).click()
    expect(page).to_have_url(path_pattern(f"/learn/courses/{course.slug}/"))

    page.get_by_role("button", name="Enrol for free").click()
    expect(page).to_have_url(path_pattern(f"/learn/courses/{course.slug}/lessons/{lessons[0].pk}/"))
    expect(page.get_by_text("You are enrolled in “Beat Making”")).to_be_visible()
    assert Enrollment.objects.filter(user=learner, course=course).exists()

    page.goto(f"/learn/courses/{course.slug}/")
    expect(page.get_by_role("button", name="Continue")).to_have_attribute(
        "href", f"/learn/courses/{course.slug}/lessons/{lessons[0].pk}/"
    )
    page.get_by_label("5 stars — excellent").check()
    page.get_by_label("Your review (optional)").fill("Clear steps, great examples.")
    page.get_by_role("button", name="Post your review").click()
    expect(page.get_by_text("Your review is saved.")).to_be_visible()
    expect(page.get_by_role("article", name="Review by Lena Learner")).to_contain_text("Clear steps, great examples.")
    expect(page.get_by_role("heading", name="Edit your review")).to_be_visible()
    assert_accessible(page)
    assert CourseReview.objects.get(user=learner, course=course).rating == 5


def test_lesson_content_with_scripts_and_javascript_links_is_inert(signed_in_page) -> None:
    page, user = signed_in_page
    course, lessons = course_with_lessons(1, title="Safe Content")
    lesson = lessons[0]
    lesson.content = NASTY_CONTENT
    lesson.video_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    lesson.save()
    EnrollmentFactory(user=user, course=course)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(f"/learn/courses/{course.slug}/lessons/{lesson.pk}/")
    content = page.locator(".lesson-content")
    expect(content.get_by_role("heading", name="Safe heading")).to_be_visible()
    expect(content.locator("strong")).to_have_text("bold")
    assert content.locator("script, iframe, svg, [onerror], [onmouseover]").count() == 0
    html_link = content.get_by_text("html link")
    assert html_link.get_attribute("href") is None
    html_link.click()
    content.get_by_text("hover me").hover()
    assert page.url.endswith(f"/lessons/{lesson.pk}/")
    assert page.evaluate("window.__xss") is None
    assert dialogs == []

    video = page.locator("iframe")
    expect(video).to_have_attribute("src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    expect(video).to_have_attribute("title", "YouTube video: " + lesson.title)
