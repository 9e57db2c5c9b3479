"""Therapy's numbers on the staff reports (registered in ``TherapyConfig.ready``): counts of
sessions only — never a title, a note, a name or who saw whom — and every count from 1 to 2
withheld (``None``), in a day or a week as over the period, since a count that small could
point at a person (:func:`core.reports.withhold_small_series`)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.reports import (
    ReportMetric,
    ReportPeriod,
    bucket_series_one,
    period_totals,
    withhold_small,
    withhold_small_series,
)
from therapy.models import TherapySession

#: Sessions that took place (or are taking place): approved, then opened.
HELD = (TherapySession.Status.OPEN, TherapySession.Status.CLOSED)


def report_therapy(period: ReportPeriod) -> list[ReportMetric]:
    """Sessions requested in ``period`` and sessions held in it (by their scheduled time),
    per bucket, and the clients who had one. Three queries."""
    requested = bucket_series_one(
        TherapySession.objects.all(), field_name="requested_at", period=period, n=Count("pk")
    )["n"]
    held_sessions = TherapySession.objects.filter(status__in=HELD)
    held = bucket_series_one(held_sessions, field_name="scheduled_at", period=period, n=Count("pk"))["n"]
    totals = period_totals(
        TherapySession.objects.all(),
        field_name="scheduled_at",
        period=period,
        clients=Count("client", distinct=True, filter=Q(status__in=HELD)),
    )
    requested_total, requested_series = withhold_small_series(requested)
    held_total, held_series = withhold_small_series(held)
    return [
        ReportMetric("requested", _("Sessions requested"), requested_total, series=requested_series),
        ReportMetric("held", _("Sessions held"), held_total, series=held_series),
        ReportMetric("clients", _("Clients who had a session"), withhold_small(totals["clients"])),
    ]
