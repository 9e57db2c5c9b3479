"""Chat messages (seed 000's ChatHistory): the career assessment, wellness checks and
general chats, every turn stored."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


class ChatMessage(BaseModel):
    class SessionType(models.TextChoices):
        ASSESSMENT = "assessment", _("Career assessment")
        WELLNESS = "wellness", _("Wellness check")
        GENERAL = "general", _("General")

    class Role(models.TextChoices):
        USER = "user", _("User")
        ASSISTANT = "assistant", _("Assistant")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages")
    session_id = models.UUIDField(_("chat session"), default=uuid.uuid4, db_index=True)
    session_type = models.CharField(_("session type"), max_length=16, choices=SessionType.choices)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    message = models.TextField(_("message"), max_length=4000)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    # An assistant message records what produced it (issue 19): the engine ("keyword",
    # "language-model"), the provider's model and the prompt file's version, and the tokens
    # the provider counted (the cost of a conversation is their sum). Empty on user messages.
    engine = models.CharField(_("engine"), max_length=32, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    prompt_version = models.CharField(_("prompt version"), max_length=32, blank=True)
    prompt_tokens = models.PositiveIntegerField(_("prompt tokens"), null=True, blank=True)
    completion_tokens = models.PositiveIntegerField(_("completion tokens"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["user", "session_type", "-created_at"], name="learning_chat_user_type")]

    def __str__(self) -> str:
        return f"{self.get_session_type_display()} {self.role}: {self.message[:40]}"
