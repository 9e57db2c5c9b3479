"""No two pending or confirmed sessions of one mentor, or of one mentee, overlap in time.

PostgreSQL only (btree_gist exclusion constraints over a time range); on SQLite the booking
service's own check stands alone. Kept out of the model state so makemigrations stays clean
on both backends. The names are mentorship.models.SESSION_NO_MENTOR_OVERLAP / _MENTEE_.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINTS = (
    ("mentorship_session_no_mentor_overlap", "mentor_id"),
    ("mentorship_session_no_mentee_overlap", "mentee_id"),
)


def add_exclusions(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in CONSTRAINTS:
        schema_editor.execute(
            f"ALTER TABLE mentorship_mentorshipsession ADD CONSTRAINT {name} "
            f"EXCLUDE USING gist ({column} WITH =, tstzrange(start_at, end_at) WITH &&) "
            "WHERE (status IN ('PENDING', 'CONFIRMED'))"
        )


def drop_exclusions(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE mentorship_mentorshipsession DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("mentorship", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(add_exclusions, drop_exclusions),
    ]
