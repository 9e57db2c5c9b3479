"""Staff reports API: GET /api/v1/accounts/reports/?start=…&end=… — the numbers of the
reports page (every section of :data:`core.registry.report_sections`) for managers and
admins; anyone else signed in gets a 404, as on the page."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.forms import ReportPeriodForm
from accounts.rules import is_staff_member
from accounts.selectors.reports import report_sections_compute
from core.api.schema import ErrorSerializer, ValidationErrorSerializer
from core.reports import COUNT, DEFAULT_DAYS, EARLIEST, LATEST, MAX_DAYS, SMALL_COUNT, ReportPeriod


class IsStaffMemberOr404(permissions.BasePermission):
    """Managers and admins; other signed-in users are told the resource does not exist."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user.is_authenticated:
            return False
        if not hasattr(view, (request.method or "").lower()):
            return True  # a method the view does not answer: the documented 405, not a 404
        if not is_staff_member(request.user):
            raise exceptions.NotFound()
        return True


class ReportMetricSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Stable within its section, e.g. enrolments or revenue_USD.")
    label = serializers.CharField(help_text="The metric in words, in the request's language.")  # type: ignore[assignment]
    unit = serializers.CharField(
        help_text=f"`{COUNT}` for a count, else the ISO 4217 code of a currency: the values are then in its minor unit "
        "(cents)."
    )
    value = serializers.IntegerField(
        allow_null=True, help_text=f"Over the whole period; null when withheld (from 1 to {SMALL_COUNT - 1})."
    )
    series = serializers.ListField(
        child=serializers.IntegerField(allow_null=True),
        help_text="Per bucket (as `buckets`); empty when the metric is not charted; null where withheld.",
    )


class ReportSectionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="members, learning, payments, sessions, events, growth, therapy…")
    title = serializers.CharField()
    note = serializers.CharField(help_text="What the section counts or leaves out; may be empty.")
    metrics = ReportMetricSerializer(many=True)


class ReportSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="The period's first day (included).")
    end = serializers.DateField(help_text="The period's last day (included).")
    timezone = serializers.CharField(help_text="The time zone the days are read in: the user's.")
    grain = serializers.ChoiceField(
        choices=["day", "week"], help_text="Buckets are days, or weeks (Monday to Sunday) over long periods."
    )
    buckets = serializers.ListField(
        child=serializers.DateField(), help_text="The first day of each bucket (a week's Monday may precede `start`)."
    )
    sections = ReportSectionSerializer(many=True)


def _report(period: ReportPeriod) -> dict[str, Any]:
    return {
        "start": period.first,
        "end": period.last,
        "timezone": str(period.tz),
        "grain": period.grain,
        "buckets": period.buckets,
        "sections": [
            {
                "key": section.key,
                "title": str(section.title),
                "note": str(section.note),
                "metrics": [
                    {
                        "key": metric.key,
                        "label": str(metric.label),
                        "unit": metric.unit,
                        "value": metric.value,
                        "series": list(metric.series),
                    }
                    for metric in section.metrics
                ],
            }
            for section in report_sections_compute(period)
        ],
    }


class ReportsApi(APIView):
    permission_classes = [IsStaffMemberOr404]

    @extend_schema(
        summary="Staff reports over a period",
        description=(
            "The numbers of the staff reports page: members, learning, revenue and refunds, mentorship sessions, "
            f"events, habits and therapy (counts only). Without dates: the last {DEFAULT_DAYS} days. A period that "
            f"ends before it starts, is longer than {MAX_DAYS} days or reaches outside {EARLIEST.isoformat()} – "
            f"{LATEST.isoformat()} is a 400 with the reason. Managers and admins only (404 for everyone else)."
        ),
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="The first day, YYYY-MM-DD (with `end`)."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="The last day, YYYY-MM-DD (with `start`)."),
        ],
        responses={
            200: ReportSerializer,
            400: OpenApiResponse(ValidationErrorSerializer, description="The period is not valid; the errors say why."),
            404: OpenApiResponse(ErrorSerializer, description="Not a manager or an admin."),
        },
    )
    def get(self, request: Request) -> Response:
        form = ReportPeriodForm.for_query(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(
                {
                    "non_field_errors" if field == "__all__" else field: [str(error) for error in errors]
                    for field, errors in form.errors.items()
                }
            )
        return Response(ReportSerializer(_report(form.cleaned_data["period"])).data)
