"""Each user's private iCalendar feed, reached by a secret token (revoking = a new token)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel

CALENDAR_TOKEN_BYTES = 32  # secrets.token_urlsafe(32) gives 43 characters


def calendar_token_new() -> str:
    """A fresh unguessable feed token (43 URL-safe characters)."""
    return secrets.token_urlsafe(CALENDAR_TOKEN_BYTES)


class CalendarFeed(BaseModel):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(_("token"), max_length=64, unique=True, default=calendar_token_new, editable=False)
    rotated_at = models.DateTimeField(_("rotated at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        constraints = [
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("token"), 43), name="mentorship_calendar_token_min_43"
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
