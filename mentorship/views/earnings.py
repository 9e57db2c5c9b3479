"""The mentor's earnings: per month (paid sessions, refunds, net) with each paid session and
its price breakdown, and the months as CSV. Verified mentors only (others: 404); constant
queries. The figures are :mod:`mentorship.selectors.earnings`'s, as in the API."""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.http import AuthenticatedHttpRequest
from core.money import money_amount, site_currency
from mentorship.selectors.earnings import (
    mentor_earnings_by_month,
    mentor_paid_sessions,
    mentor_paid_sessions_with_sessions,
)
from mentorship.views.sessions import mentor_required

PAID_SESSIONS_PER_PAGE = 20
CSV_HEADER = ["month", "currency", "paid_sessions", "paid", "refunded", "net"]


@mentor_required
@require_GET
def earnings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The months, latest first, then the paid sessions (a page of 20) with their breakdown."""
    page = Paginator(mentor_paid_sessions(mentor=request.user), PAID_SESSIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "months": mentor_earnings_by_month(mentor=request.user),
        "page_obj": page,
        "paid_sessions": mentor_paid_sessions_with_sessions(mentor=request.user, payments=page.object_list),
        "currency": site_currency(),
        "zone": request.user.timezone or "UTC",
    }
    return render(request, "mentorship/sessions/earnings.html", context)


@mentor_required
@require_GET
def earnings_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One row per month and currency, latest first: the month (YYYY-MM, the mentor's time
    zone), the currency, how many sessions were paid, and the amounts paid, refunded and
    net in the currency's units ("49.00")."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ascend-earnings.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for month in mentor_earnings_by_month(mentor=request.user):
        writer.writerow(
            [
                month.month.strftime("%Y-%m"),
                month.currency,
                month.paid_count,
                money_amount(month.paid_cents, month.currency),
                money_amount(month.refunded_cents, month.currency),
                money_amount(month.net_cents, month.currency),
            ]
        )
    return response
