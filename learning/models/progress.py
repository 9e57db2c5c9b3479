"""Enrollments (seed 000's UserProgress merged with seed 004's enrollments) and per-lesson
progress."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


class Enrollment(BaseModel):
    # Annotated by learning.selectors.progress.enrollment_list_for_user (the sum over its
    # lessons' progress): not a field.
    time_spent_seconds: int

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        PAUSED = "paused", _("Paused")

    class Source(models.TextChoices):
        FREE = "free", _("Free course")
        PAYMENT = "payment", _("Payment")
        STAFF_GRANT = "staff_grant", _("Granted by staff")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey("learning.Course", on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.FREE)
    progress_percent = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    current_module = models.ForeignKey(
        "learning.Module", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    current_lesson = models.ForeignKey(
        "learning.Lesson", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    last_accessed_at = models.DateTimeField(_("last accessed at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    wellness_check_completed = models.BooleanField(_("wellness check answered"), default=False)
    access_revoked_at = models.DateTimeField(
        _("access removed at"),
        null=True,
        blank=True,
        help_text=_("Set when the payment behind this enrolment was refunded: kept, but the course is closed."),
    )

    class Meta:
        ordering = ["-last_accessed_at", "-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="learning_enrollment_one_per_user_course"),
            models.CheckConstraint(
                condition=models.Q(progress_percent__lte=100), name="learning_enrollment_progress_max_100"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status"], name="learning_enrol_user_status"),
            models.Index(fields=["course", "status"], name="learning_enrol_course_status"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.course}"


class LessonProgress(BaseModel):
    """One learner's progress in one lesson (one row per user and lesson): the time spent
    with it open and, once completed, when (``completed_at``; ``None`` while the row only
    counts time). Completing again changes nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey("learning.Lesson", on_delete=models.CASCADE, related_name="progress")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="lesson_progress")
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    time_spent_seconds = models.PositiveIntegerField(_("time spent (s)"), default=0)
    time_reported_at = models.DateTimeField(
        _("time last reported at"),
        null=True,
        blank=True,
        help_text=_("The server's time of the latest time report: the next one counts no more than the time since."),
    )

    class Meta:
        ordering = ["completed_at"]
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="learning_progress_one_per_user_lesson"),
        ]
        indexes = [models.Index(fields=["enrollment"], name="learning_progress_enrol")]

    def __str__(self) -> str:
        return f"{self.user} {'✓' if self.completed_at else '…'} {self.lesson}"
