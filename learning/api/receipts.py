"""Receipts API: /api/v1/learning/receipts/ (the signed-in buyer's receipts, filterable by
payment) and /api/v1/learning/payments/{id}/receipts/ (one payment's), each with a signed
PDF URL. Someone else's receipt or payment is a 404."""

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, mixins, serializers, viewsets
from rest_framework.filters import OrderingFilter

from core.api.schema import ErrorSerializer
from core.http import AuthenticatedRequest
from learning.api.enrollments import UUID_PATTERN
from learning.models import Receipt
from learning.selectors.payments import payment_get_for_user
from learning.selectors.receipts import (
    ReceiptFilter,
    payment_description,
    receipt_get_for_user,
    receipt_list_for_user,
    receipt_pdf_url,
)


class ReceiptSerializer(serializers.ModelSerializer):
    """A receipt of one of your payments or of a refund of it."""

    payment = serializers.UUIDField(source="payment_id", read_only=True)
    refund = serializers.UUIDField(
        source="refund_id", read_only=True, allow_null=True, help_text="The refund (refund receipts); else null."
    )
    description = serializers.SerializerMethodField(help_text="What was bought.")
    amount_cents = serializers.SerializerMethodField(
        help_text="What was paid (payment receipts) or given back (refund receipts), in the currency's minor unit."
    )
    currency = serializers.CharField(source="payment.currency", read_only=True, help_text="ISO 4217.")
    pdf_url = serializers.SerializerMethodField(
        help_text=(
            "Signed download URL of the PDF, valid for "
            f"{settings.PRIVATE_FILE_URL_MAX_AGE} seconds (fetch the receipt again for a fresh one); "
            "null while the PDF is being prepared."
        )
    )

    class Meta:
        model = Receipt
        fields = [
            "id",
            "number",
            "kind",
            "payment",
            "refund",
            "description",
            "amount_cents",
            "currency",
            "created_at",
            "pdf_url",
        ]
        read_only_fields = fields

    def get_description(self, receipt: Receipt) -> str:
        return payment_description(receipt.payment)

    def get_amount_cents(self, receipt: Receipt) -> int:
        return receipt.refund.amount_cents if receipt.refund is not None else receipt.payment.amount_cents

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_pdf_url(self, receipt: Receipt) -> str | None:
        url = receipt_pdf_url(receipt=receipt)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if url is not None and request is not None else url


@extend_schema_view(
    list=extend_schema(description="Your receipts, newest first: one per succeeded payment and one per refund."),
    retrieve=extend_schema(description="One of your receipts, with a fresh signed `pdf_url`. Another's is a 404."),
)
class ReceiptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your receipts, newest first; another user's is a 404."""

    request: AuthenticatedRequest

    serializer_class = ReceiptSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = ReceiptFilter
    ordering_fields = ["created_at", "number"]
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self) -> QuerySet[Receipt]:
        if getattr(self, "swagger_fake_view", False):
            return Receipt.objects.none()
        return receipt_list_for_user(user=self.request.user)

    def get_object(self) -> Receipt:
        return receipt_get_for_user(user=self.request.user, pk=self.kwargs["pk"])


@extend_schema(
    description="The receipts of one of your payments, in order of issue: the payment's, then one per refund.",
    responses={
        200: ReceiptSerializer(many=True),
        404: OpenApiResponse(ErrorSerializer, description="No such payment."),
    },
)
class PaymentReceiptListApi(generics.ListAPIView):
    request: AuthenticatedRequest

    serializer_class = ReceiptSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Receipt]:
        if getattr(self, "swagger_fake_view", False):
            return Receipt.objects.none()
        payment = payment_get_for_user(user=self.request.user, payment_id=self.kwargs["payment_pk"])
        if payment is None:
            raise Http404
        return receipt_list_for_user(user=self.request.user).filter(payment=payment).order_by("created_at", "id")
