"""Celery tasks of growth. Thin: take ids, call a service, retry on transient errors. Every
task is safe to run twice."""

from celery import shared_task
from django.db import OperationalError


@shared_task(bind=True, max_retries=5)
def reflection_insights_task(self, reflection_id: str) -> None:
    """Write a reflection's insights (see ``reflection_insights_generate``). A language model
    that times out or answers badly never fails the task: the statistics stand in."""
    from growth.services.insights import reflection_insights_generate

    try:
        reflection_insights_generate(reflection_id=reflection_id)
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=30) from exc


@shared_task(bind=True, max_retries=5)
def badges_evaluate_task(self, user_id: str) -> list[str]:
    """Award the badges one user qualifies for (see ``badges_evaluate_for_user``); enqueued
    after completions, reflections, goals, finished courses and sessions, and mentor
    verification. Returns the ids of the new badges."""
    from growth.services.badges import badges_evaluate_for_user

    try:
        return [str(badge.pk) for badge in badges_evaluate_for_user(user_id=user_id)]
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=30) from exc


@shared_task(bind=True, max_retries=3)
def badges_sweep_task(self) -> int:
    """The nightly set-based catch-up of missed badges (django-celery-beat); returns how many
    were awarded."""
    from growth.services.badges import badges_sweep

    try:
        return len(badges_sweep())
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=60) from exc


@shared_task(bind=True, max_retries=3)
def reflection_reminders_task(self) -> int:
    """Every 15 minutes: the Sunday 18:00 local weekly-reflection reminders that are due
    (see ``reflection_reminders_send``); returns how many were sent."""
    from growth.services.reflections import reflection_reminders_send

    try:
        return reflection_reminders_send()
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=60) from exc


@shared_task(bind=True, max_retries=3)
def habit_reminders_task(self) -> int:
    """Every 15 minutes: the habit reminders due at each user's preferred local time (see
    ``habit_reminders_send``); returns how many were sent."""
    from growth.services.habits import habit_reminders_send

    try:
        return habit_reminders_send()
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=60) from exc


@shared_task(bind=True, max_retries=3)
def habits_refresh_task(self) -> int:
    """Nightly: bring every habit's stored streak and rate (and its goal's progress) up to
    today (see ``habits_refresh_stored``); returns how many habits changed."""
    from growth.services.habits import habits_refresh_stored

    try:
        return habits_refresh_stored()
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=60) from exc
