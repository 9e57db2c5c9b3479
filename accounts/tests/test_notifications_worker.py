"""A real Celery worker sends the e-mail copy of a notification once its row is committed."""

import time

import pytest
from django.core import mail

from accounts.models import Notification
from accounts.services.notifications import notification_send
from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_emails_the_copy_of_a_committed_notification(celery_worker, settings):
    settings.EMAIL_BACKEND = "core.mail.TaskEmailBackend"
    user = UserFactory()

    notification = notification_send(user=user, type="system", title="From the worker", action_url="/dashboard/")

    deadline = time.monotonic() + 30
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [(message.to, message.subject) for message in mail.outbox] == [([user.email], "From the worker")]
    assert Notification.objects.get(pk=notification.pk).emailed_at is not None
