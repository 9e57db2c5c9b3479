"""core.reports: periods and their buckets, the checks on a chosen period, withheld small
counts, bucketing rows by day or week in a time zone, the values as text and the chart."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.formats import date_format

from core.models import OutboxMessage
from core.reports import (
    COUNT,
    DAILY_MAX_DAYS,
    MAX_DAYS,
    ReportMetric,
    ReportPeriod,
    bucket_series,
    bucket_series_one,
    period_totals,
    report_chart,
    report_period,
    report_period_default,
    value_text,
    withhold_small,
    withhold_small_series,
)

PARIS = ZoneInfo("Europe/Paris")


def test_a_short_period_is_charted_per_day() -> None:
    period = ReportPeriod(date(2026, 11, 1), date(2026, 11, 3), UTC)
    assert period.grain == "day"
    assert period.days == 3
    assert period.buckets == [date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)]
    assert period.bucket_span(date(2026, 11, 2)) == (date(2026, 11, 2), date(2026, 11, 2))


def test_a_long_period_is_charted_per_week_and_its_first_and_last_weeks_stay_inside_it() -> None:
    # Wednesday 1 October 2025 to Friday 2 January 2026: 94 days.
    period = ReportPeriod(date(2025, 10, 1), date(2026, 1, 2), UTC)
    assert period.days == DAILY_MAX_DAYS + 2
    assert period.grain == "week"
    buckets = period.buckets
    assert buckets[0] == date(2025, 9, 29)  # the Monday of the first week
    assert buckets[-1] == date(2025, 12, 29)
    assert all(bucket.weekday() == 0 for bucket in buckets)
    assert len(buckets) == 14
    assert period.bucket_span(buckets[0]) == (date(2025, 10, 1), date(2025, 10, 5))
    assert period.bucket_span(buckets[-1]) == (date(2025, 12, 29), date(2026, 1, 2))
    assert period.bucket_span(buckets[1]) == (date(2025, 10, 6), date(2025, 10, 12))


def test_a_period_starts_and_ends_at_midnight_in_its_time_zone() -> None:
    period = ReportPeriod(date(2026, 7, 1), date(2026, 7, 2), PARIS)
    assert period.starts_at == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)
    assert period.ends_at == datetime(2026, 7, 2, 22, 0, tzinfo=UTC)


def test_a_chosen_period_must_end_after_it_starts_last_three_years_at_most_and_stay_in_range() -> None:
    with pytest.raises(ValidationError, match="ends before it starts"):
        report_period(date(2026, 11, 2), date(2026, 11, 1))
    with pytest.raises(ValidationError, match=f"at most {MAX_DAYS} days"):
        report_period(date(2023, 1, 1), date(2023, 1, 1) + timedelta(days=MAX_DAYS))
    assert report_period(date(2023, 1, 1), date(2023, 1, 1) + timedelta(days=MAX_DAYS - 1)).days == MAX_DAYS
    for first, last in ((date(1, 1, 1), date(1, 1, 2)), (date(9999, 12, 30), date(9999, 12, 31))):
        with pytest.raises(ValidationError, match="Pick days from"):
            report_period(first, last)
    one_day = report_period(date(2026, 11, 2), date(2026, 11, 2), PARIS)
    assert (one_day.first, one_day.last, one_day.tz) == (date(2026, 11, 2), date(2026, 11, 2), PARIS)
    with pytest.raises(ValueError, match="ends on or after"):
        ReportPeriod(date(2026, 11, 2), date(2026, 11, 1), UTC)


def test_the_default_period_is_the_last_thirty_days_in_the_current_time_zone() -> None:
    with timezone.override(PARIS):
        period = report_period_default()
        today = timezone.localdate()
    assert (period.last, period.days, period.tz) == (today, 30, PARIS)


def test_counts_of_one_or_two_are_withheld() -> None:
    assert [withhold_small(n) for n in (0, 1, 2, 3, 40)] == [0, None, None, 3, 40]
    assert withhold_small_series([0, 4, 5]) == (9, (0, 4, 5))
    assert withhold_small_series([1, 1, 0]) == (None, (None, None, 0))


def test_a_lone_withheld_count_takes_the_smallest_other_with_it_so_the_total_does_not_give_it_away() -> None:
    total, series = withhold_small_series([5, 2, 0, 3, 8])
    assert total == 18
    assert series == (5, None, 0, None, 8)
    # Alone in the period, it is withheld with the total.
    assert withhold_small_series([0, 2, 0]) == (None, (0, None, 0))


def _messages(*times: datetime, task: str = "a") -> None:
    for when in times:
        OutboxMessage.objects.create(task_name=task, created_at=when)


@pytest.mark.django_db
def test_rows_are_counted_per_day_of_the_period_in_its_time_zone(django_assert_num_queries) -> None:
    # 23:30 UTC on 1 July is already 2 July in Paris; 22:30 UTC on 3 July is 4 July, outside.
    _messages(
        datetime(2026, 7, 1, 12, 0, tzinfo=UTC),
        datetime(2026, 7, 1, 23, 30, tzinfo=UTC),
        datetime(2026, 7, 3, 22, 30, tzinfo=UTC),
        datetime(2026, 6, 30, 21, 0, tzinfo=UTC),
    )
    _messages(datetime(2026, 7, 2, 8, 0, tzinfo=UTC), task="b")
    period = ReportPeriod(date(2026, 7, 1), date(2026, 7, 3), PARIS)
    messages = OutboxMessage.objects.all()
    with django_assert_num_queries(1):
        series = bucket_series_one(messages, field_name="created_at", period=period, n=Count("pk"))
    assert series == {"n": (1, 2, 0)}
    with django_assert_num_queries(1):
        grouped = bucket_series(messages, field_name="created_at", period=period, by="task_name", n=Count("pk"))
    assert grouped == {"a": {"n": (1, 1, 0)}, "b": {"n": (0, 1, 0)}}
    assert period_totals(messages, field_name="created_at", period=period, n=Count("pk")) == {"n": 3}
    empty = ReportPeriod(date(2020, 1, 1), date(2020, 1, 2), PARIS)
    assert bucket_series_one(messages, field_name="created_at", period=empty, n=Count("pk")) == {"n": (0, 0)}
    assert bucket_series(messages, field_name="created_at", period=empty, n=Count("pk")) == {}


@pytest.mark.django_db
def test_rows_are_counted_per_week_over_a_long_period() -> None:
    _messages(
        *(
            datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
            for day in (date(2025, 10, 1), date(2025, 10, 5), date(2025, 10, 6), date(2026, 1, 2), date(2026, 1, 3))
        )
    )
    period = ReportPeriod(date(2025, 10, 1), date(2026, 1, 2), UTC)
    series = bucket_series_one(OutboxMessage.objects.all(), field_name="created_at", period=period, n=Count("pk"))["n"]
    assert series[:2] == (2, 1)
    assert series[-1] == 1
    assert sum(series) == 4


def test_values_read_as_numbers_money_or_withheld() -> None:
    with translation.override("en"):
        assert value_text(1204, COUNT) == "1,204"
        assert value_text(4900, "USD") == "$49.00"
        assert value_text(None, COUNT) == "fewer than 3"


def test_the_chart_draws_a_line_per_metric_with_a_gap_where_a_value_is_withheld() -> None:
    period = ReportPeriod(date(2026, 11, 1), date(2026, 11, 4), UTC)
    metrics = [
        ReportMetric("held", "Held <b>", 7, series=(2, None, 4, 1)),
        ReportMetric("asked", "Asked", 3, series=(0, 1, 1, 1)),
    ]
    with translation.override("en"):
        svg = report_chart(metrics, period, chart_id="c", title="Sessions & more")
        day = date_format(date(2026, 11, 3), "DATE_FORMAT")
    assert 'role="img"' in svg
    assert 'aria-labelledby="c-title"' in svg
    assert "Sessions &amp; more" in svg
    assert svg.count('class="report-line report-line-0"') == 2  # split by the withheld day
    assert svg.count('class="report-line report-line-1"') == 1
    assert svg.count("report-dot report-line-0") == 3
    assert f"Held &lt;b&gt;, {day}: 4" in svg
    assert "<b>" not in svg


def test_a_money_chart_writes_its_axis_in_the_currency() -> None:
    period = ReportPeriod(date(2026, 11, 1), date(2026, 11, 2), UTC)
    with translation.override("en"):
        svg = report_chart([ReportMetric("r", "Revenue", 5000, "EUR", (1000, 4000))], period, chart_id="m", title="R")
    # The axis: 0, its middle and its top, 2, 4, 6 or 10 × 10ⁿ at or above the highest value.
    labels = [label for label in ("€0.00", "€20.00", "€40.00", "€50.00") if f">{label}</text>" in svg]
    assert labels == ["€0.00", "€20.00", "€40.00"]


def test_a_count_chart_has_whole_numbers_on_its_axis() -> None:
    period = ReportPeriod(date(2026, 11, 1), date(2026, 11, 2), UTC)
    svg = report_chart([ReportMetric("n", "N", 5, series=(0, 5))], period, chart_id="n", title="N")
    assert [tick for tick in ("0", "3", "6") if f">{tick}</text>" in svg] == ["0", "3", "6"]
    empty = report_chart([ReportMetric("n", "N", 0, series=(0, 0))], period, chart_id="e", title="N")
    assert [tick for tick in ("0", "1", "2") if f">{tick}</text>" in empty] == ["0", "1", "2"]
