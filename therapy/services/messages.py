"""Secure messages inside an active relationship: send, read receipts, and a client's
request for an urgent session.

The recipient is notified that a message is waiting — never what it says, nor who wrote
it (notifications and their e-mails leave the platform; message text must not)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors.notifications import notification_unread_exists
from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from therapy.models import MESSAGE_MAX_LENGTH, Message, TherapyRelationship
from therapy.notifications import TherapyNotification
from therapy.rules import can_read_messages, relationship_is_suspended
from therapy.services.relationships import BLOCKED_MESSAGE

if TYPE_CHECKING:
    from accounts.models import User

Status = TherapyRelationship.Status

SUSPENDED_FOR_CLIENT = gettext_lazy(
    "Messages are paused: your therapist's verification is being checked again. You will be told when "
    "the conversation opens again."
)
SUSPENDED_FOR_THERAPIST = gettext_lazy(
    "Messages are paused: your clients' conversations are closed to you until staff verify you again."
)


def message_refusal(*, relationship: TherapyRelationship, sender: User) -> str | None:
    """Why ``sender`` cannot write in ``relationship`` now, in words; ``None`` when they can
    (a party of an ACTIVE relationship that is not suspended). No query when
    ``relationship`` carries the ``therapist_verified`` annotation, else one."""
    if sender.pk not in (relationship.client_id, relationship.therapist_id):
        return _("Only the client and the therapist can write in this conversation.")
    by_client = sender.pk == relationship.client_id
    if relationship_is_suspended(relationship):
        return str(SUSPENDED_FOR_CLIENT if by_client else SUSPENDED_FOR_THERAPIST)
    if relationship.status == Status.ACTIVE:
        return None
    if relationship.status == Status.BLOCKED:
        return str(BLOCKED_MESSAGE) if by_client else _("You blocked this client; messages can no longer be sent.")
    if relationship.status == Status.PENDING:
        return _("Messages can be sent once the therapist accepts the request.")
    return _("This relationship has ended; messages can no longer be sent.")


@transaction.atomic
def message_send(*, relationship: TherapyRelationship, sender: User, content: str) -> Message:
    """``sender`` writes to the other party of ``relationship``.

    Preconditions: ``sender`` is a party and the relationship is ACTIVE and not suspended
    (its therapist verified now) — checked on the locked row, so a message never slips in
    after a block; otherwise ``ApplicationError``
    saying why and nothing is stored. Empty or over-long content is a ``ValidationError``.
    Side effect: the recipient is notified (MESSAGE_RECEIVED) that a message is waiting,
    without its content or sender — once per conversation until they read it.
    """
    content = content.strip()
    if not content:
        raise ValidationError({"content": _("Write a message first.")})
    if len(content) > MESSAGE_MAX_LENGTH:
        raise ValidationError({"content": _("A message has at most %(max)d characters.") % {"max": MESSAGE_MAX_LENGTH}})
    relationship = (
        TherapyRelationship.objects.select_for_update().select_related("client", "therapist").get(pk=relationship.pk)
    )
    refusal = message_refusal(relationship=relationship, sender=sender)
    if refusal is not None:
        raise ApplicationError(refusal)
    recipient = relationship.therapist if sender.pk == relationship.client_id else relationship.client
    message = Message.objects.create(relationship=relationship, sender=sender, recipient=recipient, content=content)
    if sender.pk == relationship.therapist_id and relationship.urgent_requested_at is not None:
        # The therapist answered: the client's urgent request is no longer waiting.
        relationship.urgent_requested_at = None
        relationship.save(update_fields=["urgent_requested_at", "updated_at"])
    if not notification_unread_exists(user=recipient, type=TherapyNotification.MESSAGE_RECEIVED, related=relationship):
        notification_send(
            user=recipient,
            type=TherapyNotification.MESSAGE_RECEIVED,
            title=_("You have a new message"),
            message=_("A new secure message is waiting for you. Sign in to read it."),
            related=relationship,
            action_url=reverse("therapy:conversation", kwargs={"pk": relationship.pk}),
        )
    return message


URGENT_REQUEST_TEXT = gettext_lazy("I am asking for an urgent session. Please get in touch with me as soon as you can.")


@transaction.atomic
def urgent_session_request(*, relationship: TherapyRelationship, client: User, note: str = "") -> Message:
    """``client`` asks their therapist for an urgent session: a message in their
    conversation (the request's words, then ``note``), the relationship flagged on the
    therapist's client list until the therapist answers in the conversation, and the
    therapist notified at once (THERAPY_ATTENTION, without the note or the client's name).

    Preconditions as for :func:`message_send` (the client of an ACTIVE relationship in
    force), else ``ApplicationError`` saying why; a request already waiting is refused the
    same way; an over-long note is a ``ValidationError``. Nothing is stored when refused."""
    note = (note or "").strip()
    content = str(URGENT_REQUEST_TEXT) + (f"\n\n{note}" if note else "")
    if len(content) > MESSAGE_MAX_LENGTH:
        raise ValidationError({"note": _("The note is too long.")})
    relationship = (
        TherapyRelationship.objects.select_for_update().select_related("client", "therapist").get(pk=relationship.pk)
    )
    if client.pk != relationship.client_id:
        raise ApplicationError(_("Only the client can ask their therapist for an urgent session."))
    refusal = message_refusal(relationship=relationship, sender=client)
    if refusal is not None:
        raise ApplicationError(refusal)
    if relationship.urgent_requested_at is not None:
        raise ApplicationError(
            _(
                "You already asked %(name)s for an urgent session; they were told at once and will answer "
                "in your conversation."
            )
            % {"name": relationship.therapist.display_name}
        )
    message = Message.objects.create(
        relationship=relationship, sender=client, recipient=relationship.therapist, content=content
    )
    relationship.urgent_requested_at = message.created_at
    relationship.save(update_fields=["urgent_requested_at", "updated_at"])
    notification_send(
        user=relationship.therapist,
        type=TherapyNotification.THERAPY_ATTENTION,
        title=_("A client asks for an urgent session"),
        message=_("Please answer in your conversation on Ascend as soon as you can."),
        related=relationship,
        action_url=reverse("therapy:conversation", kwargs={"pk": relationship.pk}),
    )
    return message


def messages_mark_read(*, relationship: TherapyRelationship, reader: User) -> int:
    """The read receipts: every unread message to ``reader`` in ``relationship`` is read now;
    returns how many. One ``UPDATE`` whatever the count — a receipt, not somebody's content,
    and like ``accounts.services.notifications.notifications_mark_all_read`` not recorded in the audit log.
    A non-party, or a therapist whose verification is withdrawn (who reads nothing), changes
    nothing."""
    if not can_read_messages(reader, relationship):
        return 0
    now = timezone.now()
    return Message.objects.filter(relationship=relationship, recipient_id=reader.pk, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )
