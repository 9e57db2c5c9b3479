"""Therapy's server-rendered pictures, drawn with ``core.charts``: the feelings chart of the
journal (intensity over time, one marker per entry coloured by its tone)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from core.charts import Chart, Dot, Label, Line, Rule, Scale, chart_svg
from therapy.models import Feeling, JournalEntry
from therapy.selectors.journal import journal_chart_entries, journal_feeling_is_distressing

CHART_WIDTH = 720
CHART_HEIGHT = 260
CHART_PAD_LEFT = 44
CHART_PAD_RIGHT = 16
CHART_PAD_TOP = 16
CHART_PAD_BOTTOM = 40

_PLEASANT = {Feeling.HAPPY, Feeling.CALM, Feeling.GRATEFUL, Feeling.HOPEFUL, Feeling.PROUD}


@dataclass(frozen=True)
class ChartPoint:
    entry: JournalEntry
    tone: str  # "pleasant", "distressing" or "other": a CSS class, and said in the table


@dataclass(frozen=True)
class FeelingsChart:
    """A server-rendered SVG line chart of intensity over time, one marker per entry, with
    everything a screen reader needs in :attr:`points` (rendered as a table too). The SVG
    is named by the template's figcaption ``#chart-caption``."""

    start: datetime
    end: datetime
    points: list[ChartPoint]
    svg: SafeString
    truncated: bool = False


def _tone(feeling: str) -> str:
    if feeling in _PLEASANT:
        return "pleasant"
    return "distressing" if journal_feeling_is_distressing(feeling) else "other"


def _moment(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def journal_chart(
    *, entries: QuerySet[JournalEntry], start: datetime | None = None, end: datetime | None = None
) -> FeelingsChart:
    """The chart of ``entries`` (already filtered to what the reader may see) between
    ``start`` and ``end`` (default: the last 30 days up to now), oldest left; see
    ``therapy.selectors.journal.journal_chart_entries``. One query."""
    shown = journal_chart_entries(entries=entries, start=start, end=end)
    start, end = shown.start, shown.end
    left, right = CHART_PAD_LEFT, CHART_WIDTH - CHART_PAD_RIGHT
    top, bottom = CHART_PAD_TOP, CHART_HEIGHT - CHART_PAD_BOTTOM
    x_of = Scale(low=start.timestamp(), high=end.timestamp(), start=left, end=right)
    y_of = Scale(low=1, high=10, start=bottom, end=top)
    points = [ChartPoint(entry=entry, tone=_tone(entry.feeling)) for entry in shown.entries]
    marks = [(x_of(point.entry.time_of_emotion.timestamp()), y_of(point.entry.intensity), point) for point in points]
    ticks = [start + (end - start) * step / 4 for step in range(5)]
    chart = Chart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        id="chart",
        labelled_by=["chart-caption"],
        desc=ngettext(
            "%(counter)s entry; the table below lists it.",
            "%(counter)s entries; the table below lists them.",
            len(points),
        )
        % {"counter": len(points)},
        rules=[
            *(Rule(x1=left, y1=y_of(value), x2=right, y2=y_of(value), css="chart-grid") for value in (1, 4, 7, 10)),
            Rule(x1=left, y1=bottom, x2=right, y2=bottom, css="chart-axis"),
        ],
        labels=[
            *(
                Label(x=left - 8, y=y_of(value), text=str(value), css="chart-label", anchor="end", baseline="middle")
                for value in (1, 4, 7, 10)
            ),
            *(
                Label(
                    x=x_of(tick.timestamp()),
                    y=bottom + 20,
                    text=formats.date_format(timezone.localtime(tick), "SHORT_DATE_FORMAT"),
                    css="chart-label",
                    anchor="middle",
                )
                for tick in ticks
            ),
        ],
        lines=[Line(points=[(x, y) for x, y, _point in marks], css="chart-line")],
        dots=[
            Dot(
                x=x,
                y=y,
                radius=5,
                css=f"chart-point chart-{point.tone}",
                title=f"{_moment(point.entry.time_of_emotion)}: {point.entry.feeling}, {point.entry.intensity}/10",
            )
            for x, y, point in marks
        ],
    )
    return FeelingsChart(start=start, end=end, points=points, svg=chart_svg(chart), truncated=shown.truncated)
