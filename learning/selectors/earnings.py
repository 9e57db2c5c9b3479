"""What the items of a registered purchase kind earned, for the people who sell them (a
mentor's sessions): payments and refunds per month, and the paid items one by one.

A payment counts in the month it succeeded (whatever happened to it later); a refund in the
month Stripe confirmed it (``Refund.succeeded_at``), so a session paid in March and
refunded in April is +price in March and −price in April. Months are calendar months in
the time zone the caller gives. Amounts stay per currency (the site has one; rows of
another never add up with it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any
from uuid import UUID

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth

from learning.models import Payment, Refund


@dataclass(frozen=True)
class MonthMoney:
    """One month of one currency: how many payments succeeded and for how much, how much
    was refunded, and what is left."""

    month: date
    currency: str
    paid_count: int
    paid_cents: int
    refunded_cents: int

    @property
    def net_cents(self) -> int:
        return self.paid_cents - self.refunded_cents


def item_money_by_month(*, kind: str, item_ids: Iterable[UUID] | QuerySet[Any], zone: tzinfo) -> list[MonthMoney]:
    """Payments and refunds of the ``kind`` items ``item_ids`` (ids, or a ``values("pk")``
    queryset, kept as a subquery) per month in ``zone``, latest month first. Two aggregate
    queries whatever the number of items."""
    ids = item_ids if isinstance(item_ids, QuerySet) else list(item_ids)
    paid = (
        Payment.objects.filter(kind=kind, item_id__in=ids, succeeded_at__isnull=False)
        .annotate(month=TruncMonth("succeeded_at", tzinfo=zone))
        .values("month", "currency")
        .annotate(count=Count("pk"), total=Sum("amount_cents"))
        .order_by()
    )
    refunded = (
        Refund.objects.filter(
            payment__kind=kind,
            payment__item_id__in=ids,
            status=Refund.Status.SUCCEEDED,
            succeeded_at__isnull=False,
        )
        .annotate(month=TruncMonth("succeeded_at", tzinfo=zone))
        .values("month", "payment__currency")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    )
    months: dict[tuple[date, str], list[int]] = {}
    for paid_row in paid:
        key = (_as_date(paid_row["month"]), paid_row["currency"])
        months.setdefault(key, [0, 0, 0])[:2] = [paid_row["count"], paid_row["total"] or 0]
    for refund_row in refunded:
        key = (_as_date(refund_row["month"]), refund_row["payment__currency"])
        months.setdefault(key, [0, 0, 0])[2] = refund_row["total"] or 0
    return [
        MonthMoney(month=month, currency=currency, paid_count=count, paid_cents=paid_cents, refunded_cents=refund)
        for (month, currency), (count, paid_cents, refund) in sorted(months.items(), reverse=True)
    ]


def _as_date(value: Any) -> date:
    return value.date() if hasattr(value, "date") else value


def item_payments_paid(*, kind: str, item_ids: Iterable[UUID] | QuerySet[Any]) -> QuerySet[Payment]:
    """The payments of the ``kind`` items ``item_ids`` that succeeded (also those refunded
    since), latest first: what each item was paid, with its breakdown (``lines``) and what
    was refunded of it (``amount_refunded_cents``). One query (a page of it)."""
    ids = item_ids if isinstance(item_ids, QuerySet) else list(item_ids)
    return Payment.objects.filter(kind=kind, item_id__in=ids, succeeded_at__isnull=False).order_by(
        "-succeeded_at", "-id"
    )
