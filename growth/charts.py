"""Growth's server-rendered pictures, drawn with ``core.charts``: the year heatmap of a habit
(squares whose class ``heat-0`` … ``heat-4`` is the intensity, the last twelve weeks of it
for phones, and a per-month text alternative), the mood chart of reflections (a line of
scores, its full form and the dashboard's sparkline) and the streak flame level."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.charts import Chart, Dot, Label, Line, Rule, Scale, Square, chart_svg
from growth.selectors.habits import Heatmap, HeatmapCell
from growth.selectors.reflections import MoodDay, mood_series

if TYPE_CHECKING:
    from accounts.models import User

CELL = 11
PITCH = 14  # a cell and its gap
LEFT = 30  # room for the weekday labels
TOP = 16  # room for the month labels
#: Run lengths from which a done period shows the next intensity (1, 2–6, 7–29, 30+).
HEAT_THRESHOLDS = (1, 2, 7, 30)
#: Streaks from which the flame grows (a spark, 3+, 7+, 30+, 100+).
FLAME_THRESHOLDS = (1, 3, 7, 30, 100)
WEEKDAY_ROWS = (0, 2, 4)  # the rows labelled: Monday, Wednesday, Friday
#: How many weeks a phone shows (the year's 53 columns would be squares of 5 px there).
RECENT_WEEKS = 12


def heat_level(*, done: bool, run_length: int) -> int:
    """0 for a missed period, else 1–4 by the streak it reached."""
    if not done:
        return 0
    return sum(run_length >= threshold for threshold in HEAT_THRESHOLDS)


def flame_level(streak: int) -> int:
    """0 (no streak) to 5 (100 or more in a row): the size class of a streak's flame."""
    return sum(streak >= threshold for threshold in FLAME_THRESHOLDS)


@dataclass(frozen=True)
class MonthSummary:
    month: date  # its first day
    done: int
    periods: int


@dataclass(frozen=True)
class HeatmapChart:
    """What templates/growth/habits/_heatmap.html shows: the year's SVG (wide screens), the
    last :data:`RECENT_WEEKS` weeks' (phones: fewer squares, each large enough to see and
    tap; static/css/heatmap.css shows one of the two), and the year by month."""

    svg: SafeString
    recent_svg: SafeString
    months: list[MonthSummary]


def _square_title(cell: HeatmapCell) -> str:
    if not cell.in_range:
        status = _("outside the habit's life")
    elif cell.done:
        status = ngettext("done (%(count)s in a row)", "done (%(count)s in a row)", cell.run_length) % {
            "count": cell.run_length
        }
    else:
        status = _("not done")
    return f"{date_format(cell.period, 'DAY_DATE_FORMAT')}: {status}"


def _heatmap_svg(columns: list[list[HeatmapCell]], *, chart_id: str, title: str) -> SafeString:
    """``columns`` (ISO weeks, oldest first) as SVG squares: a column per week, a row per
    weekday (one row for weekly habits), a month label above the first column of each
    month."""
    daily = len(columns[0]) > 1 if columns else True
    squares: list[Square] = []
    month_labels: list[tuple[int, date]] = []
    for index, column in enumerate(columns):
        x = LEFT + index * PITCH
        first_of_month = column[0].period.replace(day=1)
        if not month_labels or month_labels[-1][1] != first_of_month:
            month_labels.append((x, first_of_month))
        for row, cell in enumerate(column):
            level = heat_level(done=cell.done, run_length=cell.run_length)
            css = f"heat-{level}" if cell.in_range else "heat-none"
            squares.append(Square(x=x, y=TOP + row * PITCH, size=CELL, css=f"heat {css}", title=_square_title(cell)))
    # A label squeezed into the first column would overlap the next one.
    if len(month_labels) > 1 and month_labels[1][0] - month_labels[0][0] < 3 * PITCH:
        month_labels.pop(0)
    labels = [
        Label(x=x, y=11, text=date_format(month, "MONTH_FORMAT"), css="heatmap-label") for x, month in month_labels
    ]
    if daily:
        labels += [
            Label(x=0, y=TOP + row * PITCH + CELL - 1, text=str(WEEKDAYS_ABBR[row]), css="heatmap-label")
            for row in WEEKDAY_ROWS
        ]
    chart = Chart(
        width=LEFT + len(columns) * PITCH,
        height=TOP + (7 if daily else 1) * PITCH,
        id=chart_id,
        title=title,
        labels=labels,
        squares=squares,
    )
    return chart_svg(chart)


