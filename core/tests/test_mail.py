"""Outgoing e-mail goes through a Celery task, after the transaction commits."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction

from core.mail import email_message_from_dict, email_message_to_dict


@pytest.fixture
def task_email(settings):
    """Use the project's real backend (pytest-django swaps in locmem for every test)."""
    settings.EMAIL_BACKEND = "core.mail.TaskEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_message_survives_serialisation():
    message = EmailMultiAlternatives(
        "Subject ✓",
        "Body",
        "from@example.com",
        ["to@example.com"],
        bcc=["b@example.com"],
        cc=["c@example.com"],
        reply_to=["r@example.com"],
        headers={"X-Tag": "t"},
    )
    message.attach_alternative("<p>Body</p>", "text/html")
    message.attach("notes.txt", b"\x00\x01 bytes", "application/octet-stream")

    restored = email_message_from_dict(email_message_to_dict(message))

    assert (restored.subject, restored.body, restored.from_email) == ("Subject ✓", "Body", "from@example.com")
    assert (restored.to, restored.cc, restored.bcc, restored.reply_to) == (
        ["to@example.com"],
        ["c@example.com"],
        ["b@example.com"],
        ["r@example.com"],
    )
    assert restored.extra_headers == {"X-Tag": "t"}
    assert restored.alternatives[0][:2] == ("<p>Body</p>", "text/html")
    assert restored.attachments[0][:3] == ("notes.txt", b"\x00\x01 bytes", "application/octet-stream")


@pytest.mark.django_db
def test_send_mail_is_delivered_by_the_task_after_commit(task_email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        assert send_mail("Hi", "Body", None, ["to@example.com"]) == 1
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert [message.subject for message in mail.outbox] == ["Hi"]


@pytest.mark.django_db
def test_rolled_back_transaction_sends_nothing(task_email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                send_mail("Never", "Body", None, ["to@example.com"])
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []


def test_message_without_recipients_is_not_queued(task_email):
    assert EmailMultiAlternatives("No one", "Body", "from@example.com", []).send() == 0
