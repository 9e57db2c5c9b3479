"""A finished lesson is a small moment (issue 18): the HTMX answer's status says so with the
celebration's class (static/css/celebrate.css, motion only without prefers-reduced-motion),
a plain post's message carries it too, and the lesson page loads the stylesheet."""

import pytest
from django.urls import reverse

from learning.tests.factories import EnrollmentFactory, course_with_lessons

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_finished_lesson_is_celebrated_with_htmx_and_without(client, user):
    course, lessons = course_with_lessons(1, 2)
    EnrollmentFactory(user=user, course=course)
    client.force_login(user)
    page = client.get(reverse("learning:lesson", kwargs={"slug": course.slug, "pk": lessons[0].pk})).content.decode()
    assert "css/celebrate.css" in page
    assert "celebration" not in page.split("</head>", 1)[1]  # nothing to celebrate yet

    first = reverse("learning:lesson-complete", kwargs={"slug": course.slug, "pk": lessons[0].pk})
    body = client.post(first, **HTMX).content.decode()
    assert 'role="status" class="lesson-completion-status celebration"' in body
    assert "Lesson completed." in body

    second = reverse("learning:lesson-complete", kwargs={"slug": course.slug, "pk": lessons[1].pk})
    response = client.post(second, follow=True)
    [message] = list(response.context["messages"])
    assert str(message).startswith("Lesson completed")
    assert "celebration" in message.tags
