"""Session and event reminders are sent by ``core.tasks.reminders_send_task`` with the
source's key (the per-app tasks are gone). The beat entries of ``CELERY_BEAT_SCHEDULE`` keep
their names, so django-celery-beat's DatabaseScheduler rewrites those rows when it starts;
this rewrites every other stored periodic task naming a former task (one staff added or
renamed in admin), so no row sends a task no worker knows. Reversing keeps the rows: the
core task also ran before this change."""

import json

from django.db import migrations
from django.utils import timezone

# The former task → the reminder source (core.registry.reminder_sources) it sent.
FORMER_TASKS = {
    "mentorship.tasks.session_reminders_send_task": "mentorship-sessions",
    "mentorship.tasks.event_reminders_send_task": "mentorship-events",
}
CORE_TASK = "core.tasks.reminders_send_task"


def periodic_tasks_to_core_task(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    changed = 0
    for former, source in FORMER_TASKS.items():
        changed += PeriodicTask.objects.filter(task=former).update(
            task=CORE_TASK, args=json.dumps([source]), kwargs="{}"
        )
    if changed:
        # A running beat reloads its schedule when this marker moves.
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("mentorship", "0008_mentor_availability"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(periodic_tasks_to_core_task, migrations.RunPython.noop)]
