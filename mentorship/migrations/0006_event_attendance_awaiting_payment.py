"""Paid events (issue 17): a seat awaiting payment (``awaiting_payment``) is held until
``payment_due_at`` — 30 minutes after registering, 24 hours after a promotion from the
waitlist — and counts against ``max_attendees`` like a registered one."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mentorship", "0005_session_awaiting_payment"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="eventattendance",
            name="payment_due_at",
            field=models.DateTimeField(
                blank=True,
                help_text="A seat awaiting payment is held until this time; unpaid, it goes to the next person waiting. Kept when the hold ends unpaid, cleared once paid.",
                null=True,
                verbose_name="pay by",
            ),
        ),
        migrations.AlterField(
            model_name="eventattendance",
            name="status",
            field=models.CharField(
                choices=[
                    ("awaiting_payment", "Awaiting payment"),
                    ("registered", "Registered"),
                    ("waitlisted", "Waitlisted"),
                    ("attended", "Attended"),
                    ("cancelled", "Cancelled"),
                    ("no_show", "No-show"),
                ],
                default="registered",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.AddIndex(
            model_name="eventattendance",
            index=models.Index(
                condition=models.Q(("status", "awaiting_payment")),
                fields=["payment_due_at"],
                name="mentorship_attend_payment_due",
            ),
        ),
        migrations.AddConstraint(
            model_name="eventattendance",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "awaiting_payment"), _negated=True),
                    ("payment_due_at__isnull", False),
                    _connector="OR",
                ),
                name="mentorship_attendance_awaiting_payment_has_due",
            ),
        ),
    ]
