"""The periodic clean-up of expired files."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import StoredFile
from accounts.tasks import files_delete_expired_task
from accounts.tests.factories import StoredFileFactory

from .file_samples import stored_keys

pytestmark = pytest.mark.django_db


def test_task_deletes_expired_files_objects_and_rows(user):
    expired = StoredFileFactory(uploaded_by=user, expires_at=timezone.now() - timedelta(minutes=5))
    kept = StoredFileFactory(uploaded_by=user, expires_at=timezone.now() + timedelta(minutes=5))
    assert files_delete_expired_task.delay().get() == 1
    assert list(StoredFile.objects.values_list("pk", flat=True)) == [kept.pk]
    assert stored_keys(user)["private"] == [kept.key]
    assert expired.key not in stored_keys(user)["private"]
    assert files_delete_expired_task.delay().get() == 0  # running again is harmless


def test_task_is_scheduled_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["accounts.files_delete_expired"]
    assert entry["task"] == files_delete_expired_task.name
    assert entry["schedule"] == timedelta(hours=1)
