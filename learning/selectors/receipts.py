"""Reads of receipts: the buyer's own (the payment history page, the ``receipts`` API and
the PDF download). A receipt belongs to whoever made its payment; anyone else gets a 404
(staff read receipts in admin)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django_filters import rest_framework as filters
from rest_framework.generics import get_object_or_404

from accounts.selectors.files import file_download_url
from learning.models import Payment, Receipt

if TYPE_CHECKING:
    from accounts.models import User


class ReceiptFilter(filters.FilterSet):
    payment = filters.UUIDFilter(field_name="payment_id", help_text="Only the receipts of this payment.")
    kind = filters.ChoiceFilter(choices=Receipt.Kind.choices, help_text="Only payment or only refund receipts.")

    class Meta:
        model = Receipt
        fields = ["payment", "kind"]


def payment_description(payment: Payment) -> str:
    """What was bought, in words: the payment's description (a course's title for older
    course payments that have none; needs ``course`` loaded then)."""
    if payment.description:
        return payment.description
    if payment.course is not None:
        return payment.course.title
    return str(payment.kind)


def receipt_list_for_user(*, user: User) -> QuerySet[Receipt]:
    """The receipts of the user's payments, newest first, with their payment, refund and
    file loaded. One query."""
    return (
        Receipt.objects.filter(payment__user=user)
        .select_related("payment__course", "refund", "file")
        .order_by("-created_at", "-id")
    )


def receipt_get_for_user(*, user: User, pk: UUID | str) -> Receipt:
    """One of the user's own receipts; another user's, or a malformed id, raises ``Http404``
    (pages and API alike)."""
    return get_object_or_404(receipt_list_for_user(user=user), pk=pk)


def receipts_prefetch() -> Prefetch:
    """``payment.receipts.all()`` in order of issue with their files, for lists of payments
    (one query for the whole page)."""
    return Prefetch("receipts", queryset=Receipt.objects.select_related("file").order_by("created_at", "id"))


def receipt_pdf_url(*, receipt: Receipt) -> str | None:
    """A fresh short-lived signed URL of the receipt's PDF, or ``None`` while it is being
    prepared. Needs ``file`` loaded (no query)."""
    return file_download_url(file=receipt.file) if receipt.file is not None else None
