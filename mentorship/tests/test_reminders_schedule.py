"""Every reminder source is sent by the one core task: the beat schedule has exactly one
entry per registered source, naming ``core.tasks.reminders_send_task`` with the source's
key; every task the schedule names is one a worker knows; and stored django-celery-beat rows
of the former per-app reminder tasks are rewritten to the core task (mentorship's migration
0009), so a deployment never schedules a task no worker runs."""

import importlib
import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks

from config.celery import app as celery_app
from core.registry import reminder_sources

pytestmark = pytest.mark.django_db
migration = importlib.import_module("mentorship.migrations.0009_reminders_by_the_core_task")


def _reminder_entries() -> dict[str, tuple]:
    return {
        name: entry["args"]
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] == "core.tasks.reminders_send_task"
    }


def test_each_registered_source_has_one_beat_entry_of_the_core_task():
    entries = _reminder_entries()
    keys = sorted(args[0] for args in entries.values())
    assert keys == sorted(source.key for source in reminder_sources.all())
    assert {"mentorship-sessions", "mentorship-events", "therapy-sessions"} <= set(keys)
    for name, args in entries.items():
        schedule = settings.CELERY_BEAT_SCHEDULE[name]["schedule"]
        shortest = min(kind.lead for kind in reminder_sources.get(args[0]).kinds)
        assert schedule <= min(shortest / 4, timedelta(minutes=15)), name  # never late by more than a quarter


def test_no_app_keeps_a_reminder_task_of_its_own():
    celery_app.loader.import_default_modules()
    assert [name for name in celery_app.tasks if "reminders_send" in name] == ["core.tasks.reminders_send_task"]
    for former in migration.FORMER_TASKS:
        assert former not in celery_app.tasks


def test_every_scheduled_task_is_registered_with_the_worker():
    celery_app.loader.import_default_modules()
    missing = [
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] not in celery_app.tasks
    ]
    assert missing == []


def test_stored_rows_of_the_former_tasks_are_rewritten_to_the_core_task():
    every_five = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
    by_entry = PeriodicTask.objects.create(
        name="mentorship.session_reminders_send",
        task="mentorship.tasks.session_reminders_send_task",
        interval=every_five,
    )
    by_staff = PeriodicTask.objects.create(
        name="Event reminders (retimed)",
        task="mentorship.tasks.event_reminders_send_task",
        interval=every_five,
        enabled=False,
    )
    other = PeriodicTask.objects.create(
        name="mentorship.session_requests_lapse",
        task="mentorship.tasks.session_requests_lapse_task",
        interval=every_five,
    )
    before = PeriodicTasks.objects.filter(ident=1).values_list("last_update", flat=True).first()

    migration.periodic_tasks_to_core_task(apps, None)

    by_entry.refresh_from_db()
    by_staff.refresh_from_db()
    other.refresh_from_db()
    assert (by_entry.task, json.loads(by_entry.args)) == ("core.tasks.reminders_send_task", ["mentorship-sessions"])
    assert (by_staff.task, json.loads(by_staff.args)) == ("core.tasks.reminders_send_task", ["mentorship-events"])
    assert by_staff.enabled is False  # staff's switch and timing stay
    assert by_staff.interval == every_five
    assert other.task == "mentorship.tasks.session_requests_lapse_task"
    assert PeriodicTasks.objects.get(ident=1).last_update != before  # a running beat reloads
    for row in (by_entry, by_staff):
        assert reminder_sources.get(json.loads(row.args)[0]) is not None

    migration.periodic_tasks_to_core_task(apps, None)  # again: nothing more changes
    assert (
        PeriodicTask.objects.filter(task__startswith="mentorship.tasks.").filter(task__contains="reminders").count()
        == 0
    )
