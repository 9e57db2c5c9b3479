"""Writes of notifications: the one way every app tells a user something.

``notification_send`` stores the in-app notification and, once the transaction commits,
enqueues :func:`accounts.tasks.notification_email_task`, which e-mails a copy when the
user still wants one (see :func:`notification_email_copy`).
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.audit import audit_record_bulk_created
from accounts.models import Notification, NotificationPreference, User
from core.registry import notification_types
from core.validators import field_max_length

_TITLE_MAX = field_max_length(Notification, "title")
_MESSAGE_MAX = field_max_length(Notification, "message")
_RELATED_TYPE_MAX = field_max_length(Notification, "related_type")
_RELATED_ID_MAX = field_max_length(Notification, "related_id")
_ACTION_URL_MAX = field_max_length(Notification, "action_url")
_WHITESPACE = re.compile(r"\s+")
_absolute_url_validator = URLValidator(schemes=["http", "https"])
# Notifications per insert, and per e-mail task, of notifications_send_many().
BATCH = 500


def notification_type_clean(value: str) -> str:
    """``value`` as a notification type registered in
    :data:`core.registry.notification_types`; ``ValidationError`` when there is none."""
    kind = notification_types.get(str(value))
    if kind is None:
        raise ValidationError({"type": _("“%(value)s” is not a notification type.") % {"value": value}})
    return kind.key


def notification_action_url_clean(value: str) -> str:
    """A safe link target: empty, a path on this site (``/…``) or an http(s) URL.

    Anything else (``javascript:``, ``//other.host``, backslashes) raises ``ValidationError``:
    the URL ends up in a link on the page and in e-mails.
    """
    value = value.strip()
    if not value:
        return ""
    if len(value) > _ACTION_URL_MAX:
        raise ValidationError(
            {"action_url": _("The action URL is longer than %(max)d characters.") % {"max": _ACTION_URL_MAX}}
        )
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        if _WHITESPACE.search(value):
            raise ValidationError({"action_url": _("The action URL must not contain spaces.")})
        return value
    try:
        _absolute_url_validator(value)
    except ValidationError:
        raise ValidationError(
            {"action_url": _("The action URL must be a path on this site (/…) or an http(s) address.")}
        ) from None
    return value


def notification_action_url_absolute(action_url: str) -> str:
    """``action_url`` as an absolute address for e-mails: paths get ``settings.SITE_URL``."""
    if action_url.startswith("/"):
        return f"{settings.SITE_URL}{action_url}"
    return action_url


def _related_reference(related: models.Model | None, related_type: str, related_id: str | Any) -> tuple[str, str]:
    if related is not None:
        if related_type or related_id:
            raise ValueError("Pass either `related` or `related_type`/`related_id`, not both.")
        if related.pk is None:
            raise ValueError("The related object must be saved first.")
        return related._meta.label_lower, str(related.pk)
    related_type, related_id = related_type.strip(), str(related_id or "").strip()
    if bool(related_type) != bool(related_id):
        raise ValidationError({"related_type": _("A related object needs both its type and its id.")})
    if len(related_type) > _RELATED_TYPE_MAX or len(related_id) > _RELATED_ID_MAX:
        raise ValidationError({"related_type": _("The related object reference is too long.")})
    return related_type, related_id


@transaction.atomic
def notification_send(
    *,
    user: User,
    type: str,
    title: str,
    message: str = "",
    related: models.Model | None = None,
    related_type: str = "",
    related_id: str = "",
    action_url: str = "",
    email: bool | None = None,
) -> Notification:
    """Notify ``user``: store the in-app notification and, after commit, e-mail a copy.

    ``related`` (a saved model instance) is recorded as ``related_type``
    ``"app_label.model"`` and ``related_id`` ``str(pk)``; alternatively pass those two
    yourself. ``action_url`` is a path on this site or an http(s) address; the e-mail links
    to it absolutely. Whitespace in ``title`` is collapsed to single spaces; an over-long
    title or message is shortened with an ellipsis rather than refused, since callers build
    them from user content.

    ``email``: ``None`` follows the user's preference for this type (default: yes),
    ``False`` never e-mails, ``True`` e-mails even when the user opted out of this type
    (only for messages the user asked for, e.g. their data export). Inactive users are
    never e-mailed.

    Raises ``ValidationError`` for an unknown type, an empty title, an unsafe action URL
    or half a related reference; nothing is stored then. Side effect after commit:
    :func:`accounts.tasks.notification_email_task` is enqueued unless ``email`` is False.
    """
    notification_type = notification_type_clean(type)
    title = _WHITESPACE.sub(" ", title).strip()
    if not title:
        raise ValidationError({"title": _("A notification needs a title.")})
    related_type, related_id = _related_reference(related, related_type, related_id)
    notification = Notification.objects.create(
        user=user,
        type=notification_type,
        title=Truncator(title).chars(_TITLE_MAX),
        message=Truncator(message.strip()).chars(_MESSAGE_MAX),
        related_type=related_type,
        related_id=related_id,
        action_url=notification_action_url_clean(action_url),
    )
    if email is not False:
        from accounts.tasks import notification_email_task

        notification_email_task.delay_on_commit(str(notification.pk), force=bool(email))
    return notification


@dataclass(frozen=True)
class NotificationDraft:
    """One notification of :func:`notifications_send_many`: the arguments of
    :func:`notification_send` (the user by id, the related object saved)."""

    user_id: Any
    type: str
    title: str
    message: str = ""
    related: models.Model | None = None
    related_type: str = ""
    related_id: str = ""
    action_url: str = ""


def _notification_build(*, user_id: Any, draft: NotificationDraft) -> Notification:
    notification_type = notification_type_clean(draft.type)
    title = _WHITESPACE.sub(" ", draft.title).strip()
    if not title:
        raise ValidationError({"title": _("A notification needs a title.")})
    related_type, related_id = _related_reference(draft.related, draft.related_type, draft.related_id)
    return Notification(
        user_id=user_id,
        type=notification_type,
        title=Truncator(title).chars(_TITLE_MAX),
        message=Truncator(draft.message.strip()).chars(_MESSAGE_MAX),
        related_type=related_type,
        related_id=related_id,
        action_url=notification_action_url_clean(draft.action_url),
    )


@transaction.atomic
def notifications_send_many(*, drafts: Sequence[NotificationDraft]) -> list[Notification]:
    """:func:`notification_send` for many notifications at once (``email=None``: each copy
    follows its user's preference), with the same rules and the same result — the same
    rows, the same audit entries, the same e-mail copies — at a cost that does not grow
    per row in queries: one insert per :data:`BATCH` notifications (and their audit
    entries), and one :func:`accounts.tasks.notification_emails_task` per :data:`BATCH`
    after commit instead of a task each. For sweeps that notify thousands of people.

    Raises ``ValidationError`` like :func:`notification_send` when any draft is invalid;
    nothing is stored then. Returns the notifications in the drafts' order."""
    rows = [_notification_build(user_id=draft.user_id, draft=draft) for draft in drafts]
    if not rows:
        return []
    from accounts.tasks import notification_emails_task

    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        Notification.objects.bulk_create(batch)
        audit_record_bulk_created(batch)
        notification_emails_task.delay_on_commit([str(row.pk) for row in batch])
    return rows


def notification_email_wanted(*, user: User, type: str) -> bool:
    """Whether ``user`` wants e-mail copies of ``type`` (no preference stored means yes)."""
    preference = NotificationPreference.objects.filter(user=user, type=type).values_list("email", flat=True).first()
    return True if preference is None else preference


@transaction.atomic
def notification_email_copy(*, notification_id: str, force: bool = False) -> bool:
    """E-mail a copy of one notification, at most once. Returns whether a copy was sent.

    Re-reads everything at sending time: nothing is sent when the notification is gone,
    its copy already went out (``emailed_at``), the user is inactive or, unless ``force``,
    their preference for the type is off. The row is locked so two concurrent runs (a
    redelivered task) cannot both send; the message leaves through the e-mail task only
    when this transaction commits, together with ``emailed_at``.
    """
    notification = (
        Notification.objects.select_for_update(of=("self",)).select_related("user").filter(pk=notification_id).first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    user = notification.user
    if not user.is_active or not user.email:
        return False
    if not force and not notification_email_wanted(user=user, type=notification.type):
        return False
    context = {
        "user": user,
        "notification": notification,
        "action_url": notification_action_url_absolute(notification.action_url),
        "site_url": settings.SITE_URL,
        "forced": force,
    }
    send_mail(
        subject=_WHITESPACE.sub(" ", render_to_string("accounts/email/notification_subject.txt", context)).strip(),
        message=render_to_string("accounts/email/notification_message.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at", "updated_at"])
    return True


@transaction.atomic
def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of ``user``'s notifications read (idempotent: ``read_at`` keeps the first
    time). Raises ``Notification.DoesNotExist`` for another user's notification, which
    interfaces show as a 404.

    A conditional ``UPDATE``, like :func:`notifications_mark_all_read`: reading one's own
    notifications is not an account change, so the audit log does not record it."""
    if notification.user_id != user.pk:
        raise Notification.DoesNotExist
    if not notification.is_read:
        now = timezone.now()
        # Conditional update: a concurrent request that got there first keeps its read_at.
        Notification.objects.filter(pk=notification.pk, is_read=False).update(is_read=True, read_at=now, updated_at=now)
        notification.refresh_from_db(fields=["is_read", "read_at", "updated_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many changed. One
    ``UPDATE`` whatever the count (not recorded in the audit log, see
    :func:`notification_mark_read`)."""
    now = timezone.now()
    return Notification.objects.filter(user=user, is_read=False).update(is_read=True, read_at=now, updated_at=now)


@transaction.atomic
def notification_preferences_set(*, user: User, preferences: Mapping[str, bool]) -> int:
    """Set whether ``user`` gets e-mail copies, per type. Types left out keep their value.
    Returns how many types changed.

    Only changes are written, and as saved instances so the audit log records them (a type
    switched back to the default keeps its row). Raises ``ValidationError`` naming every
    unknown type or non-boolean value; nothing changes then.
    """
    unknown = sorted(str(key) for key in preferences if notification_types.get(key) is None)
    if unknown:
        raise ValidationError(
            {"preferences": _("Unknown notification types: %(types)s.") % {"types": ", ".join(unknown)}}
        )
    not_boolean = sorted(str(key) for key, value in preferences.items() if not isinstance(value, bool))
    if not_boolean:
        raise ValidationError(
            {"preferences": _("E-mail must be true or false for: %(types)s.") % {"types": ", ".join(not_boolean)}}
        )
    stored = {
        preference.type: preference
        for preference in NotificationPreference.objects.select_for_update().filter(user=user, type__in=preferences)
    }
    changed = 0
    for notification_type, email in preferences.items():
        preference = stored.get(notification_type)
        if preference is None:
            if email:
                continue  # no row means "yes" already
            # update_or_create: a concurrent first save of the same type cannot fail on the
            # unique constraint.
            NotificationPreference.objects.update_or_create(
                user=user, type=notification_type, defaults={"email": email}
            )
        elif preference.email != email:
            preference.email = email
            preference.save(update_fields=["email", "updated_at"])
        else:
            continue
        changed += 1
    return changed
