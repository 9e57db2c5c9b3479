"""Reminders sent at most once per user, kind and local date (DESIGN.md §2 growth,
reminders): one claim-then-notify step shared by the habit and the weekly reflection
reminders."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from accounts.services.notifications import notification_send
from growth.models import ReminderSent

if TYPE_CHECKING:
    from accounts.models import User


def reminder_claim_and_notify(*, user: User, kind: str, local_date: date, **notification: Any) -> bool:
    """Claim the ``kind`` reminder of ``user`` for ``local_date`` by inserting its
    ``ReminderSent`` row (unique: insert first) and, only when this call inserted it, send
    the notification (``notification_send`` keyword arguments) in the same transaction — two
    runs, even simultaneous, send it once. Returns whether it was sent."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user=user, kind=kind, local_date=local_date)
            notification_send(user=user, **notification)
    except IntegrityError:
        if ReminderSent.objects.filter(user=user, kind=kind, local_date=local_date).exists():
            return False
        raise
    return True
