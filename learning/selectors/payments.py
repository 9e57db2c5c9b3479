"""Reads of payments: the learner's payment history (page and ``payments`` API) and the
success page's look-up by Checkout Session."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from learning.models import Payment

if TYPE_CHECKING:
    from accounts.models import User


class PaymentFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Payment.Status.choices, help_text="Only payments in this status.")
    course = filters.UUIDFilter(field_name="course_id", help_text="Only the payments for this course.")

    class Meta:
        model = Payment
        fields = ["status", "course"]


def payment_list_for_user(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Payment]:
    """The user's payments, newest first, with their course loaded. One query.

    ``filters`` (``status``, ``course``) are applied when given and valid; invalid values
    are ignored here (the API validates them with :class:`PaymentFilter` itself)."""
    queryset = Payment.objects.filter(user=user).select_related("course").order_by("-created_at", "id")
    if filters:
        filterset = PaymentFilter(filters, queryset=queryset)
        if filterset.is_valid():
            queryset = filterset.qs
    return queryset


def payment_get_for_user(*, user: User, payment_id: UUID | str) -> Payment | None:
    """One of the user's own payments; another user's is ``None``."""
    return payment_list_for_user(user=user).filter(pk=payment_id).first()


def payment_get_by_checkout_session_for_user(*, user: User, session_id: str) -> Payment | None:
    """The user's payment behind a Stripe Checkout Session id (the success page's
    ``session_id``); another user's session, or an unknown one, is ``None``."""
    if not session_id:
        return None
    return payment_list_for_user(user=user).filter(stripe_checkout_session_id=session_id).first()
