"""Payments API: /api/v1/learning/payments/ (+ checkout of a course).

Your own payments of every kind (courses, sessions, event seats), with the price breakdown
and refunds; another user's is a 404. Sessions and seats are paid through their own
endpoints in the mentorship API, which answer the Checkout URL. Stripe's webhook is not part of this API
(it lives at /learn/payments/webhook/ and answers Stripe only)."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from core.http import AuthenticatedRequest
from core.money import money_display
from learning.api.enrollments import UUID_PATTERN, EnrollmentCourseSerializer
from learning.models import Payment, Refund
from learning.selectors.catalog import course_queryset_visible
from learning.selectors.payments import (
    PaymentFilter,
    payment_get_for_user,
    payment_item_url,
    payment_kind_label,
    payment_list_for_user,
)
from learning.services.payments import checkout_start
from learning.views.payments import checkout_return_urls

# The price breakdown's lines, as the schema names them (the serializer only reads JSON).
PAYMENT_LINE_SCHEMA = inline_serializer(
    name="PaymentLine",
    fields={
        "label": serializers.CharField(help_text="What the line is: a base price, a rate, a discount."),
        "amount_cents": serializers.IntegerField(help_text="In the currency's smallest unit; negative for a discount."),
    },
    many=True,
)


class PaymentRefundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Refund
        fields = ["id", "amount_cents", "source", "status", "created_at", "succeeded_at"]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    course = EnrollmentCourseSerializer(read_only=True, allow_null=True, help_text="The course, for a course only.")
    kind_label = serializers.SerializerMethodField(help_text='What was bought, in words ("Course").')
    item_url = serializers.SerializerMethodField(help_text="The buyer's page of the item, when it has one.")
    lines = serializers.SerializerMethodField(help_text="The price breakdown; the amounts add up to amount_cents.")
    amount_display = serializers.SerializerMethodField(help_text='The amount in words, e.g. "$49.00".')
    refunds = PaymentRefundSerializer(many=True, read_only=True, help_text="Refunds of this payment, newest first.")
    succeeded_at = serializers.DateTimeField(read_only=True, allow_null=True)
    refunded_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "kind",
            "kind_label",
            "item_id",
            "item_url",
            "description",
            "course",
            "lines",
            "amount_cents",
            "amount_refunded_cents",
            "currency",
            "amount_display",
            "status",
            "failure_reason",
            "created_at",
            "succeeded_at",
            "refunded_at",
            "refunds",
        ]
        read_only_fields = fields

    def get_kind_label(self, payment: Payment) -> str:
        return payment_kind_label(payment)

    def get_item_url(self, payment: Payment) -> str | None:
        url = payment_item_url(payment)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if url and request is not None else url

    @extend_schema_field(PAYMENT_LINE_SCHEMA)
    def get_lines(self, payment: Payment) -> list[dict]:
        return [line for line in payment.lines if isinstance(line, dict)]

    def get_amount_display(self, payment: Payment) -> str:
        return money_display(payment.amount_cents, payment.currency)


class CheckoutInputSerializer(serializers.Serializer):
    course = serializers.UUIDField(help_text="The paid course to buy.")


class CheckoutSerializer(serializers.Serializer):
    payment = serializers.UUIDField(help_text="The new payment (pending until Stripe confirms it).")
    checkout_url = serializers.URLField(help_text="Stripe Checkout's page: send the learner there to pay.")


class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your payments of every kind, newest first, with their breakdown and refunds. What was
    bought is handed over when Stripe confirms the payment (webhook)."""

    request: AuthenticatedRequest

    serializer_class = PaymentSerializer
    lookup_value_regex = UUID_PATTERN
    filterset_class = PaymentFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["created_at", "amount_cents"]

    def get_queryset(self) -> QuerySet[Payment]:
        if getattr(self, "swagger_fake_view", False):
            return Payment.objects.none()
        return payment_list_for_user(user=self.request.user)

    def get_object(self) -> Payment:
        payment = payment_get_for_user(user=self.request.user, payment_id=self.kwargs["pk"])
        if payment is None:
            raise Http404
        return payment

    @extend_schema(
        request=CheckoutInputSerializer,
        responses={201: CheckoutSerializer, 404: OpenApiResponse(description="No such course.")},
        description="Start buying a paid course: a pending payment and a Stripe Checkout Session. 409 when payments "
        "are not configured on this site, the course is free (enrol instead) or you are already enrolled.",
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def checkout(self, request: AuthenticatedRequest) -> Response:
        data = CheckoutInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = get_object_or_404(course_queryset_visible(user=request.user), pk=data.validated_data["course"])
        success_url, cancel_url = checkout_return_urls(request, course)
        started = checkout_start(user=request.user, course=course, success_url=success_url, cancel_url=cancel_url)
        return Response(
            CheckoutSerializer({"payment": started.payment.pk, "checkout_url": started.checkout_url}).data,
            status=status.HTTP_201_CREATED,
        )
