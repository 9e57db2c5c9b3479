"""Anonymous feedback now reaches the mentor in weekly batches (issue 14 §1). Existing
anonymous feedback was already shown: it is marked released in the week it was written, and
the session rating and feedback flags it had set are cleared (an anonymous rating never sits
on its session)."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models


def release_existing_anonymous(apps, schema_editor):
    SessionFeedback = apps.get_model("mentorship", "SessionFeedback")
    MentorshipSession = apps.get_model("mentorship", "MentorshipSession")
    anonymous = SessionFeedback.objects.filter(is_anonymous=True)
    for feedback in anonymous.filter(released_on__isnull=True).only("pk", "created_at").iterator():
        written = feedback.created_at.date()
        SessionFeedback.objects.filter(pk=feedback.pk).update(released_on=written - timedelta(days=written.weekday()))
    # update() leaves updated_at alone: the clean-up itself dates nothing.
    MentorshipSession.objects.filter(pk__in=anonymous.values("session_id")).update(
        rating=None, feedback_submitted=False, feedback_submitted_at=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("mentorship", "0003_event_attendance_reminder"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="sessionfeedback",
            name="released_on",
            field=models.DateField(
                blank=True,
                help_text="Anonymous feedback only: the Monday of the week its batch reached the mentor.",
                null=True,
                verbose_name="released in the week of",
            ),
        ),
        migrations.AddIndex(
            model_name="sessionfeedback",
            index=models.Index(
                condition=models.Q(("is_anonymous", True), ("released_on__isnull", True)),
                fields=["mentor"],
                name="mentorship_feedback_waiting",
            ),
        ),
        migrations.AddConstraint(
            model_name="sessionfeedback",
            constraint=models.CheckConstraint(
                condition=models.Q(("is_anonymous", True), ("released_on__isnull", True), _connector="OR"),
                name="mentorship_feedback_released_only_anonymous",
            ),
        ),
        migrations.RunPython(release_existing_anonymous, migrations.RunPython.noop),
    ]
