"""Payments API: /api/v1/learning/payments/ (+ checkout).

Your own payments only; another user's is a 404. Stripe's webhook is not part of this API
(it lives at /learn/payments/webhook/ and answers Stripe only)."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from core.http import AuthenticatedRequest
from learning.api.enrollments import UUID_PATTERN, EnrollmentCourseSerializer
from learning.models import Payment
from learning.selectors.catalog import course_queryset_visible
from learning.selectors.payments import PaymentFilter, payment_get_for_user, payment_list_for_user
from learning.services.payments import checkout_start
from learning.views.payments import checkout_return_urls


class PaymentSerializer(serializers.ModelSerializer):
    course = EnrollmentCourseSerializer(read_only=True)
    succeeded_at = serializers.DateTimeField(read_only=True, allow_null=True)
    refunded_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "course",
            "amount_cents",
            "currency",
            "status",
            "failure_reason",
            "created_at",
            "succeeded_at",
            "refunded_at",
        ]
        read_only_fields = fields


class CheckoutInputSerializer(serializers.Serializer):
    course = serializers.UUIDField(help_text="The paid course to buy.")


class CheckoutSerializer(serializers.Serializer):
    payment = serializers.UUIDField(help_text="The new payment (pending until Stripe confirms it).")
    checkout_url = serializers.URLField(help_text="Stripe Checkout's page: send the learner there to pay.")


class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your payments, newest first. The enrolment follows Stripe's confirmation (webhook)."""

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
