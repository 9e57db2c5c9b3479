"""Reads of payments: the buyer's payment history (page and ``payments`` API), the success
page's look-up by Checkout Session, what a payment bought (its kind's label, the buyer's
page of the item), and the payment of an item for the apps that sell
(``payment_for_item``, ``payments_for_items``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters

from learning.models import Payment, Refund
from learning.registry import PaymentFacts, purchase_kinds
from learning.selectors.receipts import receipts_prefetch

if TYPE_CHECKING:
    from accounts.models import User


class PaymentFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Payment.Status.choices, help_text="Only payments in this status.")
    course = filters.UUIDFilter(field_name="course_id", help_text="Only the payments for this course.")
    kind = filters.CharFilter(help_text='Only payments for this kind of item ("course", "session", "event_seat").')

    class Meta:
        model = Payment
        fields = ["status", "course", "kind"]


def payment_list_for_user(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Payment]:
    """The user's payments, newest first, with their course, their refunds (newest
    first) and their receipts (in order of issue) loaded: three queries whatever their number.

    ``filters`` (``status``, ``course``, ``kind``) are applied when given and valid; invalid
    values are ignored here (the API validates them with :class:`PaymentFilter` itself)."""
    queryset = (
        Payment.objects.filter(user=user)
        .select_related("course")
        .prefetch_related(
            Prefetch("refunds", queryset=Refund.objects.order_by("-created_at", "id")), receipts_prefetch()
        )
        .order_by("-created_at", "id")
    )
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


def payment_for_item(*, kind: str, item_id: UUID) -> Payment | None:
    """The latest payment of an item (a session, a seat), whatever its status; ``None``
    when it was never paid for. Not for courses, whose item every buyer shares."""
    return Payment.objects.filter(kind=kind, item_id=item_id).order_by("-created_at", "-id").first()


def payments_for_items(*, kind: str, item_ids: Iterable[UUID]) -> dict[UUID, Payment]:
    """The latest payment of each of the items that has one, by item id, in one query (for
    a list of sessions or seats)."""
    ids = list(item_ids)
    if not ids:
        return {}
    latest: dict[UUID, Payment] = {}
    for payment in Payment.objects.filter(kind=kind, item_id__in=ids).order_by("created_at", "id"):
        latest[payment.item_id] = payment
    return latest


def payment_facts(payment: Payment) -> PaymentFacts:
    """What a purchase kind learns of ``payment``."""
    return PaymentFacts(
        id=payment.pk,
        user_id=payment.user_id,
        kind=payment.kind,
        item_id=payment.item_id,
        amount_cents=payment.amount_cents,
        currency=payment.currency,
    )


def payment_kind_label(payment: Payment) -> str:
    """What kind of thing was bought, in words ("Course", "Mentorship session")."""
    if payment.kind == Payment.KIND_COURSE:
        return str(_("Course"))
    kind = purchase_kinds.get(payment.kind)
    return str(kind.label) if kind is not None else payment.kind


def payment_item_url(payment: Payment) -> str | None:
    """The buyer's page of what ``payment`` bought (a course's page; another kind's as its
    app says), or ``None`` when there is none. No query when the course is loaded."""
    if payment.course_id is not None:
        return reverse("learning:course-detail", kwargs={"slug": payment.course.slug}) if payment.course else None
    kind = purchase_kinds.get(payment.kind)
    if kind is None:
        return None
    try:
        return kind.item_url(payment_facts(payment))
    except NoReverseMatch:
        return None
