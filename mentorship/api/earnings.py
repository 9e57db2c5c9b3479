"""Earnings API: /api/v1/mentorship/earnings/ — the mentor's paid sessions, refunds and net
per month (their time zone), and a page of the paid sessions with each price breakdown.
Verified mentors only (anyone else: 404). The figures are
:mod:`mentorship.selectors.earnings`'s, as on the page and in its CSV."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from core.http import AuthenticatedRequest
from core.money import money_amount, site_currency
from mentorship.api.sessions import PriceLineSerializer
from mentorship.rules import is_verified_mentor
from mentorship.selectors.earnings import (
    PaidSession,
    mentor_earnings_by_month,
    mentor_paid_sessions,
    mentor_paid_sessions_with_sessions,
)


class MonthSerializer(serializers.Serializer):
    month = serializers.SerializerMethodField(help_text="YYYY-MM, in your time zone.")
    currency = serializers.CharField()
    paid_sessions = serializers.IntegerField(source="paid_count", help_text="Payments made that month.")
    paid_cents = serializers.IntegerField()
    refunded_cents = serializers.IntegerField(help_text="Refunds that went through that month.")
    net_cents = serializers.IntegerField()
    net = serializers.SerializerMethodField(help_text="The net in the currency's units, e.g. `49.00`.")

    def get_month(self, month: Any) -> str:
        return month.month.strftime("%Y-%m")

    def get_net(self, month: Any) -> str:
        return str(money_amount(month.net_cents, month.currency))


class PaidSessionSerializer(serializers.Serializer):
    session = serializers.UUIDField(source="payment.item_id")
    start_at = serializers.DateTimeField(source="session.start_at", allow_null=True)
    status = serializers.CharField(source="session.status", allow_null=True)
    paid_at = serializers.DateTimeField(source="payment.succeeded_at")
    amount_cents = serializers.IntegerField(source="payment.amount_cents")
    refunded_cents = serializers.IntegerField(source="payment.amount_refunded_cents")
    net_cents = serializers.IntegerField()
    currency = serializers.CharField(source="payment.currency")
    lines = PriceLineSerializer(source="payment.lines", many=True, help_text="The breakdown as paid.")


class EarningsSerializer(serializers.Serializer):
    currency = serializers.CharField(help_text="The site's currency (ISO 4217).")
    months = MonthSerializer(many=True, help_text="Latest month first.")
    count = serializers.IntegerField(help_text="How many paid sessions there are in all.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    paid_sessions = PaidSessionSerializer(many=True, help_text="A page of them, latest paid first.")


class EarningsPagination(PageNumberPagination):
    page_size = 20


class EarningsApi(APIView):
    """Your earnings as a mentor."""

    @extend_schema(
        operation_id="mentorship_earnings_retrieve",
        responses={200: EarningsSerializer, 404: OpenApiResponse(description="Not a verified mentor.")},
        description="What your mentees paid for your sessions, what was refunded and the net, per month "
        "(a payment in the month it was made, a refund in the month it went through; your time zone), and a "
        "page (`?page=`) of the paid sessions with their price breakdown. Verified mentors only (others: 404).",
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        if not is_verified_mentor(request.user):
            raise Http404
        paginator = EarningsPagination()
        page = paginator.paginate_queryset(mentor_paid_sessions(mentor=request.user), request, view=self) or []
        paid: list[PaidSession] = mentor_paid_sessions_with_sessions(mentor=request.user, payments=page)
        data = {
            "currency": site_currency(),
            "months": MonthSerializer(mentor_earnings_by_month(mentor=request.user), many=True).data,
            "count": paginator.page.paginator.count if paginator.page is not None else 0,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "paid_sessions": PaidSessionSerializer(paid, many=True).data,
        }
        return Response(data)
