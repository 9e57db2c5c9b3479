"""Growth's numbers on the staff reports (registered in ``GrowthConfig.ready``): habits kept
up — a habit is *active* in a period when it was done in at least one of its periods."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.reports import ReportMetric, ReportPeriod, bucket_series_one, period_totals
from growth.models import Habit, HabitCompletion


def report_growth(period: ReportPeriod) -> list[ReportMetric]:
    """Active habits (done at least once in ``period``; per bucket, done at least once in
    it — a weekly habit's period is its Monday), the people keeping them, the check-ins and
    the habits started in ``period``. Three queries."""
    per_bucket = bucket_series_one(
        HabitCompletion.objects.all(),
        field_name="period",
        period=period,
        habits=Count("habit", distinct=True),
        check_ins=Count("pk"),
    )
    totals = period_totals(
        HabitCompletion.objects.all(),
        field_name="period",
        period=period,
        habits=Count("habit", distinct=True),
        people=Count("user", distinct=True),
    )
    started = period_totals(Habit.objects.all(), field_name="created_at", period=period, n=Count("pk"))["n"]
    return [
        ReportMetric(
            "active_habits",
            _("Active habits"),
            totals["habits"],
            series=per_bucket["habits"],
            help=_("Habits done at least once in the period (in the chart: in the day or week)."),
        ),
        ReportMetric("people", _("People keeping a habit"), totals["people"]),
        ReportMetric("check_ins", _("Check-ins"), sum(per_bucket["check_ins"]), series=per_bucket["check_ins"]),
        ReportMetric("habits_started", _("Habits started"), started),
    ]
