"""Simple todos (seed 002 "Todo"), standalone or linked to a goal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


class Todo(BaseModel):
    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="todos")
    goal = models.ForeignKey("growth.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="todos")
    text = models.CharField(_("text"), max_length=500)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM)

    class Meta:
        ordering = ["done", "due_date", "-created_at"]
        indexes = [models.Index(fields=["user", "done", "due_date"], name="growth_todo_user_done_due")]

    def __str__(self) -> str:
        return self.text
