"""Paid sessions (issue 17): the AWAITING_PAYMENT status (a slot held while the mentee pays)
and MENTOR_NO_SHOW; ``requested_at``, when the mentor was asked to confirm (existing
sessions: when they were booked).

The PostgreSQL exclusion constraints of 0002 are re-created so that a session awaiting
payment holds its time like a pending or confirmed one (mentorship.models.SLOT_STATUSES).
"""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import F

EXCLUSIONS = (
    ("mentorship_session_no_mentor_overlap", "mentor_id"),
    ("mentorship_session_no_mentee_overlap", "mentee_id"),
)
OLD_STATUSES = "'PENDING', 'CONFIRMED'"
NEW_STATUSES = "'AWAITING_PAYMENT', 'PENDING', 'CONFIRMED'"


def _recreate_exclusions(schema_editor, statuses: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in EXCLUSIONS:
        schema_editor.execute(f"ALTER TABLE mentorship_mentorshipsession DROP CONSTRAINT IF EXISTS {name}")
        schema_editor.execute(
            f"ALTER TABLE mentorship_mentorshipsession ADD CONSTRAINT {name} "
            f"EXCLUDE USING gist ({column} WITH =, tstzrange(start_at, end_at) WITH &&) "
            f"WHERE (status IN ({statuses}))"
        )


def exclusions_with_awaiting_payment(apps, schema_editor) -> None:
    _recreate_exclusions(schema_editor, NEW_STATUSES)


def exclusions_without_awaiting_payment(apps, schema_editor) -> None:
    _recreate_exclusions(schema_editor, OLD_STATUSES)


def requested_when_booked(apps, schema_editor) -> None:
    session = apps.get_model("mentorship", "MentorshipSession")
    session.objects.update(requested_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("mentorship", "0004_feedback_anonymous_release"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="mentorshipsession",
            name="requested_at",
            field=models.DateTimeField(
                blank=True,
                default=django.utils.timezone.now,
                help_text="When the mentor was asked to confirm: at booking, or once paid for a paid session.",
                null=True,
                verbose_name="requested at",
            ),
        ),
        migrations.AlterField(
            model_name="mentorshipsession",
            name="status",
            field=models.CharField(
                choices=[
                    ("AWAITING_PAYMENT", "Awaiting payment"),
                    ("PENDING", "Pending"),
                    ("CONFIRMED", "Confirmed"),
                    ("COMPLETED", "Completed"),
                    ("CANCELLED", "Cancelled"),
                    ("NO_SHOW", "No-show"),
                    ("MENTOR_NO_SHOW", "Mentor did not show"),
                ],
                default="PENDING",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(requested_when_booked, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="mentorshipsession",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "AWAITING_PAYMENT"), _negated=True),
                    models.Q(("price_cents__gt", 0), ("requested_at__isnull", True)),
                    _connector="OR",
                ),
                name="mentorship_session_awaiting_payment_priced",
            ),
        ),
        migrations.AddConstraint(
            model_name="mentorshipsession",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("requested_at__isnull", False), ("status__in", ["AWAITING_PAYMENT", "CANCELLED"]), _connector="OR"
                ),
                name="mentorship_session_requested_has_time",
            ),
        ),
        migrations.RunPython(exclusions_with_awaiting_payment, exclusions_without_awaiting_payment),
    ]
