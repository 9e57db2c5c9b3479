"""Celery tasks of mentorship. Thin: call a service, retry on transient errors. Every task
is safe to run twice. Session and event reminders have no task here: they are reminder
sources (``core.registry.reminder_sources``) sent by ``core.tasks.reminders_send_task``."""

from celery import shared_task
from django.db import OperationalError


@shared_task(bind=True, max_retries=3)
def event_seat_holds_expire_task(self) -> int:
    """Give the seats held at paid events and not paid in time (30 minutes after
    registering, 24 hours after a waitlist offer) to the next person waiting (scheduled
    every minute in django-celery-beat; see ``event_seat_holds_expire``). Returns how many
    were let go."""
    from mentorship.services.events import event_seat_holds_expire

    try:
        return event_seat_holds_expire()
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=30) from exc


@shared_task(bind=True, max_retries=3)
def feedback_anonymous_release_task(self) -> int:
    """Release each mentor's waiting anonymous feedback once at least 3 wait from at least 3
    mentees, with one notification per batch (scheduled weekly in django-celery-beat; see
    ``feedback_anonymous_release``; a second run releases nothing more). Returns how many
    were released."""
    from mentorship.services.feedback import feedback_anonymous_release

    try:
        return feedback_anonymous_release()
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=300) from exc


@shared_task(bind=True, max_retries=3)
def session_requests_lapse_task(self) -> int:
    """Cancel the requests a mentor never confirmed once their start has come, refunding the
    paid ones (scheduled every five minutes in django-celery-beat; see
    ``session_requests_lapse``). Returns how many lapsed."""
    from mentorship.services.lapse import session_requests_lapse

    try:
        return session_requests_lapse()
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=60) from exc
