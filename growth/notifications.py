"""The notification types of growth: goals, habits, reflections and badges.

``GrowthConfig.ready()`` registers them into :data:`core.registry.notification_types`;
growth's services name them. The values are stored in ``Notification.type``: never change one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.registry import NotificationArea, notification_types_register


class GrowthNotification(models.TextChoices):
    """Every kind of notification growth sends, in the order the e-mail preferences list them."""

    GOAL_APPROVAL_REQUESTED = "goal_approval_requested", _("Goal waiting for approval")
    GOAL_APPROVED = "goal_approved", _("Goal approved")
    GOAL_DECLINED = "goal_declined", _("Goal sent back by the mentor")
    GOAL_WITHDRAWN = "goal_withdrawn", _("Goal approval request withdrawn")
    HABIT_REMINDER = "habit_reminder", _("Habit reminder")
    REFLECTION_REMINDER = "reflection_reminder", _("Weekly reflection reminder")
    REFLECTION_SHARED = "reflection_shared", _("Reflection shared with you")
    REFLECTION_FEEDBACK = "reflection_feedback", _("Feedback on your reflection")
    BADGE_EARNED = "badge_earned", _("Badge earned")


def register() -> None:
    """Register the "Growth" area of the e-mail preferences and its types."""
    notification_types_register(area=NotificationArea("growth", _("Growth"), order=40), types=GrowthNotification)
