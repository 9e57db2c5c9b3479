"""learning.selectors.reports against the raw rows: enrolments, completions, revenue and
refunds per currency, worked out by hand (core.tests.reports.by_hand) and compared; the
queries do not grow with the rows."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from core.reports import ReportPeriod
from core.tests.reports import by_hand
from learning.models import Enrollment, Payment, Refund
from learning.selectors.reports import report_learning, report_payments
from learning.tests.factories import EnrollmentFactory
from learning.tests.payments import PaymentFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# 1 to 10 October 2026 in Paris: from 30 September 22:00 UTC to 10 October 22:00 UTC.
PERIOD = ReportPeriod(date(2026, 10, 1), date(2026, 10, 10), PARIS)
# Inside (the first at 00:30 on 1 October in Paris, the last at 23:30 on 10 October) and
# outside (23:30 on 30 September and 00:30 on 11 October in Paris).
TIMES = [
    datetime(2026, 9, 30, 22, 30, tzinfo=UTC),
    datetime(2026, 10, 3, 9, 0, tzinfo=UTC),
    datetime(2026, 10, 3, 18, 0, tzinfo=UTC),
    datetime(2026, 10, 10, 21, 30, tzinfo=UTC),
    datetime(2026, 9, 30, 21, 30, tzinfo=UTC),
    datetime(2026, 10, 10, 22, 30, tzinfo=UTC),
]


def metrics(result):
    return {metric.key: metric for metric in result}


def _enrolments(shift: timedelta = timedelta(0)) -> None:
    for index, when in enumerate(TIMES):
        completed = index % 2 == 0
        EnrollmentFactory(
            started_at=when + shift,
            source=Enrollment.Source.PAYMENT if index % 3 == 0 else Enrollment.Source.FREE,
            status=Enrollment.Status.COMPLETED if completed else Enrollment.Status.IN_PROGRESS,
            completed_at=TIMES[-1 - index] + shift if completed else None,
        )
    # Completed in the period but paused since: not a completion any more.
    EnrollmentFactory(started_at=TIMES[1], status=Enrollment.Status.PAUSED, completed_at=TIMES[2])


def test_enrolments_and_completions_match_the_rows(django_assert_num_queries):
    _enrolments()
    with django_assert_num_queries(2):
        result = metrics(report_learning(PERIOD))
    rows = list(Enrollment.objects.all())
    enrolments = by_hand(PERIOD, [(row.started_at, 1) for row in rows])
    paid = by_hand(PERIOD, [(row.started_at, 1) for row in rows if row.source == Enrollment.Source.PAYMENT])
    completions = by_hand(PERIOD, [(row.completed_at, 1) for row in rows if row.status == Enrollment.Status.COMPLETED])
    assert (result["enrolments"].value, result["enrolments"].series) == enrolments
    assert result["paid_enrolments"].value == paid[0]
    assert (result["completions"].value, result["completions"].series) == completions
    # Not an empty comparison: four of the six and the paused one started inside.
    assert enrolments[0] == 5
    assert completions[0] == 2


def test_enrolment_queries_do_not_grow_with_the_rows(django_assert_num_queries):
    _enrolments()
    _enrolments(timedelta(days=2))
    with django_assert_num_queries(2):
        report_learning(PERIOD)


def _paid(when: datetime, amount: int, currency: str, status: str = Payment.Status.SUCCEEDED) -> Payment:
    return PaymentFactory(
        amount_cents=amount, currency=currency, status=status, succeeded_at=when, course__price_cents=amount
    )


def _refund(payment: Payment, amount: int, when: datetime | None, status: str = Refund.Status.SUCCEEDED) -> Refund:
    return Refund.objects.create(
        payment=payment, amount_cents=amount, source=Refund.Source.STAFF, status=status, succeeded_at=when
    )


def _payments() -> None:
    for index, when in enumerate(TIMES):
        _paid(when, 1000 + 100 * index, "USD")
        euro = _paid(when + timedelta(hours=1), 2500, "EUR", Payment.Status.PARTIALLY_REFUNDED)
        _refund(euro, 500, when + timedelta(days=1))
    refunded = _paid(TIMES[1], 4900, "USD", Payment.Status.REFUNDED)
    _refund(refunded, 4900, TIMES[2])
    _refund(_paid(TIMES[1], 700, "USD"), 300, None, Refund.Status.REQUESTED)  # not given back yet
    _refund(_paid(TIMES[2], 800, "USD"), 200, None, Refund.Status.FAILED)
    _paid(None, 9900, "USD", Payment.Status.PENDING)
    _paid(None, 9900, "USD", Payment.Status.FAILED)


@override_settings(SITE_CURRENCY="CHF")
def test_revenue_and_refunds_per_currency_match_the_rows(django_assert_num_queries):
    _payments()
    with django_assert_num_queries(3):
        result = report_payments(PERIOD)
    by_key = metrics(result)
    # The site's currency first (nothing paid in it: zeros), then the others by code.
    assert [metric.key for metric in result if metric.key.startswith("revenue_")] == [
        "revenue_CHF",
        "revenue_EUR",
        "revenue_USD",
    ]
    assert by_key["revenue_CHF"].value == 0
    assert by_key["revenue_CHF"].series == (0,) * PERIOD.days
    payments = list(Payment.objects.all())
    refunds = list(Refund.objects.select_related("payment"))
    for currency in ("EUR", "USD"):
        revenue = by_hand(PERIOD, [(p.succeeded_at, p.amount_cents) for p in payments if p.currency == currency])
        given_back = by_hand(
            PERIOD,
            [
                (r.succeeded_at, r.amount_cents)
                for r in refunds
                if r.payment.currency == currency and r.status == Refund.Status.SUCCEEDED
            ],
        )
        count = by_hand(PERIOD, [(p.succeeded_at, 1) for p in payments if p.currency == currency])[0]
        refund_count = by_hand(
            PERIOD,
            [(r.succeeded_at, 1) for r in refunds if r.payment.currency == currency and r.status == "succeeded"],
        )[0]
        assert by_key[f"revenue_{currency}"].unit == currency
        assert (by_key[f"revenue_{currency}"].value, by_key[f"revenue_{currency}"].series) == revenue
        assert (by_key[f"refunds_{currency}"].value, by_key[f"refunds_{currency}"].series) == given_back
        assert by_key[f"net_{currency}"].value == revenue[0] - given_back[0]
        assert by_key[f"payments_{currency}"].value == count
        assert by_key[f"refund_count_{currency}"].value == refund_count
    payers = {p.user_id for p in payments if by_hand(PERIOD, [(p.succeeded_at, 1)])[0]}
    assert by_key["payers"].value == len(payers)
    # Not empty: four USD course payments, the refunded one and the two with refunds asked.
    assert by_key["payments_USD"].value == 7
    assert by_key["refunds_USD"].value == 4900
    assert by_key["refunds_EUR"].value == 500 * 4


def test_payment_queries_do_not_grow_with_the_rows(django_assert_num_queries):
    _payments()
    _payments()
    with django_assert_num_queries(3):
        report_payments(PERIOD)
