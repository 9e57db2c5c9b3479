"""Announcements (seed 002 ``admin_update``): staff address one message to everyone or to a
segment (:data:`core.registry.audience_kinds`: role, membership tier, category of
interest), and a task notifies the people in batches, each person exactly once.

- :func:`announcement_audience_clean` checks an audience value;
- :func:`announcement_draft_save` writes a draft;
- :func:`announcement_queue` starts the sending (counts the people, enqueues the task);
- :func:`announcement_send_batch` notifies the next batch; the task calls it until done.
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from accounts.models import EVERYONE, Announcement, AnnouncementDelivery, User
from accounts.notifications import AccountNotification
from accounts.services.notifications import notification_action_url_clean, notification_send
from core.errors import ApplicationError
from core.registry import audience_kinds

#: How many people one run of the task notifies before it hands over to the next run.
ANNOUNCEMENT_BATCH_SIZE = 500


def announcement_audience_choices() -> list[tuple[Any, Any]]:
    """The audiences staff may pick, for a select: everyone, then each kind's values grouped
    under the kind's label (kinds sharing a label share a group)."""
    groups: dict[str, list[tuple[str, StrOrPromise]]] = {}
    labels: dict[str, StrOrPromise] = {}
    for kind in audience_kinds.all():
        label_key = str(kind.label)
        labels.setdefault(label_key, kind.label)
        groups.setdefault(label_key, []).extend(
            (f"{kind.key}:{value}", value_label) for value, value_label in kind.choices()
        )
    choices: list[tuple[Any, Any]] = [(EVERYONE, _("Everyone"))]
    choices.extend((labels[label], options) for label, options in groups.items() if options)
    return choices


def announcement_audience_clean(value: str) -> str:
    """``value`` as a stored audience: ``"everyone"`` or ``"<kind>:<value>"`` of a
    registered kind and one of its current values; ``ValidationError`` otherwise."""
    value = (value or "").strip()
    if value == EVERYONE:
        return value
    key, _sep, choice = value.partition(":")
    kind = audience_kinds.get(key)
    if kind is None or choice not in {str(option) for option, _label in kind.choices()}:
        raise ValidationError({"audience": _("Choose everyone or one of the groups offered.")})
    return value


def announcement_audience_label(value: str) -> str:
    """The audience in words ("Everyone", "Membership tier: Premium")."""
    if value == EVERYONE:
        return str(_("Everyone"))
    key, _sep, choice = value.partition(":")
    kind = audience_kinds.get(key)
    if kind is None:
        return value
    labels = dict(kind.choices())
    return f"{kind.label}: {labels.get(choice, choice)}"


def announcement_recipients(*, audience: str) -> QuerySet[User]:
    """The active members an audience covers, by id (one query when evaluated)."""
    people = User.objects.filter(is_active=True, erased_at__isnull=True)
    if audience == EVERYONE:
        return people
    key, _sep, choice = audience.partition(":")
    kind = audience_kinds.get(key)
    if kind is None:
        return people.none()
    return people.filter(pk__in=kind.members(choice))


def announcement_validate(*, title: str, message: str, action_url: str, audience: str) -> dict[str, str]:
    """The cleaned fields of an announcement; ``ValidationError`` naming every bad field."""
    errors: dict[str, Any] = {}
    cleaned = {"title": " ".join(title.split()), "message": message.strip()}
    if not cleaned["title"]:
        errors["title"] = _("An announcement needs a title.")
    for field, clean, raw in (
        ("action_url", notification_action_url_clean, action_url),
        ("audience", announcement_audience_clean, audience),
    ):
        try:
            cleaned[field] = clean(raw)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def announcement_draft_save(
    *,
    announcement: Announcement | None,
    title: str,
    message: str = "",
    action_url: str = "",
    audience: str = EVERYONE,
    created_by: User | None = None,
) -> Announcement:
    """Create a draft (``announcement`` None) or change one. ``ValidationError`` for bad
    fields (see :func:`announcement_validate`); ``ApplicationError`` once its sending
    started: what people were told is a record."""
    cleaned = announcement_validate(title=title, message=message, action_url=action_url, audience=audience)
    if announcement is None:
        return Announcement.objects.create(created_by=created_by, **cleaned)
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.status != Announcement.Status.DRAFT:
        raise ApplicationError(_("An announcement cannot change once its sending started."))
    for field, value in cleaned.items():
        setattr(announcement, field, value)
    announcement.save(update_fields=[*cleaned, "updated_at"])
    return announcement


@transaction.atomic
def announcement_queue(*, announcement: Announcement) -> Announcement:
    """Start sending a draft: count the people its audience covers (``total``), mark it
    sending and, after commit, enqueue :func:`accounts.tasks.announcement_send_task`.
    ``ApplicationError`` when it is not a draft (it was sent or is being sent) or its
    audience no longer exists."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.status != Announcement.Status.DRAFT:
        raise ApplicationError(_("“%(title)s” was already sent.") % {"title": announcement.title})
    try:
        announcement_audience_clean(announcement.audience)
    except ValidationError as exc:
        raise ApplicationError(_("The audience of this announcement no longer exists: choose another.")) from exc
    announcement.total = announcement_recipients(audience=announcement.audience).count()
    announcement.status = Announcement.Status.SENDING
    announcement.queued_at = timezone.now()
    announcement.save(update_fields=["total", "status", "queued_at", "updated_at"])
    from accounts.tasks import announcement_send_task

    announcement_send_task.delay_on_commit(str(announcement.pk))
    return announcement


@transaction.atomic
def announcement_send_batch(*, announcement_id: str, batch_size: int = ANNOUNCEMENT_BATCH_SIZE) -> bool:
    """Notify the next ``batch_size`` people of a sending announcement who were not notified
    yet; returns whether people may be left — then the next run is enqueued (through the
    outbox, in this transaction).

    Each person gets one ``admin_update`` notification (an e-mail copy per their
    preference) and an :class:`AnnouncementDelivery` in the same transaction; the
    announcement's row is locked, so a rerun or a concurrent run skips everyone already
    notified and the unique pair refuses a second delivery. ``sent_count`` counts the
    deliveries; the announcement is sent when no one is left (people who joined the
    segment meanwhile are included). A draft, a sent or a missing announcement does
    nothing."""
    announcement = Announcement.objects.select_for_update().filter(pk=announcement_id).first()
    if announcement is None or announcement.status != Announcement.Status.SENDING:
        return False
    delivered = AnnouncementDelivery.objects.filter(announcement=announcement).values("user_id")
    batch: Sequence[User] = list(
        announcement_recipients(audience=announcement.audience).exclude(pk__in=delivered).order_by("pk")[:batch_size]
    )
    for user in batch:
        notification_send(
            user=user,
            type=AccountNotification.ADMIN_UPDATE,
            title=announcement.title,
            message=announcement.message,
            related=announcement,
            action_url=announcement.action_url,
        )
    AnnouncementDelivery.objects.bulk_create([AnnouncementDelivery(announcement=announcement, user=u) for u in batch])
    announcement.sent_count = AnnouncementDelivery.objects.filter(announcement=announcement).count()
    more = len(batch) == batch_size
    if not more:
        announcement.status = Announcement.Status.SENT
        announcement.finished_at = timezone.now()
        announcement.total = max(announcement.total, announcement.sent_count)
    announcement.save(update_fields=["sent_count", "status", "finished_at", "total", "updated_at"])
    if more:
        from accounts.tasks import announcement_send_task

        announcement_send_task.delay_on_commit(str(announcement.pk))
    return more
