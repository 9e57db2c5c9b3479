"""The instructor's side: the instructor role, assignments and submissions (seed 004)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


class InstructorProfile(BaseModel):
    """The instructor role, granted by staff: an instructor owns courses and grades their
    assignments. Revoking sets ``is_active`` false (courses keep their instructor)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="instructor_profile")
    headline = models.CharField(_("headline"), max_length=160, blank=True)
    bio = models.TextField(_("bio"), max_length=4000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["user__email"]

    def __str__(self) -> str:
        return str(self.user)


class Assignment(BaseModel):
    # The learner's own submissions (prefetched by learning.selectors.teaching) and the latest
    # of them, set by the assignments page: not fields.
    my_submissions: list["Submission"]
    mine: "Submission | None"

    course = models.ForeignKey("learning.Course", on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    max_score = models.PositiveIntegerField(_("maximum score"), default=100, validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["due_at", "created_at"]
        indexes = [models.Index(fields=["course", "due_at"], name="learning_assignment_course")]
        constraints = [
            models.CheckConstraint(condition=Q(max_score__gte=1), name="learning_assignment_max_score_min_1"),
        ]

    def __str__(self) -> str:
        return self.title


class Submission(BaseModel):
    """One learner's answer to an assignment: editable until graded."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    text = models.TextField(_("answer"), max_length=20000)
    file = models.OneToOneField(
        "accounts.StoredFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="submission"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    is_late = models.BooleanField(_("late"), default=False)
    score = models.PositiveIntegerField(_("score"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), max_length=10000, blank=True)
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "user"], name="learning_submission_one_per_learner"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(graded_at__isnull=False),
                name="learning_submission_score_when_graded",
            ),
        ]
        indexes = [
            models.Index(fields=["assignment", "graded_at"], name="learning_submission_queue"),
            models.Index(fields=["user", "-submitted_at"], name="learning_submission_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.assignment}"

    @property
    def is_graded(self) -> bool:
        return self.graded_at is not None
