"""Reviews keep seed 002's ``type`` (about a session, whose review text they are, or
general); mentors say which languages they mentor in, mentees which they speak; a mentor's
rating says how many completed sessions it rests on (``rated_sessions``, filled here)."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q

import core.validators


def rated_sessions_fill(apps, schema_editor):
    MentorProfile = apps.get_model("mentorship", "MentorProfile")
    MentorshipSession = apps.get_model("mentorship", "MentorshipSession")
    SessionFeedback = apps.get_model("mentorship", "SessionFeedback")
    Review = apps.get_model("mentorship", "Review")
    for profile in MentorProfile.objects.all().only("pk", "user_id"):
        count = (
            MentorshipSession.objects.filter(mentor_id=profile.user_id, status="COMPLETED")
            .filter(
                Exists(
                    SessionFeedback.objects.filter(session=OuterRef("pk")).filter(
                        Q(is_anonymous=False) | Q(released_on__isnull=False)
                    )
                )
                | Exists(Review.objects.filter(target_id=profile.user_id, author_id=OuterRef("mentee_id")))
            )
            .count()
        )
        MentorProfile.objects.filter(pk=profile.pk).update(rated_sessions=count)


class Migration(migrations.Migration):
    dependencies = [
        ("mentorship", "0006_event_attendance_awaiting_payment"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MenteePreference",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                (
                    "created_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "languages",
                    models.JSONField(
                        blank=True,
                        default=list,
                        validators=[core.validators.validate_tag_list],
                        verbose_name="languages",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mentee_preference",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"verbose_name": "mentee preference"},
        ),
        migrations.AddField(
            model_name="mentorprofile",
            name="languages",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The languages you mentor in.",
                validators=[core.validators.validate_tag_list],
                verbose_name="languages",
            ),
        ),
        migrations.AddField(
            model_name="mentorprofile",
            name="rated_sessions",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="sessions behind the ratings"),
        ),
        migrations.AddField(
            model_name="review",
            name="session",
            field=models.ForeignKey(
                blank=True,
                help_text="The completed session a session review is about.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reviews",
                to="mentorship.mentorshipsession",
                verbose_name="session",
            ),
        ),
        migrations.AddField(
            model_name="review",
            name="type",
            field=models.CharField(
                choices=[("SESSION_FEEDBACK", "About a session"), ("GENERAL", "General")],
                default="GENERAL",
                max_length=16,
                verbose_name="type",
            ),
        ),
        migrations.AddConstraint(
            model_name="review",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("session__isnull", True), ("type", "GENERAL")),
                    ("type", "SESSION_FEEDBACK"),
                    _connector="OR",
                ),
                name="mentorship_review_general_no_session",
            ),
        ),
        migrations.RunPython(rated_sessions_fill, migrations.RunPython.noop),
    ]
