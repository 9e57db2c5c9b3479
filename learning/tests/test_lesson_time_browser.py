"""The lesson player reports time in a real browser (Debian's Chromium, live server, a fake
clock): a report after 30 visible seconds, and a beacon with the CSRF token in its form body
when the page is left, which the server accepts."""

import json
from urllib.parse import parse_qs

import pytest

from learning.models import LessonProgress
from learning.tests.factories import EnrollmentFactory, course_with_lessons

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _is_time_report(request) -> bool:
    return request.method == "POST" and request.url.endswith("/time/")


def test_the_player_reports_time_while_visible_and_on_leaving(signed_in_page) -> None:
    page, user = signed_in_page
    course, lessons = course_with_lessons(2, title="Field Recording")
    EnrollmentFactory(user=user, course=course)
    page.clock.install()
    page.goto(f"/learn/courses/{course.slug}/lessons/{lessons[0].pk}/")

    with page.expect_response(lambda response: _is_time_report(response.request)) as first:
        page.clock.run_for(30_500)
    response = first.value
    assert response.status == 200
    assert parse_qs(response.request.post_data or "")["seconds"] == ["30"]
    assert json.loads(response.text())["counted_seconds"] == 30
    progress = LessonProgress.objects.get(user=user, lesson=lessons[0])
    assert (progress.time_spent_seconds, progress.completed_at) == (30, None)

    # Leaving the page (pagehide, as on navigating away or closing the tab) sends the rest
    # with navigator.sendBeacon.
    page.clock.run_for(12_000)
    with page.expect_response(lambda response: _is_time_report(response.request)) as leaving:
        page.evaluate("window.dispatchEvent(new Event('pagehide'))")
    beacon = leaving.value
    assert beacon.request.resource_type == "ping"
    form = parse_qs(beacon.request.post_data or "")
    assert 12 <= int(form["seconds"][0]) <= 15  # the installed clock also runs on by itself
    assert form["csrfmiddlewaretoken"][0]
    assert beacon.status == 200  # the token in the body passes the CSRF check
    # The fake clock ran 12 s, the server's did not: it counts only the time it saw pass.
    assert json.loads(beacon.text())["counted_seconds"] <= 1
    progress.refresh_from_db()
    assert progress.time_spent_seconds <= 31
