"""Learning's numbers on the staff reports (sections registered in ``LearningConfig.ready``):
enrolments and completions, and the money taken — revenue and refunds per currency."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from core.money import site_currency
from core.reports import ReportMetric, ReportPeriod, bucket_series, bucket_series_one, period_totals
from learning.models import Enrollment, Payment, Refund


def report_learning(period: ReportPeriod) -> list[ReportMetric]:
    """Enrolments started in ``period`` (and how many of them were paid for) and courses
    completed in it, per bucket. Two queries."""
    started = bucket_series_one(
        Enrollment.objects.all(),
        field_name="started_at",
        period=period,
        enrolments=Count("pk"),
        paid=Count("pk", filter=Q(source=Enrollment.Source.PAYMENT)),
    )
    completed = bucket_series_one(
        Enrollment.objects.filter(status=Enrollment.Status.COMPLETED),
        field_name="completed_at",
        period=period,
        completions=Count("pk"),
    )["completions"]
    return [
        ReportMetric("enrolments", _("Enrolments"), sum(started["enrolments"]), series=started["enrolments"]),
        ReportMetric("paid_enrolments", _("of them paid for"), sum(started["paid"])),
        ReportMetric("completions", _("Courses completed"), sum(completed), series=completed),
    ]


def report_payments(period: ReportPeriod) -> list[ReportMetric]:
    """Per currency (the site's first, then in alphabetical order; the site's alone when
    nothing was paid): revenue — the amounts of payments that succeeded in ``period``,
    whatever happened to them later — and refunds that succeeded in it, per bucket, their
    net, and how many payments and refunds; and how many people paid. Three queries."""
    revenue = bucket_series(
        Payment.objects.filter(succeeded_at__isnull=False),
        field_name="succeeded_at",
        period=period,
        by="currency",
        amount=Sum("amount_cents"),
        count=Count("pk"),
    )
    refunds = bucket_series(
        Refund.objects.filter(status=Refund.Status.SUCCEEDED),
        field_name="succeeded_at",
        period=period,
        by="payment__currency",
        amount=Sum("amount_cents"),
        count=Count("pk"),
    )
    site = site_currency()
    currencies = sorted({site, *revenue, *refunds}, key=lambda code: (code != site, code))
    zeros = (0,) * len(period.buckets)
    metrics: list[ReportMetric] = []
    for code in currencies:
        paid = revenue.get(code, {"amount": zeros, "count": zeros})
        refunded = refunds.get(code, {"amount": zeros, "count": zeros})
        paid_total, refunded_total = sum(paid["amount"]), sum(refunded["amount"])
        metrics += [
            ReportMetric(f"revenue_{code}", _("Revenue"), paid_total, unit=code, series=paid["amount"]),
            ReportMetric(f"refunds_{code}", _("Refunds"), refunded_total, unit=code, series=refunded["amount"]),
            ReportMetric(f"net_{code}", _("Net (revenue less refunds)"), paid_total - refunded_total, unit=code),
            ReportMetric(f"payments_{code}", _("Payments in %(currency)s") % {"currency": code}, sum(paid["count"])),
            ReportMetric(
                f"refund_count_{code}", _("Refunds in %(currency)s") % {"currency": code}, sum(refunded["count"])
            ),
        ]
    payers = period_totals(
        Payment.objects.filter(succeeded_at__isnull=False),
        field_name="succeeded_at",
        period=period,
        payers=Count("user", distinct=True),
    )["payers"]
    return [*metrics, ReportMetric("payers", _("People who paid"), payers)]
