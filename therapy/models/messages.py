"""Secure messages inside a client–therapist relationship (the seed's Messages table)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel

MESSAGE_MAX_LENGTH = 5000


class Message(BaseModel):
    """One message from one participant of a relationship to the other, ordered by
    ``created_at``; ``read_at`` is the read receipt."""

    relationship = models.ForeignKey("therapy.TherapyRelationship", on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapy_messages_sent")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapy_messages_received"
    )
    content = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(sender=F("recipient")), name="therapy_message_not_to_self"),
            models.CheckConstraint(condition=~Q(content=""), name="therapy_message_not_empty"),
        ]
        indexes = [
            models.Index(fields=["relationship", "created_at"], name="therapy_message_conversation"),
            models.Index(fields=["recipient", "read_at"], name="therapy_message_unread"),
        ]

    def __str__(self) -> str:
        # Never the content: str() reaches logs and admin headings.
        return f"message {self.pk}"
