"""Reports pages for managers and admins: the community's numbers now, and every app's
numbers over a chosen period (the sections of :data:`core.registry.report_sections`) with a
chart per unit and a table of the same data, and the same numbers as CSV."""

import csv
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.forms import ReportPeriodForm
from accounts.rules import is_staff_member
from accounts.selectors.reports import report_sections_compute, report_users_summary
from core.http import AuthenticatedHttpRequest
from core.money import money_amount
from core.reports import (
    COUNT,
    SMALL_COUNT,
    ReportMetric,
    ReportPeriod,
    SectionReport,
    line_style,
    report_chart,
    value_text,
)


@dataclass(frozen=True)
class MetricView:
    label: str
    text: str
    help: str


@dataclass(frozen=True)
class FigureView:
    """One chart of a section (its metrics of one unit) and the same data as a table."""

    id: str
    caption: str
    svg: SafeString
    legend: list[tuple[str, str]]  # (css class, label)
    rows: list[tuple[str, list[str]]]  # (the bucket's days, the values)


@dataclass(frozen=True)
class SectionView:
    key: str
    title: str
    note: str
    metrics: list[MetricView]
    figures: list[FigureView]


def _bucket_text(period: ReportPeriod, index: int) -> str:
    first, last = period.bucket_span(period.buckets[index])
    if first == last:
        return date_format(first, "DATE_FORMAT")
    return f"{date_format(first, 'DATE_FORMAT')} – {date_format(last, 'DATE_FORMAT')}"


def _figure(section: SectionReport, period: ReportPeriod, unit: str, metrics: list[ReportMetric]) -> FigureView:
    per = _("per day") if period.grain == "day" else _("per week")
    caption = f"{section.title}, {per}" if unit == COUNT else f"{section.title} ({unit}), {per}"
    chart_id = f"report-{section.key}-{unit.lower()}"
    return FigureView(
        id=chart_id,
        caption=caption,
        svg=report_chart(metrics, period, chart_id=f"{chart_id}-chart", title=caption),
        legend=[(line_style(position), str(metric.label)) for position, metric in enumerate(metrics)],
        rows=[
            (_bucket_text(period, index), [value_text(metric.series[index], unit) for metric in metrics])
            for index in range(len(period.buckets))
        ],
    )


def _section_view(section: SectionReport, period: ReportPeriod) -> SectionView:
    return SectionView(
        key=section.key,
        title=str(section.title),
        note=str(section.note),
        metrics=[
            MetricView(str(metric.label), value_text(metric.value, metric.unit), str(metric.help))
            for metric in section.metrics
        ],
        figures=[_figure(section, period, unit, metrics) for unit, metrics in section.charts],
    )


def _staff_only(request: AuthenticatedHttpRequest) -> None:
    if not is_staff_member(request.user):
        raise Http404


@login_required
@require_GET
def reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Community numbers and, for the chosen period (default: the last 30 days), every
    app's; a period that does not make sense is explained and nothing is computed. Anyone
    but a manager or an admin gets a 404."""
    _staff_only(request)
    form = ReportPeriodForm.for_query(request.GET)
    context: dict[str, object] = {"form": form}
    if form.is_valid():
        period: ReportPeriod = form.cleaned_data["period"]
        context |= {
            "users": report_users_summary(),
            "period": period,
            "sections": [_section_view(section, period) for section in report_sections_compute(period)],
        }
    return render(request, "accounts/reports.html", context)


def _csv_value(value: int | None, unit: str) -> str:
    if value is None:
        return f"<{SMALL_COUNT}"
    return str(value) if unit == COUNT else str(money_amount(value, unit))


@login_required
@require_GET
def reports_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The period's numbers as CSV, one row per section, metric and span: the whole period,
    then each day or week of the charted metrics. Money in the currency's units ("49.00",
    ``unit`` its code), counts withheld for privacy as "<3". A bad period: 400 with why."""
    _staff_only(request)
    form = ReportPeriodForm.for_query(request.GET)
    if not form.is_valid():
        errors = [str(error) for errors in form.errors.values() for error in errors]
        return HttpResponse("\n".join(errors), status=400, content_type="text/plain; charset=utf-8")
    period: ReportPeriod = form.cleaned_data["period"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="ascend-report-{period.first.isoformat()}-{period.last.isoformat()}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["section", "metric", "label", "unit", "from", "to", "value"])
    for section in report_sections_compute(period):
        for metric in section.metrics:
            row = [section.key, metric.key, str(metric.label), metric.unit]
            writer.writerow(
                [*row, period.first.isoformat(), period.last.isoformat(), _csv_value(metric.value, metric.unit)]
            )
            for bucket, value in zip(period.buckets, metric.series, strict=bool(metric.series)):
                first, last = period.bucket_span(bucket)
                writer.writerow([*row, first.isoformat(), last.isoformat(), _csv_value(value, metric.unit)])
    return response
