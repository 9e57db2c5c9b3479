"""Each person's private iCalendar feed, reached by a secret token (revoking = a new token).

The feed lives in accounts, below every app that puts entries in it (mentorship sessions and
events, therapy sessions: :data:`core.registry.calendar_sources`). It moved here from
mentorship (migrations ``accounts.0017`` and ``mentorship.0009``): the table was renamed,
so every token, and every calendar subscribed to one, kept working.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.calendar import CALENDAR_TOKEN_MIN_LENGTH, calendar_token_new
from core.models import BaseModel


class CalendarFeed(BaseModel):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(_("token"), max_length=64, unique=True, default=calendar_token_new, editable=False)
    rotated_at = models.DateTimeField(_("rotated at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        constraints = [
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("token"), CALENDAR_TOKEN_MIN_LENGTH),
                name="accounts_calendar_token_min_43",
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
