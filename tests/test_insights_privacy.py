"""Reflection insights by a language model never send therapy content or a mentor's words
(issue 19): a person with a therapy journal, therapy messages, a mentor's private session
note and a mentor's feedback on a reflection agrees to the assistant; the fake provider
(``llm_fake``) receives their week's reflections and none of the rest. Here, not in growth's
tests, because growth may not import therapy, even its factories."""

from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.services.assistant import assistant_consent_give
from accounts.tests.factories import UserFactory
from growth.models import Reflection
from growth.services.reflections import reflection_feedback_give, reflection_save, reflection_share
from growth.tests.factories import GoalFactory, HabitFactory, ReflectionFactory
from mentorship.tests.factories import MentorSessionNoteFactory, MentorshipSessionFactory
from therapy.tests.factories import JournalEntryFactory, MessageFactory

pytestmark = pytest.mark.django_db

SUNDAY = date(2026, 3, 15)
SUNDAY_EVENING = datetime(2026, 3, 15, 20, 0, tzinfo=UTC)
ANSWER = {
    "observations": ["Tuesday's walk lifted your mood.", "Thursday's deadline felt like a wall."],
    "suggestion": "Walk before next week's hardest meeting.",
}


def test_therapy_and_a_mentors_words_are_never_sent(llm_fake, django_capture_on_commit_callbacks) -> None:
    user, mentor = UserFactory(), UserFactory()
    assistant_consent_give(user=user)
    HabitFactory(goal__user=user, title="Read one page", start_period=SUNDAY - timedelta(days=30))
    ReflectionFactory(user=user, date=SUNDAY - timedelta(days=5), text="The early walk cleared my head.")
    JournalEntryFactory(client=user, note="THERAPY-JOURNAL-NOTE", is_shared=True)
    MessageFactory(relationship__client=user, content="THERAPY-MESSAGE")
    session = MentorshipSessionFactory(mentee=user, mentor=mentor, completed=True)
    MentorSessionNoteFactory(session=session, mentor=mentor, private_notes="MENTOR-PRIVATE-NOTE")
    GoalFactory(user=user, mentor=mentor)
    shared = Reflection.objects.get(user=user, date=SUNDAY - timedelta(days=5))
    reflection_share(reflection=shared, mentor=mentor)
    reflection_feedback_give(reflection=shared, mentor=mentor, feedback="MENTOR-FEEDBACK")
    llm_fake.reply_json(ANSWER)
    with django_capture_on_commit_callbacks(execute=True):
        reflection, _ = reflection_save(
            user=user, day=SUNDAY, now=SUNDAY_EVENING, kind="daily", mood="GOOD", mood_score=7, text="Calm."
        )
    reflection.refresh_from_db()
    assert reflection.insights_engine == "language-model"
    text = llm_fake.sent_text()
    assert "The early walk cleared my head." in text
    assert "Read one page" in text
    for secret in ("THERAPY-JOURNAL-NOTE", "THERAPY-MESSAGE", "MENTOR-PRIVATE-NOTE", "MENTOR-FEEDBACK", mentor.email):
        assert secret not in text
