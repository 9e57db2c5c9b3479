"""The notification types of therapy: requests, relationships, sessions, verification,
messages, and a client who may need their therapist's attention (a distressing shared entry,
an urgent session asked for).

``TherapyConfig.ready()`` registers them into :data:`core.registry.notification_types`;
therapy's services name them. The values are stored in ``Notification.type``: never change one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.registry import NotificationArea, notification_types_register


class TherapyNotification(models.TextChoices):
    """Every kind of notification therapy sends, in the order the e-mail preferences list them."""

    THERAPY_REQUEST = "therapy_request", _("New client request")
    THERAPY_RELATIONSHIP = "therapy_relationship", _("Therapy relationship update")
    THERAPY_SESSION = "therapy_session", _("Therapy session update")
    THERAPIST_VERIFIED = "therapist_verified", _("Therapist profile verified")
    MESSAGE_RECEIVED = "message_received", _("New message")
    THERAPY_ATTENTION = "therapy_attention", _("A client may need your attention")


def register() -> None:
    """Register the "Therapy" area of the e-mail preferences and its types."""
    notification_types_register(area=NotificationArea("therapy", _("Therapy"), order=50), types=TherapyNotification)
