"""Reminders sent, persisted so each is sent at most once a day (or week)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


class ReminderSent(BaseModel):
    """A claimed reminder: ``local_date`` is the user's local date (the Sunday for the weekly
    reflection reminder). The unique constraint is the claim."""

    class Kind(models.TextChoices):
        HABIT = "habit", _("Habit reminder")
        REFLECTION = "reflection", _("Weekly reflection reminder")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    local_date = models.DateField(_("local date"))

    class Meta:
        ordering = ["-local_date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "local_date"], name="growth_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder to {self.user} on {self.local_date}"
