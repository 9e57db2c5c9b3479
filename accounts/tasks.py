"""Celery tasks of accounts. Thin: take ids or plain data, call a service, retry on
transient errors. Every task is safe to run twice."""

from celery import shared_task
from django.core.management import call_command
from django.db import OperationalError


@shared_task(bind=True, max_retries=3)
def user_welcome_email_task(self, user_id: str) -> bool:
    """Welcome a newly verified user (once; see ``user_send_welcome_email``)."""
    from .services.users import user_send_welcome_email

    try:
        return user_send_welcome_email(user_id=user_id)
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=30) from exc


@shared_task
def sessions_clear_expired_task() -> None:
    """Delete expired browser sessions (scheduled daily in django-celery-beat)."""
    call_command("clearsessions")


@shared_task(bind=True, max_retries=3)
def notification_email_task(self, notification_id: str, force: bool = False) -> bool:
    """E-mail a copy of a notification when the user wants one (at most once; see
    ``notification_email_copy``)."""
    from .services.notifications import notification_email_copy

    try:
        return notification_email_copy(notification_id=notification_id, force=force)
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=30) from exc


@shared_task(bind=True, max_retries=3)
def notification_emails_task(self, notification_ids: list[str]) -> int:
    """E-mail copies of many notifications (``notifications_send_many``), each when its
    user wants one and at most once (see ``notification_email_copy``: a retry after a
    failure part-way sends only the rest). Returns how many copies were sent."""
    from .services.notifications import notification_email_copy

    try:
        return sum(notification_email_copy(notification_id=notification_id) for notification_id in notification_ids)
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=30) from exc


@shared_task(bind=True, max_retries=3)
def data_export_build_task(self, export_id: str) -> None:
    """Build a "download my data" ZIP (see ``accounts.services.data.data_export_build``);
    after the last retry the export is marked failed so the user can ask again."""
    from .services.data import data_export_build, data_export_fail

    try:
        data_export_build(export_id=export_id)
    except (OperationalError, OSError) as exc:
        if self.request.retries >= self.max_retries:
            data_export_fail(export_id=export_id)
            raise
        raise self.retry(exc=exc, countdown=60) from exc


@shared_task(bind=True, max_retries=3)
def files_delete_expired_task(self) -> int:
    """Delete expired stored files, objects and rows (scheduled hourly in
    django-celery-beat; safe to run again, see ``files_delete_expired``)."""
    from .services.files import files_delete_expired

    try:
        return files_delete_expired()
    except (OperationalError, OSError) as exc:
        raise self.retry(exc=exc, countdown=60) from exc


@shared_task(bind=True, max_retries=3)
def announcement_send_task(self, announcement_id: str) -> bool:
    """Notify the next batch of an announcement's people (see ``announcement_send_batch``,
    which enqueues the following batch); safe to run twice: nobody is notified twice."""
    from .services.announcements import announcement_send_batch

    try:
        return announcement_send_batch(announcement_id=announcement_id)
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=30) from exc
