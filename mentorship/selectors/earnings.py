"""A mentor's earnings: what their paid sessions brought in, what was refunded, and the net,
per month in the mentor's own time zone (``learning.selectors.earnings`` counts the money:
a payment in the month it succeeded, a refund in the month Stripe confirmed it).

Payouts to mentors are not made through the site (no Stripe Connect): these figures are
what the platform collected for the mentor's sessions, the basis of the transfer staff make
(see the README). The page, the API and the CSV all read these selectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from learning.selectors.earnings import MonthMoney, item_money_by_month, item_payments_paid
from mentorship.models import MentorshipSession
from mentorship.selectors.sessions import PAYMENT_KIND

if TYPE_CHECKING:
    from accounts.models import User


def _mentor_session_ids(mentor: User) -> QuerySet[Any]:
    return MentorshipSession.objects.filter(mentor_id=mentor.pk).values("pk")


def mentor_earnings_by_month(*, mentor: User) -> list[MonthMoney]:
    """The mentor's paid sessions, refunds and net per month (their time zone), latest
    first. Two queries."""
    return item_money_by_month(
        kind=PAYMENT_KIND, item_ids=_mentor_session_ids(mentor), zone=ZoneInfo(mentor.timezone or "UTC")
    )


@dataclass(frozen=True)
class PaidSession:
    """One paid session of the mentor: its payment (amount, breakdown, refunded part) and
    the session (``None`` when it is gone)."""

    payment: Any
    session: MentorshipSession | None

    @property
    def net_cents(self) -> int:
        return int(self.payment.amount_cents) - int(self.payment.amount_refunded_cents)


def mentor_paid_sessions(*, mentor: User) -> QuerySet[Any]:
    """The payments of the mentor's sessions that succeeded (refunded ones too), latest
    first; page it and pass the page to :func:`mentor_paid_sessions_with_sessions`."""
    return item_payments_paid(kind=PAYMENT_KIND, item_ids=_mentor_session_ids(mentor))


def mentor_paid_sessions_with_sessions(*, mentor: User, payments: Any) -> list[PaidSession]:
    """``payments`` (a page of :func:`mentor_paid_sessions`) each with its session of
    ``mentor``, one query for them all."""
    payments = list(payments)
    sessions = MentorshipSession.objects.filter(
        mentor_id=mentor.pk, pk__in=[payment.item_id for payment in payments]
    ).select_related("mentee", "venue")
    by_id = {session.pk: session for session in sessions}
    return [PaidSession(payment=payment, session=by_id.get(payment.item_id)) for payment in payments]
