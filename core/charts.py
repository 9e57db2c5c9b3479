"""Server-rendered SVG charts (no JavaScript, no inline styles), one module for every app.

The caller lays a chart out with :class:`Scale` and describes it with the dataclasses below
(rules for axes and grid lines, text labels, a line, dots, squares); :func:`chart_svg` writes
the markup, escaping every text. A chart is an image with a text alternative: ``role="img"``,
its ``<title>`` and ``<desc>``, and ``aria-labelledby`` naming them (after any caption outside
the SVG that names it too); marks may carry a ``<title>`` of their own (a tooltip). Pages add
the same data as a table. CSS classes carry the look (``static/css/app.css``). No query.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Scale:
    """Maps values from ``low`` to ``high`` linearly onto pixels from ``start`` to ``end``
    (``end`` may be the smaller: a y axis grows upwards), rounded to a tenth of a pixel. An
    empty range of values (``low == high``) maps every value to ``start``."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return round(self.start, 1)
        return round(self.start + (self.end - self.start) * (value - self.low) / (self.high - self.low), 1)


@dataclass(frozen=True)
class Rule:
    """A straight line: an axis or a grid line."""

    x1: float
    y1: float
    x2: float
    y2: float
    css: str


@dataclass(frozen=True)
class Label:
    """A text in the chart: a tick's value, a month's or a weekday's name."""

    x: float
    y: float
    text: str
    css: str
    anchor: Literal["start", "middle", "end"] | None = None  # text-anchor
    baseline: Literal["middle"] | None = None  # dominant-baseline


@dataclass(frozen=True)
class Line:
    """A line through ``points`` (x, y), left to right; nothing is drawn without points."""

    points: Sequence[tuple[float, float]]
    css: str


@dataclass(frozen=True)
class Dot:
    """A datum drawn as a circle; ``title`` is its tooltip."""

    x: float
    y: float
    radius: float
    css: str
    title: str = ""


@dataclass(frozen=True)
class Square:
    """A datum drawn as a square with rounded corners (a heatmap cell); ``x`` and ``y`` are
    its top left corner, ``title`` its tooltip."""

    x: float
    y: float
    size: float
    css: str
    title: str = ""
    corner: float = 2


@dataclass(frozen=True)
class Chart:
    """One SVG image of ``width`` × ``height`` user units (it scales to its box). ``title``
    names it (and ``desc`` adds to it); ``id`` prefixes their element ids
    (``<id>-title``, ``<id>-desc``), so it must be unique on the page; ``labelled_by`` are
    ids of elements outside the SVG (a figcaption) read before them. Drawn in this order:
    rules, labels, lines, squares, dots."""

    width: float
    height: float
    id: str
    title: str = ""
    desc: str = ""
    labelled_by: Sequence[str] = ()
    css: str = ""
    rules: Sequence[Rule] = ()
    labels: Sequence[Label] = ()
    lines: Sequence[Line] = ()
    squares: Sequence[Square] = ()
    dots: Sequence[Dot] = ()


def _tooltip(title: str) -> SafeString:
    return format_html("<title>{}</title>", title) if title else SafeString("")


def _label(label: Label) -> SafeString:
    return format_html(
        '<text class="{}" x="{}" y="{}"{}{}>{}</text>',
        label.css,
        label.x,
        label.y,
        format_html(' text-anchor="{}"', label.anchor) if label.anchor else "",
        format_html(' dominant-baseline="{}"', label.baseline) if label.baseline else "",
        label.text,
    )


def chart_svg(chart: Chart) -> SafeString:
    """The ``<svg>`` element of ``chart``: every text and attribute escaped, safe to put in
    a page as it is."""
    names = [*chart.labelled_by]
    if chart.title:
        names.append(f"{chart.id}-title")
    if chart.desc:
        names.append(f"{chart.id}-desc")
    parts: list[SafeString] = [
        format_html(
            '<svg{} viewBox="0 0 {} {}" role="img"{} focusable="false">',
            format_html(' class="{}"', chart.css) if chart.css else "",
            chart.width,
            chart.height,
            format_html(' aria-labelledby="{}"', " ".join(names)) if names else "",
        )
    ]
    if chart.title:
        parts.append(format_html('<title id="{}-title">{}</title>', chart.id, chart.title))
    if chart.desc:
        parts.append(format_html('<desc id="{}-desc">{}</desc>', chart.id, chart.desc))
    parts += [
        format_html(
            '<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}"></line>', rule.css, rule.x1, rule.y1, rule.x2, rule.y2
        )
        for rule in chart.rules
    ]
    parts += [_label(label) for label in chart.labels]
    parts += [
        format_html(
            '<polyline class="{}" points="{}"></polyline>', line.css, " ".join(f"{x},{y}" for x, y in line.points)
        )
        for line in chart.lines
        if line.points
    ]
    parts += [
        format_html(
            '<rect class="{}" x="{}" y="{}" width="{}" height="{}" rx="{}">{}</rect>',
            square.css,
            square.x,
            square.y,
            square.size,
            square.size,
            square.corner,
            _tooltip(square.title),
        )
        for square in chart.squares
    ]
    parts += [
        format_html(
            '<circle class="{}" cx="{}" cy="{}" r="{}">{}</circle>',
            dot.css,
            dot.x,
            dot.y,
            dot.radius,
            _tooltip(dot.title),
        )
        for dot in chart.dots
    ]
    parts.append(SafeString("</svg>"))
    return format_html_join("", "{}", ((part,) for part in parts))
