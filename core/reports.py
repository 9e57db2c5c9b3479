"""The staff reports' building blocks, shared by the apps that report their numbers.

Each app registers a :class:`~core.registry.ReportSection` in
:data:`core.registry.report_sections` from its ``AppConfig.ready()``; its ``compute`` is a
selector of the app (``<app>/selectors/reports.py``) that answers, for a
:class:`ReportPeriod`, a list of :class:`ReportMetric` — a total over the period and, for
the charts, the same number per bucket (a day, or a week for long periods).

The helpers here count and sum any queryset by bucket in one query (:func:`bucket_series`)
or over the whole period (:func:`period_totals`), hide counts small enough to point at a
person (:func:`withhold_small`), and draw a section's chart with :mod:`core.charts`
(:func:`report_chart`). No app is imported.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import Trunc
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString
from django.utils.timezone import make_aware
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from core.charts import Chart, Dot, Label, Line, Rule, Scale, chart_svg
from core.money import money_display

#: The unit of a metric that counts things; any other unit is an ISO 4217 currency code and
#: the values are in its minor unit (cents).
COUNT = "count"
#: Longest period charted per day; longer ones are charted per week (Monday to Sunday).
DAILY_MAX_DAYS = 92
#: Longest period a report covers (about three years).
MAX_DAYS = 3 * 366
#: The days a report may cover (the site's records start later; the bounds keep every day
#: and its midnight, in any time zone, far from the calendar's ends).
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
#: Counts from 1 to SMALL_COUNT - 1 are withheld where they could point at a person
#: (therapy): the same threshold as lesson time shown to instructors.
SMALL_COUNT = 3


def _is_datetime(model: type[models.Model], path: str) -> bool:
    """Whether ``path`` (``field`` or ``relation__field``) of ``model`` is a date-time field."""
    *relations, name = path.split("__")
    for relation in relations:
        related = model._meta.get_field(relation).related_model
        if not isinstance(related, type):
            raise ValueError(f"{path!r} does not follow relations of {model.__name__}.")
        model = related
    return isinstance(model._meta.get_field(name), models.DateTimeField)


@dataclass(frozen=True)
class ReportPeriod:
    """The days from ``first`` to ``last`` (both included) in the time zone ``tz``.

    Charted per ``grain``: per day up to :data:`DAILY_MAX_DAYS` days, else per ISO week —
    the first and last weeks may be partial (a bucket never reaches outside the period)."""

    first: date
    last: date
    tz: tzinfo

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("A report period ends on or after its first day.")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def grain(self) -> Literal["day", "week"]:
        return "day" if self.days <= DAILY_MAX_DAYS else "week"

    @property
    def starts_at(self) -> datetime:
        return make_aware(datetime.combine(self.first, time.min), self.tz)

    @property
    def ends_at(self) -> datetime:
        """The midnight after ``last`` (excluded)."""
        return make_aware(datetime.combine(self.last + timedelta(days=1), time.min), self.tz)

    @property
    def buckets(self) -> list[date]:
        """The first day of each bucket's calendar span: each day, or the Monday of each week."""
        if self.grain == "day":
            return [self.first + timedelta(days=n) for n in range(self.days)]
        monday = self.first - timedelta(days=self.first.weekday())
        return [monday + timedelta(weeks=n) for n in range((self.last - monday).days // 7 + 1)]

    def bucket_span(self, bucket: date) -> tuple[date, date]:
        """The days of ``bucket`` inside the period, first and last."""
        if self.grain == "day":
            return bucket, bucket
        return max(bucket, self.first), min(bucket + timedelta(days=6), self.last)

    def within(self, field_name: str, model: type[models.Model]) -> Q:
        """Rows whose ``field_name`` (a date or a date-time field of ``model``, or of a related
        model: ``event__start_at``) falls in the period."""
        if _is_datetime(model, field_name):
            return Q(**{f"{field_name}__gte": self.starts_at, f"{field_name}__lt": self.ends_at})
        return Q(**{f"{field_name}__gte": self.first, f"{field_name}__lte": self.last})


#: The period a report covers when none is chosen: the last 30 days, today included.
DEFAULT_DAYS = 30


def report_period_default(tz: tzinfo | None = None) -> ReportPeriod:
    """The last :data:`DEFAULT_DAYS` days, today (in ``tz``, default the current zone) included."""
    zone = tz or timezone.get_current_timezone()
    today = timezone.localdate(timezone=zone)
    return ReportPeriod(today - timedelta(days=DEFAULT_DAYS - 1), today, zone)


def report_period(first: date, last: date, tz: tzinfo | None = None) -> ReportPeriod:
    """The period from ``first`` to ``last`` in ``tz`` (default the current zone); raises
    ``ValidationError`` with a message for people when it ends before it starts, is longer
    than :data:`MAX_DAYS` days or reaches outside :data:`EARLIEST` – :data:`LATEST`. The
    page, its CSV and the API all check here."""
    if first < EARLIEST or last > LATEST:
        raise ValidationError(
            _("Pick days from %(earliest)s to %(latest)s.")
            % {"earliest": date_format(EARLIEST, "DATE_FORMAT"), "latest": date_format(LATEST, "DATE_FORMAT")}
        )
    if last < first:
        raise ValidationError(_("The period ends before it starts: pick a “to” date on or after the “from” date."))
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationError(_("A report covers at most %(days)s days; pick a shorter period.") % {"days": MAX_DAYS})
    return ReportPeriod(first, last, tz or timezone.get_current_timezone())


@dataclass(frozen=True)
class ReportMetric:
    """One number of a section: ``value`` over the whole period and ``series`` per bucket
    of the period (empty: not charted). ``unit`` is :data:`COUNT` or a currency code (the
    values are then in cents). ``None`` is a withheld count (:func:`withhold_small`)."""

    key: str
    label: StrOrPromise
    value: int | None
    unit: str = COUNT
    series: tuple[int | None, ...] = ()
    help: StrOrPromise = ""


@dataclass(frozen=True)
class SectionReport:
    """A registered section's numbers for one period."""

    key: str
    title: StrOrPromise
    metrics: list[ReportMetric]
    note: StrOrPromise = ""

    @property
    def charts(self) -> list[tuple[str, list[ReportMetric]]]:
        """The charted metrics grouped by unit (one chart per unit), in order of appearance."""
        groups: dict[str, list[ReportMetric]] = {}
        for metric in self.metrics:
            if metric.series:
                groups.setdefault(metric.unit, []).append(metric)
        return list(groups.items())


def withhold_small(count: int) -> int | None:
    """``count``, or ``None`` when it is from 1 to :data:`SMALL_COUNT` - 1."""
    return None if 0 < count < SMALL_COUNT else count


def withhold_small_series(series: Sequence[int]) -> tuple[int | None, tuple[int | None, ...]]:
    """The total of ``series`` and its values, each withheld as by :func:`withhold_small`.
    When a single value is withheld, the smallest other value above 0 is withheld too:
    otherwise the total less the values shown would give it away."""
    shown: list[int | None] = [withhold_small(value) for value in series]
    if shown.count(None) == 1:
        others = [(value, index) for index, value in enumerate(shown) if value]
        if others:
            shown[min(others)[1]] = None
    return withhold_small(sum(series)), tuple(shown)


def value_text(value: int | None, unit: str) -> str:
    """A metric's value as people read it: a number ("1,204"), an amount of money in
    ``unit`` ("$49.00") or, withheld, "fewer than 3"."""
    if value is None:
        return _("fewer than %(count)s") % {"count": SMALL_COUNT}
    if unit == COUNT:
        return number_format(value, force_grouping=True)
    return money_display(value, unit)


def _bucket_expression(queryset: QuerySet[Any], field_name: str, period: ReportPeriod) -> Trunc:
    return Trunc(
        field_name,
        period.grain,
        output_field=models.DateField(),
        tzinfo=period.tz if _is_datetime(queryset.model, field_name) else None,
    )


def bucket_series(
    queryset: QuerySet[Any],
    *,
    field_name: str,
    period: ReportPeriod,
    by: str | None = None,
    **aggregates: models.Aggregate,
) -> dict[Any, dict[str, tuple[int, ...]]]:
    """Each aggregate of the rows of ``queryset`` whose ``field_name`` falls in ``period``,
    per bucket of the period (0 where no row): ``{group: {name: (value, …)}}``, the groups
    being the values of ``by`` (e.g. the currency) or the single group ``None``. One query."""
    buckets = period.buckets
    index = {bucket: position for position, bucket in enumerate(buckets)}
    group_fields = ["bucket", by] if by else ["bucket"]
    rows = (
        queryset.filter(period.within(field_name, queryset.model))
        .annotate(bucket=_bucket_expression(queryset, field_name, period))
        .order_by()
        .values(*group_fields)
        .annotate(**aggregates)
    )
    values: dict[Any, dict[str, list[int]]] = {}
    for row in rows:
        group = values.setdefault(row[by] if by else None, {name: [0] * len(buckets) for name in aggregates})
        for name in aggregates:
            group[name][index[row["bucket"]]] = row[name] or 0
    return {group: {name: tuple(series) for name, series in named.items()} for group, named in values.items()}


def bucket_series_one(
    queryset: QuerySet[Any], *, field_name: str, period: ReportPeriod, **aggregates: models.Aggregate
) -> dict[str, tuple[int, ...]]:
    """:func:`bucket_series` without groups: ``{name: (value, …)}`` (zeros when no row)."""
    series = bucket_series(queryset, field_name=field_name, period=period, by=None, **aggregates).get(None)
    return series or {name: (0,) * len(period.buckets) for name in aggregates}


def period_totals(
    queryset: QuerySet[Any], *, field_name: str, period: ReportPeriod, **aggregates: models.Aggregate
) -> dict[str, int]:
    """Each aggregate over the rows of ``queryset`` whose ``field_name`` falls in ``period``
    (for what per-bucket values do not add up to, such as distinct people). One query."""
    totals = queryset.filter(period.within(field_name, queryset.model)).aggregate(**aggregates)
    return {name: totals[name] or 0 for name in aggregates}


# --- Charts ---------------------------------------------------------------------------------

CHART_WIDTH = 640
CHART_HEIGHT = 200
LEFT = 84  # room for the values (larger on phones: static/css/reports.css)
RIGHT = 28  # room for half the last date
TOP = 12
BOTTOM = 28  # room for the dates
#: Lines beyond this many share the last colour (sections chart a few numbers each).
LINE_STYLES = 4
X_LABELS = 6


def _nice_top(value: int) -> int:
    """The smallest of 2, 4, 6, 10 × 10ⁿ at or above ``value``: the axis' top, whose half
    (the middle grid line) is a whole number too."""
    scale = 1
    while True:
        for step in (2, 4, 6, 10):
            if scale * step >= value:
                return scale * step
        scale *= 10


def line_style(position: int) -> str:
    """The CSS class of the ``position``-th line of a chart (static/css/reports.css)."""
    return f"report-line-{min(position, LINE_STYLES - 1)}"


def report_chart(
    metrics: Sequence[ReportMetric],
    period: ReportPeriod,
    *,
    chart_id: str,
    title: str,
) -> SafeString:
    """A line per metric over the period's buckets (all in the same unit, that of the
    first; its values written by :func:`value_text`): a gap where a
    value is withheld, a dot with a tooltip ("label, date: value") per value shown, the
    values' axis from 0 with three grid lines, a few dates below. No query."""
    buckets = period.buckets
    unit = metrics[0].unit if metrics else COUNT
    shown = [value for metric in metrics for value in metric.series if value is not None]
    top_value = _nice_top(max(shown, default=0))
    x = Scale(0, max(len(buckets) - 1, 1), LEFT, CHART_WIDTH - RIGHT)
    y = Scale(0, top_value, CHART_HEIGHT - BOTTOM, TOP)
    rules = [Rule(LEFT, y(0), CHART_WIDTH - RIGHT, y(0), "report-axis")]
    labels = []
    for fraction in (0, 0.5, 1):
        tick = int(top_value * fraction)
        if fraction:
            rules.append(Rule(LEFT, y(tick), CHART_WIDTH - RIGHT, y(tick), "report-grid"))
        labels.append(Label(LEFT - 6, y(tick), value_text(tick, unit), "report-label", anchor="end", baseline="middle"))
    step = max(1, -(-len(buckets) // X_LABELS))
    date_key = "SHORT_DATE_FORMAT" if period.days > 366 else "MONTH_DAY_FORMAT"
    labels += [
        Label(x(position), CHART_HEIGHT - 8, date_format(bucket, date_key), "report-label", anchor="middle")
        for position, bucket in enumerate(buckets)
        if position % step == 0
    ]
    lines: list[Line] = []
    dots: list[Dot] = []
    for position, metric in enumerate(metrics):
        css = line_style(position)
        run: list[tuple[float, float]] = []
        for index, value in enumerate(metric.series):
            if value is None:
                lines.append(Line(run, f"report-line {css}"))
                run = []
                continue
            point = (x(index), y(value))
            run.append(point)
            first, last = period.bucket_span(buckets[index])
            when = date_format(first, "DATE_FORMAT")
            if last != first:
                when += " – " + date_format(last, "DATE_FORMAT")
            dots.append(Dot(*point, 2.5, f"report-dot {css}", f"{metric.label}, {when}: {value_text(value, unit)}"))
        lines.append(Line(run, f"report-line {css}"))
    chart = Chart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        id=chart_id,
        title=title,
        css="report-chart",
        rules=rules,
        labels=labels,
        lines=lines,
        dots=dots,
    )
    return chart_svg(chart)
