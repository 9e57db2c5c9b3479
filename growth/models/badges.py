"""Badges (seed 002 "Badge"), awarded by tasks: unique per user, type and level."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.icons import ICON_NAMES, validate_icon_name
from core.models import BaseModel


class Badge(BaseModel):
    """``level`` is 7/14/30/100 for streak, 7/30 for reflection, 1/10/25 for
    session_completion and 1 for the other types."""

    class Type(models.TextChoices):
        FIRST_STEP = "first_step", _("First step")
        CONSISTENCY = "consistency", _("Consistency")
        REFLECTION = "reflection", _("Reflection")
        IDENTITY_BUILDER = "identity_builder", _("Identity builder")
        STREAK = "streak", _("Streak")
        MILESTONE = "milestone", _("Milestone")
        SESSION_COMPLETION = "session_completion", _("Session completion")
        MENTOR_VERIFIED = "mentor_verified", _("Mentor verified")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges")
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    title = models.CharField(_("title"), max_length=120)
    description = models.CharField(_("description"), max_length=300)
    icon = models.CharField(
        _("icon"),
        max_length=40,
        validators=[validate_icon_name],
        help_text=_("Key of the badge's icon in the sprite static/img/icons.svg, e.g. flame."),
    )
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    earned_at = models.DateTimeField(_("earned at"), default=timezone.now)

    class Meta:
        ordering = ["-earned_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "type", "level"], name="growth_badge_once_per_level"),
            models.CheckConstraint(condition=Q(level__gte=1), name="growth_badge_level_min_1"),
        ]
        indexes = [
            models.Index(fields=["user", "earned_at"], name="growth_badge_user_earned"),
            # The holders of one type and level, read by the badge sweep's rules (index-only).
            models.Index(fields=["type", "level", "user"], name="growth_badge_type_level_user"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.user})"

    #: Drawn for a stored key the sprite no longer has (a row written around the validator).
    FALLBACK_ICON = "star"

    @property
    def icon_name(self) -> str:
        """The sprite key pages draw: the stored one, or :attr:`FALLBACK_ICON` if the sprite
        has no such icon, so one bad row cannot break the badge pages."""
        return self.icon if self.icon in ICON_NAMES else self.FALLBACK_ICON
