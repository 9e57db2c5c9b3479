"""The career assessment with a language model never sends therapy content (issue 19): a
learner with a therapy journal entry and therapy messages agrees to the assistant and takes
the assessment; the fake provider (``llm_fake``) receives the assessment's own chat and none
of the rest. Here, not in learning's tests, because learning may not import therapy, even
its factories."""

import pytest

from accounts.services.assistant import assistant_consent_give
from accounts.tests.factories import UserFactory
from learning.demo.seed import seed_career_assessment
from learning.selectors.assessments import assessment_messages
from learning.services.assessments import assessment_answer, assessment_start
from learning.tasks import chat_reply_task
from therapy.tests.factories import JournalEntryFactory, MessageFactory

pytestmark = pytest.mark.django_db

RESULT = {
    "action": "recommend",
    "question": "",
    "category": "Music",
    "subcategories": [
        {"name": "Producer", "reason": "You make beats."},
        {"name": "Audio Engineer", "reason": "You mix your tracks."},
        {"name": "DJ", "reason": "You play your music for others."},
    ],
}


def test_therapy_content_is_never_sent(llm_fake) -> None:
    seed_career_assessment()
    learner = UserFactory()
    assistant_consent_give(user=learner)
    JournalEntryFactory(client=learner, note="THERAPY-JOURNAL-MARKER-7f3a", is_shared=True)
    JournalEntryFactory(client=learner, note="THERAPY-PRIVATE-MARKER-1c9d")
    MessageFactory(relationship__client=learner, content="THERAPY-MESSAGE-MARKER-52be")
    llm_fake.reply_json({"action": "ask", "question": "Which beats?", "category": "", "subcategories": []})
    llm_fake.reply_json(RESULT)

    assessment = assessment_start(user=learner)
    for text in ["Making beats", "Mixing", "An album", "Producers", "My room", "Rappers", "Sampling", "Trap"]:
        chat_reply_task.delay(str(assessment_answer(assessment=assessment, text=text).pk))

    assessment.refresh_from_db()
    assert assessment.engine == "language-model"
    assert assessment_messages(assessment=assessment).last().engine == "language-model"
    sent = llm_fake.sent_text()
    assert "Making beats" in sent
    assert "Which beats?" in sent
    for marker in ("THERAPY-JOURNAL-MARKER-7f3a", "THERAPY-PRIVATE-MARKER-1c9d", "THERAPY-MESSAGE-MARKER-52be"):
        assert marker not in sent
    assert learner.email not in sent
