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
    # A learner's message sent through the chat pipeline waits for its reply until the reply is
    # stored (``learning.services.chat``); at most one per chat waits — the database holds that
    # rule, also for two first messages of a new chat sent at the same instant. The run of
    # ``chat_reply_task`` writing its reply claims it (when, and which run) for as long as the
    # provider may take, so that the reconcile task leaves it alone meanwhile.
    awaiting_reply = models.BooleanField(_("awaiting its reply"), default=False)
    reply_claimed_at = models.DateTimeField(_("reply claimed at"), null=True, blank=True)
    reply_claimed_by = models.CharField(_("reply claimed by"), max_length=64, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["user", "session_type", "-created_at"], name="learning_chat_user_type")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "session_id"],
                condition=models.Q(awaiting_reply=True),
                name="learning_chat_one_awaiting",
                violation_error_message=_("Wait for the reply to your last message before sending another."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_session_type_display()} {self.role}: {self.message[:40]}"
