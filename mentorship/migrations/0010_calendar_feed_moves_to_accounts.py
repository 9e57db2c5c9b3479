"""The private calendar feed now belongs to accounts (``accounts.0017_calendar_feed_from_mentorship``
renamed its table and took over the model, content type and rows): mentorship forgets its
model without touching the database. Reversible (the table goes back with accounts' reversal)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0017_calendar_feed_from_mentorship"),
        ("mentorship", "0009_reminders_by_the_core_task"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CalendarFeed")],
            database_operations=[],
        ),
    ]
