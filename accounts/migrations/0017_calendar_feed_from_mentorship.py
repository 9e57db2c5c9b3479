"""The private calendar feed moves from mentorship to accounts, below both apps that put
entries in it (mentorship, therapy).

The rows stay where they are: the table is renamed (``mentorship_calendarfeed`` →
``accounts_calendarfeed``), so every token — and every calendar app subscribed to one —
keeps working. Django's state gains ``accounts.CalendarFeed`` here; mentorship's
``0010_calendar_feed_moves_to_accounts`` (which depends on this one) drops its own without
touching the table. The check constraint takes accounts' name, and the content type moves
with the model (the same row, relabelled) so audit entries, admin history and permissions
about existing feeds point at ``accounts.CalendarFeed``. Reversible.
"""

import uuid

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import core.calendar

OLD_TABLE = "mentorship_calendarfeed"
NEW_TABLE = "accounts_calendarfeed"
OLD_CONSTRAINT = "mentorship_calendar_token_min_43"
NEW_CONSTRAINT = "accounts_calendar_token_min_43"


def _token_min_43(name):
    return models.CheckConstraint(
        condition=django.db.models.lookups.GreaterThanOrEqual(django.db.models.functions.text.Length("token"), 43),
        name=name,
    )


def _relabel_content_type(source, target):
    """The content type of ``source``.calendarfeed becomes ``target``'s (one row relabelled:
    what points at it follows). Nothing to do on a fresh database (content types are made
    after migrating) or when ``target``'s exists already."""

    def relabel(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        content_types = ContentType.objects.using(schema_editor.connection.alias)
        if content_types.filter(app_label=target, model="calendarfeed").exists():
            return
        content_types.filter(app_label=source, model="calendarfeed").update(app_label=target)

    return relabel


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0016_user_assistant_consent"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("mentorship", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'ALTER TABLE "{OLD_TABLE}" RENAME TO "{NEW_TABLE}"',
                    reverse_sql=f'ALTER TABLE "{NEW_TABLE}" RENAME TO "{OLD_TABLE}"',
                ),
            ],
            state_operations=[
                migrations.CreateModel(
                    name="CalendarFeed",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        (
                            "created_at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "token",
                            models.CharField(
                                default=core.calendar.calendar_token_new,
                                editable=False,
                                max_length=64,
                                unique=True,
                                verbose_name="token",
                            ),
                        ),
                        ("rotated_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="rotated at")),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="calendar_feed",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "calendar feed",
                        "constraints": [_token_min_43(OLD_CONSTRAINT)],
                    },
                ),
            ],
        ),
        migrations.RemoveConstraint(model_name="calendarfeed", name=OLD_CONSTRAINT),
        migrations.AddConstraint(model_name="calendarfeed", constraint=_token_min_43(NEW_CONSTRAINT)),
        migrations.RunPython(
            _relabel_content_type("mentorship", "accounts"), _relabel_content_type("accounts", "mentorship")
        ),
    ]
