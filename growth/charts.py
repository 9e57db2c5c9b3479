"""Server-rendered pictures of habits (no JavaScript, no inline styles): the year heatmap as
SVG coordinates with intensity classes ``heat-0`` … ``heat-4`` and a per-month text
alternative, and the streak flame level. The mood chart of reflections lives with its page
(growth.views.reflections)."""

from dataclasses import dataclass
from datetime import date

from growth.selectors.habits import Heatmap

CELL = 11
PITCH = 14  # a cell and its gap
LEFT = 30  # room for the weekday labels
TOP = 16  # room for the month labels
#: Run lengths from which a done period shows the next intensity (1, 2–6, 7–29, 30+).
HEAT_THRESHOLDS = (1, 2, 7, 30)
#: Streaks from which the flame grows (a spark, 3+, 7+, 30+, 100+).
FLAME_THRESHOLDS = (1, 3, 7, 30, 100)
WEEKDAY_ROWS = ((0, "Mon"), (2, "Wed"), (4, "Fri"))


def heat_level(*, done: bool, run_length: int) -> int:
    """0 for a missed period, else 1–4 by the streak it reached."""
    if not done:
        return 0
    return sum(run_length >= threshold for threshold in HEAT_THRESHOLDS)


def flame_level(streak: int) -> int:
    """0 (no streak) to 5 (100 or more in a row): the size class of a streak's flame."""
    return sum(streak >= threshold for threshold in FLAME_THRESHOLDS)


@dataclass(frozen=True)
class HeatmapSquare:
    period: date
    x: int
    y: int
    css: str  # heat-0 … heat-4, or heat-none outside the habit's life
    done: bool
    in_range: bool
    run_length: int


@dataclass(frozen=True)
class MonthSummary:
    month: date  # its first day
    done: int
    periods: int


@dataclass(frozen=True)
class HeatmapChart:
    """What templates/growth/habits/_heatmap.html draws."""

    width: int
    height: int
    cell: int
    squares: list[HeatmapSquare]
    month_labels: list[tuple[int, date]]  # x and the month
    weekday_labels: list[tuple[int, str]]  # y and the day's short name
    months: list[MonthSummary]
    done_count: int
    period_count: int
    first: date
    last: date


def heatmap_chart(heatmap: Heatmap) -> HeatmapChart:
    """Lay ``heatmap`` out as SVG squares: a column per ISO week, a row per weekday (one row
    for weekly habits); a month label above the first column of each month; and the done
    and counted periods of each month for the text alternative. No query."""
    daily = len(heatmap.columns[0]) > 1 if heatmap.columns else True
    squares: list[HeatmapSquare] = []
    month_labels: list[tuple[int, date]] = []
    months: dict[date, list[int]] = {}
    for index, column in enumerate(heatmap.columns):
        x = LEFT + index * PITCH
        first_of_month = column[0].period.replace(day=1)
        if not month_labels or month_labels[-1][1] != first_of_month:
            month_labels.append((x, first_of_month))
        for row, cell in enumerate(column):
            level = heat_level(done=cell.done, run_length=cell.run_length)
            squares.append(
                HeatmapSquare(
                    period=cell.period,
                    x=x,
                    y=TOP + row * PITCH,
                    css=f"heat-{level}" if cell.in_range else "heat-none",
                    done=cell.done,
                    in_range=cell.in_range,
                    run_length=cell.run_length,
                )
            )
            if cell.in_range:
                counts = months.setdefault(cell.period.replace(day=1), [0, 0])
                counts[0] += cell.done
                counts[1] += 1
    # A label squeezed into the first column of the year would overlap the next one.
    if len(month_labels) > 1 and month_labels[1][0] - month_labels[0][0] < 3 * PITCH:
        month_labels.pop(0)
    rows = 7 if daily else 1
    return HeatmapChart(
        width=LEFT + len(heatmap.columns) * PITCH,
        height=TOP + rows * PITCH,
        cell=CELL,
        squares=squares,
        month_labels=month_labels,
        weekday_labels=[(TOP + row * PITCH + CELL - 1, name) for row, name in WEEKDAY_ROWS] if daily else [],
        months=[MonthSummary(month=month, done=done, periods=periods) for month, (done, periods) in months.items()],
        done_count=heatmap.done_count,
        period_count=heatmap.period_count,
        first=heatmap.first,
        last=heatmap.last,
    )
