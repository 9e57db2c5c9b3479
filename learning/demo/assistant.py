"""Demo data of "Ask the assistant" (``manage.py seed_demo``, order 90, after the catalog,
the mentors and the habits): the demo learner's conversation of two questions, answered now
by the assistant's responder through the chat pipeline. Only while the learner has not
agreed to the language model — so the demo never sends anything to one: the replies are the
plain search of the catalog. Idempotent: skipped once the learner has an assistant chat."""

from .. import models

DEMO_QUESTIONS = (
    "I want to get better at mixing my beats. Who could help?",
    "Something to read every day?",
)


def seed_assistant() -> None:
    from accounts.selectors.assistant import assistant_consent_given
    from accounts.selectors.users import user_get_by_email

    from ..services.assistant import assistant_message_post
    from ..services.chat import chat_reply

    learner = user_get_by_email(email="learner@ascend.example")
    if learner is None or assistant_consent_given(learner):
        return
    if models.ChatMessage.objects.filter(user=learner, session_type=models.ChatMessage.SessionType.GENERAL).exists():
        return
    session_id = None
    for question in DEMO_QUESTIONS:
        message = assistant_message_post(user=learner, text=question, session_id=session_id)
        session_id = message.session_id
        # The reply now, not after the seeder's transaction (the task then finds it).
        chat_reply(message_id=message.pk)
