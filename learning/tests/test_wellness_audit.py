"""A wellness check's mood and note never reach the audit log (managers read it)."""

import pytest

from accounts.tests.records import audit_entries
from learning.models import ChatMessage
from learning.services.progress import lesson_complete
from learning.services.wellness import wellness_check_answer
from learning.tests.factories import EnrollmentFactory, course_with_lessons

pytestmark = pytest.mark.django_db


def test_wellness_answer_is_audited_without_its_content():
    course, lessons = course_with_lessons(2)
    enrollment = EnrollmentFactory(course=course)
    lesson_complete(user=enrollment.user, lesson=lessons[0])
    wellness_check_answer(enrollment=enrollment, mood=2, note="Feeling low about my mix")

    entries = audit_entries().filter(action_name="chatmessage.created")
    assert entries.count() == ChatMessage.objects.count() == 2
    for entry in entries:
        assert "Feeling low" not in f"{entry.changes} {entry.object_repr} {entry.serialized_data}"
