"""A real Celery worker on the test Redis runs tasks against committed rows."""

import pytest
from django.core import mail
from django.db import transaction

from accounts.models import User
from accounts.tasks import user_welcome_email_task
from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_runs_task_that_reads_committed_rows(celery_worker):
    user = UserFactory()

    result = user_welcome_email_task.delay(str(user.id))

    assert result.get(timeout=30) is True
    user.refresh_from_db()
    assert user.welcomed_at is not None
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_task_enqueued_on_commit_sees_the_row_and_runs_once(celery_worker):
    results = []
    with transaction.atomic():
        user = UserFactory()
        for _ in range(2):
            transaction.on_commit(lambda: results.append(user_welcome_email_task.delay(str(user.id))))
        # Nothing reaches the broker before the commit.
        assert results == []

    # Both runs see the committed row; the lock and ``welcomed_at`` make the second a no-op.
    assert sorted(result.get(timeout=30) for result in results) == [False, True]
    assert User.objects.get(pk=user.pk).welcomed_at is not None
    assert len(mail.outbox) == 1
