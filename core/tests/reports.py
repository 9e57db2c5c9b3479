"""A test helper for the report selectors: the numbers worked out by hand from raw rows,
with Python's dates rather than the database's, to compare with what a selector answers."""

from collections.abc import Iterable
from datetime import date, datetime

from core.reports import ReportPeriod


def by_hand(period: ReportPeriod, items: Iterable[tuple[date | datetime | None, int]]) -> tuple[int, tuple[int, ...]]:
    """The total and per-bucket sums of ``(when, amount)`` pairs whose ``when`` (a date, or
    a date-time read in the period's time zone) falls in ``period``; ``None`` never does."""
    buckets = period.buckets
    series = [0] * len(buckets)
    for when, amount in items:
        if when is None:
            continue
        day = when.astimezone(period.tz).date() if isinstance(when, datetime) else when
        if period.first <= day <= period.last:
            index = max(i for i, bucket in enumerate(buckets) if bucket <= day)
            series[index] += amount
    return sum(series), tuple(series)
