"""Identity goals (seed 002 "Goal"): draft → pending_approval → active → completed, archived
from any state and restored, never deleted; a mentor may decline a goal sent for approval
(back to draft, with a reason) and the owner may withdraw it."""

from uuid import UUID

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


class Goal(BaseModel):
    """An identity goal ("I want to become a … who …"). ``progress`` caches the rule of
    ``growth.selectors.goals.goal_progress_map`` (refreshed on every habit write and nightly)
    for ordering, admin and the export; pages and the API show today's value."""

    # The mentor before an edit, kept on the instance by growth.caching between pre_save and
    # post_save (not a field).
    _mentor_before: UUID | None

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING_APPROVAL = "pending_approval", _("Waiting for the mentor's approval")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ARCHIVED = "archived", _("Archived")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals")
    identity = models.CharField(
        _("identity"), max_length=300, help_text=_("Who you want to become: “I want to become a … who …”.")
    )
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    category = models.CharField(_("category"), max_length=80, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentored_goals",
        verbose_name=_("mentor"),
    )
    mentor_approved = models.BooleanField(_("approved by the mentor"), default=False)
    mentor_approved_at = models.DateTimeField(_("approved by the mentor at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    submitted_at = models.DateTimeField(_("submitted for approval at"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined by the mentor at"), null=True, blank=True)
    decline_reason = models.TextField(
        _("the mentor's reason for declining"),
        max_length=1000,
        blank=True,
        help_text=_("Shown to the goal's owner until they send it again."),
    )
    status_before_archive = models.CharField(
        _("status before archiving"), max_length=20, choices=Status.choices, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="growth_goal_progress_max_100"),
            models.CheckConstraint(
                condition=Q(mentor__isnull=True) | ~Q(mentor=F("user")), name="growth_goal_mentor_not_owner"
            ),
            models.CheckConstraint(
                condition=Q(mentor_approved=False) | Q(mentor_approved_at__isnull=False),
                name="growth_goal_approved_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "created_at"], name="growth_goal_user_created"),
            models.Index(fields=["mentor", "status"], name="growth_goal_mentor_status"),
            models.Index(fields=["status"], name="growth_goal_status"),
        ]

    def __str__(self) -> str:
        return self.title
