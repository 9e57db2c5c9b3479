"""Requests nobody answered: a session still PENDING when its time comes was never
confirmed by the mentor. It lapses — cancelled by nobody, with the reason — and a paid one
is refunded in full (rule ``mentor_unconfirmed``), so no mentee's money waits on a mentor
who did not answer. Run every five minutes by ``session_requests_lapse_task``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.notifications import notification_send
from learning.services.payments import payment_refund_by_rule
from mentorship.models import MentorshipSession
from mentorship.notifications import MentorshipNotification
from mentorship.selectors.sessions import PAYMENT_KIND
from mentorship.services.sessions import session_url

if TYPE_CHECKING:
    from accounts.models import User

REFUND_MENTOR_UNCONFIRMED = "mentor_unconfirmed"
# At most this many lapse in one run; the next run takes the rest.
BATCH = 200


def session_requests_lapse(*, now: datetime | None = None) -> int:
    """Cancel every pending request whose start has come, each in its own transaction under
    a row lock (a mentor confirming at the same moment either wins before the start or
    finds the request lapsed); refund a paid one once; tell both people. Returns how many
    lapsed; a second run finds nothing more."""
    now = now or timezone.now()
    due = list(
        MentorshipSession.objects.filter(status=MentorshipSession.Status.PENDING, start_at__lte=now)
        .order_by("start_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    return sum(_lapse(session_id, now=now) for session_id in due)


@transaction.atomic
def _lapse(session_id: UUID, *, now: datetime) -> bool:
    session = (
        MentorshipSession.objects.select_for_update(of=("self",))
        .select_related("mentor", "mentee")
        .filter(pk=session_id, status=MentorshipSession.Status.PENDING, start_at__lte=now)
        .first()
    )
    if session is None:
        return False
    reason = _("The mentor did not confirm the request before its start.")
    MentorshipSession.objects.filter(pk=session.pk).update(
        status=MentorshipSession.Status.CANCELLED,
        cancelled_at=now,
        cancelled_by=None,
        cancel_reason=reason,
        sequence=F("sequence") + 1,
        updated_at=now,
    )
    refund = payment_refund_by_rule(
        kind=PAYMENT_KIND, item_id=session.pk, rule=REFUND_MENTOR_UNCONFIRMED, reason=reason
    )
    when = timezone.localtime(session.start_at).date().isoformat()
    mentee_message = _("Your payment is refunded in full.") if refund is not None else _("You can book another time.")
    for recipient, message in ((session.mentee, mentee_message), (session.mentor, "")):
        _notify_lapsed(
            session,
            recipient=recipient,
            title=_("The session request for %(when)s lapsed") % {"when": when},
            message=f"{reason} {message}".strip(),
        )
    return True


def _notify_lapsed(session: MentorshipSession, *, recipient: User, title: str, message: str) -> None:
    transaction.on_commit(
        lambda: notification_send(
            user=recipient,
            type=MentorshipNotification.SESSION_CANCELLED,
            title=title,
            message=message,
            related=session,
            action_url=session_url(session),
        )
    )
