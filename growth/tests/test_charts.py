"""growth.charts: the habit heatmap — the year for wide screens and its last twelve weeks for
phones, from one Heatmap (no query) — and its text alternatives."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from growth.charts import CELL, LEFT, PITCH, RECENT_WEEKS, TOP, heatmap_chart
from growth.selectors.habits import Heatmap, HeatmapCell
from growth.tests.factories import HabitFactory

FIRST_MONDAY = date(2025, 12, 1)  # 53 weeks ending with the week of Sunday 6 December 2026


def _heatmap(*, daily: bool = True, done: set[date] = frozenset()) -> Heatmap:
    step, per_column = (timedelta(days=1), 7) if daily else (timedelta(weeks=1), 1)
    columns, period = [], FIRST_MONDAY
    for _week in range(53):
        column = []
        for _ in range(per_column):
            column.append(
                HeatmapCell(period=period, done=period in done, in_range=True, run_length=int(period in done))
            )
            period += step
        columns.append(column)
    last = columns[-1][-1].period
    return Heatmap(first=FIRST_MONDAY, last=last, columns=columns, done_count=len(done), period_count=53 * per_column)


def _rects(svg: str) -> list[str]:
    return re.findall(r"<rect [^>]*>", svg)


def _view_box(svg: str) -> tuple[float, float]:
    width, height = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups()
    return float(width), float(height)


def test_the_phone_shows_the_last_twelve_weeks_and_wider_screens_the_year() -> None:
    recent_day, old_day = date(2026, 12, 1), date(2026, 1, 5)
    with translation.override("en"):
        chart = heatmap_chart(_heatmap(done={recent_day, old_day}), title="Read")
    assert RECENT_WEEKS == 12
    assert len(_rects(chart.svg)) == 53 * 7
    assert len(_rects(chart.recent_svg)) == 12 * 7
    assert _view_box(chart.svg) == (LEFT + 53 * PITCH, TOP + 7 * PITCH)
    assert _view_box(chart.recent_svg) == (LEFT + 12 * PITCH, TOP + 7 * PITCH)
    # The year's image and the twelve weeks' are distinct images, each named.
    assert 'aria-labelledby="heatmap-title"' in chart.svg
    assert 'aria-labelledby="heatmap-recent-title"' in chart.recent_svg
    assert "Year heatmap of “Read”, 1 Dec 2025 to 6 Dec 2026: done 2 of 371 periods" in chart.svg
    assert "Heatmap of the last 12 weeks of “Read”, 14 Sep 2026 to 6 Dec 2026: done 1 of 84 periods" in (
        chart.recent_svg
    )
    # The twelve weeks start at the thirteenth Monday before the last: the old tick is not in them.
    assert "Tue 1 Dec 2026: done (1 in a row)" in chart.recent_svg
    assert "Mon 5 Jan 2026" not in chart.recent_svg
    assert "Mon 5 Jan 2026: done (1 in a row)" in chart.svg
    # The table by month covers the year, not just what a phone shows.
    assert [summary.month for summary in chart.months][:2] == [date(2025, 12, 1), date(2026, 1, 1)]
    assert len(chart.months) == 13


def test_month_and_weekday_labels_of_the_twelve_weeks() -> None:
    with translation.override("en"):
        chart = heatmap_chart(_heatmap(), title="Read")
    labels = re.findall(r'<text class="heatmap-label"[^>]*>([^<]+)</text>', chart.recent_svg)
    assert labels == ["Sep", "Oct", "Nov", "Mon", "Wed", "Fri"]  # a month is named where its first week starts
    assert f'width="{CELL}"' in chart.recent_svg


def test_a_weekly_habit_shows_twelve_squares_on_a_phone() -> None:
    with translation.override("en"):
        chart = heatmap_chart(_heatmap(daily=False), title="Long run")
    assert len(_rects(chart.recent_svg)) == 12
    assert len(_rects(chart.svg)) == 53
    assert _view_box(chart.recent_svg) == (LEFT + 12 * PITCH, TOP + PITCH)
    assert "heatmap-label" in chart.recent_svg
    assert ">Mon<" not in chart.recent_svg


@pytest.mark.django_db
def test_the_habit_page_has_both_heatmaps_and_the_stylesheet_that_shows_one(client) -> None:
    habit = HabitFactory(title="Sketch")
    client.force_login(habit.user)
    html = client.get(reverse("growth:habit-detail", kwargs={"pk": habit.pk})).content.decode()
    assert "css/heatmap.css" in html
    year = html.index('<div class="heatmap-year"><svg')
    recent = html.index('<div class="heatmap-recent"><svg')
    assert "Year heatmap of “Sketch”" in html[year:recent]
    assert "Heatmap of the last 12 weeks of “Sketch”" in html[recent:]
    assert (
        '<span class="heatmap-year">The last year</span><span class="heatmap-recent">The last twelve weeks</span>'
        in (html)
    )