def heatmap_chart(heatmap: Heatmap, *, title: str) -> HeatmapChart:
    """Lay ``heatmap`` of the habit called ``title`` out twice — the whole year and its last
    :data:`RECENT_WEEKS` weeks — and count the done and counted periods of each month for
    the text alternative. No query."""
    months: dict[date, list[int]] = {}
    for column in heatmap.columns:
        for cell in column:
            if cell.in_range:
                counts = months.setdefault(cell.period.replace(day=1), [0, 0])
                counts[0] += cell.done
                counts[1] += 1
    recent = heatmap.columns[-RECENT_WEEKS:]
    recent_cells = [cell for column in recent for cell in column]
    year_title = _("Year heatmap of “%(title)s”, %(first)s to %(last)s: done %(done)s of %(total)s periods") % {
        "title": title,
        "first": date_format(heatmap.first, "DATE_FORMAT"),
        "last": date_format(heatmap.last, "DATE_FORMAT"),
        "done": heatmap.done_count,
        "total": heatmap.period_count,
    }
    recent_title = ngettext(
        "Heatmap of the last %(weeks)s week of “%(title)s”, %(first)s to %(last)s: done %(done)s of %(total)s periods",
        "Heatmap of the last %(weeks)s weeks of “%(title)s”, %(first)s to %(last)s: done %(done)s of %(total)s periods",
        len(recent),
    ) % {
        "weeks": len(recent),
        "title": title,
        "first": date_format(recent[0][0].period if recent else heatmap.first, "DATE_FORMAT"),
        "last": date_format(heatmap.last, "DATE_FORMAT"),
        "done": sum(cell.done for cell in recent_cells),
        "total": sum(cell.in_range for cell in recent_cells),
    }
    return HeatmapChart(
        svg=_heatmap_svg(heatmap.columns, chart_id="heatmap", title=year_title),
        recent_svg=_heatmap_svg(recent, chart_id="heatmap-recent", title=recent_title),
        months=[MonthSummary(month=month, done=done, periods=periods) for month, (done, periods) in months.items()],
    )


# --- The mood chart ------------------------------------------------------------------------

MOOD_CHART_WIDTH = 600
MOOD_CHART_HEIGHT = 160
MOOD_CHART_PAD = 24


@dataclass(frozen=True)
class MoodChart:
    """A server-rendered line chart of mood scores (score 1 at the bottom, 10 at the top;
    days without a reflection leave a gap in the dots), and the same data as a table."""

    days: int
    series: list[MoodDay]
    dots: list[tuple[float, float, MoodDay]]

    @property
    def recorded(self) -> list[MoodDay]:
        return [day for day in self.series if day.score is not None]

    @property
    def average(self) -> float | None:
        scores = [day.score for day in self.recorded if day.score is not None]
        return round(sum(scores) / len(scores), 1) if scores else None

    def _line(self) -> list[Line]:
        return [Line(points=[(x, y) for x, y, _day in self.dots], css="mood-chart-line")]

    @property
    def svg(self) -> SafeString:
        """The chart of the reflections page: axis, top grid line, scale labels, line, dots."""
        count = len(self.recorded)
        title = ngettext(
            "Mood score over the last %(days)s days: %(count)s day recorded",
            "Mood score over the last %(days)s days: %(count)s days recorded",
            count,
        ) % {"days": self.days, "count": count}
        if self.average:
            title += ", " + _("average %(average)s of 10") % {"average": self.average}
        left, right = MOOD_CHART_PAD, MOOD_CHART_WIDTH - MOOD_CHART_PAD
        top, bottom = MOOD_CHART_PAD, MOOD_CHART_HEIGHT - MOOD_CHART_PAD
        chart = Chart(
            width=MOOD_CHART_WIDTH,
            height=MOOD_CHART_HEIGHT,
            id=f"mood-chart-{self.days}",
            title=title,
            rules=[
                Rule(x1=left, y1=bottom, x2=right, y2=bottom, css="mood-chart-axis"),
                Rule(x1=left, y1=top, x2=right, y2=top, css="mood-chart-grid"),
            ],
            labels=[
                Label(x=2, y=top + 4, text="10", css="mood-chart-label"),
                Label(x=8, y=bottom + 4, text="1", css="mood-chart-label"),
            ],
            lines=self._line(),
            dots=[Dot(x=x, y=y, radius=3, css="mood-chart-dot") for x, y, _day in self.dots],
        )
        return chart_svg(chart)

    @property
    def sparkline_svg(self) -> SafeString:
        """The dashboard's sparkline: the line and its dots only."""
        count = len(self.recorded)
        chart = Chart(
            width=MOOD_CHART_WIDTH,
            height=MOOD_CHART_HEIGHT,
            id="mood-sparkline",
            title=ngettext(
                "Mood over the last %(days)s days: %(count)s day recorded, average %(average)s of 10",
                "Mood over the last %(days)s days: %(count)s days recorded, average %(average)s of 10",
                count,
            )
            % {"days": self.days, "count": count, "average": self.average},
            css="mood-sparkline",
            lines=self._line(),
            dots=[Dot(x=x, y=y, radius=4, css="mood-chart-dot") for x, y, _day in self.dots],
        )
        return chart_svg(chart)


def mood_chart(*, user: User, today: date, days: int) -> MoodChart:
    """The mood of the ``days`` days ending today. One query."""
    series = mood_series(user=user, end=today, days=days)
    x_of = Scale(low=0, high=max(days - 1, 1), start=MOOD_CHART_PAD, end=MOOD_CHART_WIDTH - MOOD_CHART_PAD)
    y_of = Scale(low=1, high=10, start=MOOD_CHART_HEIGHT - MOOD_CHART_PAD, end=MOOD_CHART_PAD)
    dots = [(x_of(index), y_of(day.score), day) for index, day in enumerate(series) if day.score is not None]
    return MoodChart(days=days, series=series, dots=dots)
