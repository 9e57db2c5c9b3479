"""Payments for everything sold — a course, or a kind a higher app registers in
:data:`learning.registry.purchase_kinds` (a mentorship session, a seat at a paid event) —
through Stripe Checkout with the official ``stripe`` library (``settings.STRIPE_API_BASE``
when set, a local fake in tests), and their refunds.

Buying: :func:`payment_checkout_start` records a pending :class:`Payment` with its price
breakdown (:class:`PriceLine`) and opens a Checkout Session for it; the course's
:func:`checkout_start` is a thin caller. Nothing is granted on the way back from Stripe:
only Stripe's webhook, verified by its signature, changes a payment —
:func:`webhook_event_apply` applies each event once (its id is stored in
:class:`StripeEvent` in the same transaction as its effect):

- ``checkout.session.completed`` (paid) and ``checkout.session.async_payment_succeeded``:
  the payment succeeds and its item is handed over — a course enrols the buyer (access
  restored if a refund had removed it), a registered kind's ``fulfil(facts)`` runs in the
  same transaction and, when it answers ``False`` (the item went to someone else), the
  payment is refunded in full at once (rule ``item_unavailable``) and the payer told why —
  only when the session is the one this site created for it (found by the stored Checkout
  Session id, never by the reference the session carries), is paid (``payment_status``
  "paid") and its ``amount_total`` and ``currency`` are the payment's. Anything else grants
  nothing, for every kind: its event is flagged for staff (``StripeEvent.needs_review``);
- ``checkout.session.async_payment_failed``, ``checkout.session.expired`` and
  ``payment_intent.payment_failed``: a pending payment fails with the reason and a
  registered kind's ``release(facts)`` lets its held item go;
- ``charge.refunded``: the payment's refunded total follows the charge's
  (``amount_refunded``): partially refunded, or refunded in full — then a course's access
  ends (the enrolment is kept);
- ``refund.created``, ``refund.updated``, ``charge.refund.updated`` and
  ``refund.failed``: a refund this site asked for is confirmed (or failed); one made
  elsewhere (Stripe's dashboard) is recorded as a :class:`Refund` of source "stripe";
- ``charge.dispute.created``: the payment is marked disputed (``disputed_at``, reason) and
  the event flagged for staff;
- any other type is recorded and ignored.

Refunds, disputes and PaymentIntent failures name no Checkout Session: they are matched
only by the PaymentIntent id stored from our own session, never by the payment id in their
metadata, which any charge on the same Stripe account can carry. What matches no payment,
or is not of the payment's currency or more than its amount, changes nothing and is
flagged for staff.

Refunds this site makes — by rule (:func:`payment_refund_by_rule`: the mentor cancelled,
the mentee cancelled in time, the host cancelled, the slot was lost) or by staff
(:func:`payment_refund_by_staff`) — are recorded as requested and sent to Stripe's Refund
API after commit by ``refund_send_task`` (:func:`refund_send`), exactly once: the refund's
row is locked while it is sent, ``refund-<id>`` is the idempotency key and the answer's
id is kept. Unpaid holds end by :func:`payments_holds_expire` (every minute) or when the
buyer gives up (:func:`payment_cancel_unpaid`).

The buyer is notified (``payment_update``) of success, failure and each refund after
commit; ``payment_succeeded`` and ``refund_succeeded`` are sent after commit (receipts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import UUID

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from core.money import money_display
from learning.models import Course, Enrollment, Payment, Refund, StripeEvent
from learning.notifications import LearningNotification
from learning.registry import PurchaseKind, purchase_kinds
from learning.selectors.payments import payment_facts, payment_item_url
from learning.services.enrollments import enrollment_create
from learning.signals import payment_succeeded, refund_succeeded

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

NOT_CONFIGURED_MESSAGE = gettext_lazy(
    "Payments are not configured on this site yet — ask staff to grant you access to this course."
)
PAYMENTS_NOT_CONFIGURED = gettext_lazy("Payments are not configured on this site yet.")
FAILURE_REASON_MAX_LENGTH = 500
REVIEW_REASON_MAX_LENGTH = 500
REASON_MAX_LENGTH = 500
# The rule of the automatic refund when a paid item can no longer be had.
RULE_ITEM_UNAVAILABLE = "item_unavailable"
# Stripe's limits on a Checkout Session's expiry: 30 minutes to 24 hours after creation.
CHECKOUT_EXPIRY_MIN = timedelta(minutes=31)
CHECKOUT_EXPIRY_MAX = timedelta(hours=23, minutes=59)
LIVE_STATUSES = (Payment.Status.PENDING, Payment.Status.SUCCEEDED)
REFUNDABLE_STATUSES = (Payment.Status.SUCCEEDED, Payment.Status.PARTIALLY_REFUNDED)


def payments_configured() -> bool:
    """Whether buying is possible: both the Stripe secret key and the webhook secret are set
    (without the webhook no payment could ever complete)."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


def stripe_client() -> stripe.StripeClient:
    """Stripe's API with the site's secret key, at ``settings.STRIPE_API_BASE`` when set."""
    base = settings.STRIPE_API_BASE
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses={"api": base} if base else None)


@dataclass(frozen=True)
class PriceLine:
    """One line of a price breakdown: "Base price (60 min)" 6000, "Venue discount" -600.
    A negative amount is a discount."""

    label: str
    amount_cents: int


def price_lines_json(lines: Sequence[PriceLine]) -> list[dict[str, Any]]:
    """The lines as stored in ``Payment.lines`` (and read back by receipts and pages)."""
    return [{"label": str(line.label), "amount_cents": int(line.amount_cents)} for line in lines]


def checkout_line_items(lines: Sequence[PriceLine], currency: str) -> list[dict[str, Any]]:
    """Checkout's line items for a breakdown. Stripe takes no negative amounts, so each
    positive line is an item and each discount is folded into the positive line before it
    (the first one when it comes first; the next ones when it is larger): the item's amount
    is what is left and its description names every line folded in, with its amount. The
    items add up to the breakdown's total exactly."""
    positive = [line for line in lines if line.amount_cents >= 0]
    if not positive:
        raise ApplicationError(_("There is nothing to pay: the price is zero."))
    amounts = [line.amount_cents for line in positive]
    parts = [[f"{line.label} {money_display(line.amount_cents, currency)}"] for line in positive]
    seen = 0
    for line in lines:
        if line.amount_cents >= 0:
            seen += 1
        else:
            _fold(line, amounts, parts, currency, start=max(seen - 1, 0))
    line_items = []
    for line, amount, described in zip(positive, amounts, parts, strict=True):
        product: dict[str, Any] = {"name": str(line.label)[:250]}
        if len(described) > 1:
            product["description"] = " · ".join(described)[:500]
        line_items.append(
            {
                "quantity": 1,
                "price_data": {"currency": currency.lower(), "unit_amount": amount, "product_data": product},
            }
        )
    return line_items


def _fold(discount: PriceLine, amounts: list[int], parts: list[list[str]], currency: str, *, start: int) -> None:
    """Take ``discount`` off ``amounts`` from ``start`` on (then from the first), naming it
    in the description of each item it was taken from."""
    left = -discount.amount_cents
    order = list(range(start, len(amounts))) + list(range(start))
    for index in order:
        if left == 0:
            break
        taken = min(left, amounts[index])
        if taken == 0:
            continue
        amounts[index] -= taken
        left -= taken
        parts[index].append(f"{discount.label} {money_display(-taken, currency)}")
    if left:
        raise ApplicationError(_("The discounts are larger than the price."))


@dataclass(frozen=True)
class CheckoutStarted:
    payment: Payment
    checkout_url: str


def payment_checkout_start(
    *,
    user: User,
    kind: str,
    item_id: UUID,
    description: str,
    lines: Sequence[PriceLine],
    currency: str,
    hold_until: datetime | None,
    success_url: str,
    cancel_url: str,
    course: Course | None = None,
) -> CheckoutStarted:
    """Start buying an item: record a pending payment of ``lines`` (their sum) and create a
    Stripe Checkout Session whose line items are those lines (discounts folded in, see
    :func:`checkout_line_items`); return the payment and the session's URL.

    ``hold_until``: when the item is held for the buyer (a slot, a seat), the time the hold
    ends; the payment carries it (:func:`payments_holds_expire` lets it go then) and the
    Checkout Session expires near it (Stripe allows 30 minutes to 24 hours). ``success_url``
    may contain Stripe's ``{CHECKOUT_SESSION_ID}`` placeholder. The caller holds its item's
    lock, so that two checkouts of one item do not race.

    Refused with ``ApplicationError`` (nothing recorded): payments not configured, an
    unknown kind, a total of zero or less, a live (pending or succeeded) payment of the
    item already (for a kind other than courses, whose item is shared by every buyer). When
    Stripe refuses or cannot be reached the payment is kept as failed with the reason, and
    ``ApplicationError`` says to try again.
    """
    if not payments_configured():
        raise ApplicationError(str(PAYMENTS_NOT_CONFIGURED))
    if kind == Payment.KIND_COURSE:
        if course is None or course.pk != item_id:
            raise ApplicationError(_("A course payment names its course."))
    elif purchase_kinds.get(kind) is None:
        raise ApplicationError(_("“%(kind)s” is not something this site sells.") % {"kind": kind})
    total = sum(line.amount_cents for line in lines)
    if not lines or total <= 0:
        raise ApplicationError(_("There is nothing to pay: the price is zero."))
    if any(not str(line.label).strip() for line in lines):
        raise ApplicationError(_("Every line of a price names what it is."))
    currency = currency.upper()
    line_items = checkout_line_items(lines, currency)
    if kind != Payment.KIND_COURSE and (
        Payment.objects.filter(kind=kind, item_id=item_id, status__in=LIVE_STATUSES).exists()
    ):
        raise ApplicationError(_("This is already paid for, or its payment is under way."))
    payment = Payment.objects.create(
        user=user,
        kind=kind,
        item_id=item_id,
        course=course,
        description=description[:255],
        lines=price_lines_json(lines),
        amount_cents=total,
        currency=currency,
        hold_expires_at=hold_until,
    )
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": line_items,
        "client_reference_id": str(payment.pk),
        "metadata": {"payment_id": str(payment.pk), "kind": kind, "item_id": str(item_id), "user_id": str(user.pk)},
        "payment_intent_data": {"metadata": {"payment_id": str(payment.pk)}},
        "customer_email": user.email,
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    if kind == Payment.KIND_COURSE:
        params["metadata"]["course_id"] = str(item_id)
    if hold_until is not None:
        now = timezone.now()
        expires = min(max(hold_until, now + CHECKOUT_EXPIRY_MIN), now + CHECKOUT_EXPIRY_MAX)
        params["expires_at"] = int(expires.timestamp())
    try:
        session = stripe_client().v1.checkout.sessions.create(
            params=params,  # type: ignore[arg-type]
            options={"idempotency_key": f"checkout-{payment.pk}"},
        )
    except stripe.StripeError as exc:
        logger.warning("Stripe refused a Checkout Session for payment %s: %s", payment.pk, exc)
        payment.status = Payment.Status.FAILED
        payment.failure_reason = _("Stripe could not start the checkout.")[:FAILURE_REASON_MAX_LENGTH]
        payment.save()
        raise ApplicationError(_("Stripe could not start the checkout. Please try again in a moment.")) from exc
    payment.stripe_checkout_session_id = session.id
    payment.save()
    if not session.url:  # never: a hosted checkout session always has its page
        raise ApplicationError(_("Stripe could not start the checkout. Please try again in a moment."))
    return CheckoutStarted(payment=payment, checkout_url=session.url)


def checkout_start(*, user: User, course: Course, success_url: str, cancel_url: str) -> CheckoutStarted:
    """Start buying ``course`` (its price and currency, one line) through
    :func:`payment_checkout_start`. Refused with ``ApplicationError`` (nothing recorded):
    payments not configured, a course that is not published, a free course (enrol
    instead), a course the user is already enrolled in with access."""
    if not payments_configured():
        raise ApplicationError(str(NOT_CONFIGURED_MESSAGE))
    if not course.published:
        raise ApplicationError(_("This course is not open for enrolment."))
    if course.is_free:
        raise ApplicationError(_("This course is free: enrol instead of buying it."))
    if Enrollment.objects.filter(user=user, course=course, access_revoked_at__isnull=True).exists():
        raise ApplicationError(_("You are already enrolled in this course."))
    return payment_checkout_start(
        user=user,
        kind=Payment.KIND_COURSE,
        item_id=course.pk,
        course=course,
        description=course.title,
        lines=[PriceLine(label=course.title, amount_cents=course.price_cents)],
        currency=course.currency,
        hold_until=None,
        success_url=success_url,
        cancel_url=cancel_url,
    )


def _checkout_expire(session_id: str) -> None:
    """Expire a Checkout Session at Stripe, best effort (it may be paid or gone): logged."""
    try:
        stripe_client().v1.checkout.sessions.expire(session_id)
    except stripe.StripeError as exc:
        logger.info("Checkout Session %s was not expired at Stripe: %s", session_id, exc)


def _fail_and_release(payment: Payment, *, reason: str, release: bool, notify: bool = True) -> None:
    """Fail a pending ``payment`` (locked) with ``reason``; ``release``: let its registered
    kind release the held item (in this transaction). Its Checkout Session is expired at
    Stripe after commit."""
    payment.status = Payment.Status.FAILED
    payment.failure_reason = reason[:FAILURE_REASON_MAX_LENGTH]
    payment.save()
    kind = purchase_kinds.get(payment.kind)
    if release and kind is not None:
        kind.release(payment_facts(payment))
    if notify:
        _notify(
            payment,
            title=_("Payment for “%(item)s” did not go through") % {"item": payment.description},
            message=_("%(reason)s You were not charged.") % {"reason": reason},
        )


@transaction.atomic
def payment_cancel_unpaid(*, kind: str, item_id: UUID) -> None:
    """The buyer gave up before paying (or cancelled the held item): the item's pending
    payment fails ("cancelled before payment") and its Checkout Session is expired at
    Stripe after commit (best effort, logged). ``release`` is not called: the caller lets
    its own item go. Nothing pending: nothing happens."""
    pending = Payment.objects.select_for_update(of=("self",)).filter(
        kind=kind, item_id=item_id, status=Payment.Status.PENDING
    )
    for payment in pending.select_related("user"):
        _fail_and_release(payment, reason=_("Cancelled before payment."), release=False, notify=False)
        if payment.stripe_checkout_session_id:
            session_id = payment.stripe_checkout_session_id
            transaction.on_commit(partial(_checkout_expire, session_id))


def _checkout_close(session_id: str) -> dict[str, Any] | None:
    """Expire a held payment's Checkout Session at Stripe so that nobody pays after the hold;
    return the session as Stripe has it when it could not be expired because it was paid
    meanwhile (complete), else ``None`` (expired, or Stripe not reachable: logged)."""
    client = stripe_client()
    try:
        client.v1.checkout.sessions.expire(session_id)
    except stripe.StripeError as exc:
        logger.info("Checkout Session %s was not expired at Stripe: %s", session_id, exc)
    else:
        return None
    try:
        session = client.v1.checkout.sessions.retrieve(session_id)
    except stripe.StripeError as exc:
        logger.warning("Checkout Session %s could not be read at Stripe: %s", session_id, exc)
        return None
    return session.to_dict() if session.status == "complete" else None


def payments_holds_expire(*, now: datetime | None = None) -> int:
    """End the holds that ran out before ``now`` (default: now) unpaid; return how many.

    Each held payment's Checkout Session is expired at Stripe first, so that nobody pays
    after the hold. One that Stripe says was paid meanwhile is completed from Stripe's own
    session (as its webhook would: checked, then handed over) and keeps its item. The others
    fail and their kinds release the held items — each payment in its own transaction,
    locked and skipped when another run has it, so ``release`` runs once. A payment whose
    session could not be expired (Stripe unreachable) and that arrives later is refunded
    when its kind's ``fulfil`` answers that the item is gone."""
    now = now or timezone.now()
    due = Payment.objects.filter(status=Payment.Status.PENDING, hold_expires_at__lte=now)
    expired = 0
    for payment_id, session_id in list(due.values_list("pk", "stripe_checkout_session_id")[:500]):
        completed = _checkout_close(session_id) if session_id else None
        with transaction.atomic():
            payment = (
                Payment.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("user")
                .filter(pk=payment_id, status=Payment.Status.PENDING, hold_expires_at__lte=now)
                .first()
            )
            if payment is None:
                continue
            if completed is not None:
                review_reason = _session_paid(completed)
                if review_reason:
                    logger.warning("Held payment %s was not completed: %s", payment.pk, review_reason)
                payment.refresh_from_db()
                if payment.status == Payment.Status.SUCCEEDED:
                    continue
            _fail_and_release(payment, reason=_("The hold ran out before the payment was made."), release=True)
            expired += 1
    return expired


# --- Refunds ---------------------------------------------------------------------------


def _refund_request(
    payment: Payment, *, amount_cents: int, source: str, rule: str = "", reason: str, by: User | None = None
) -> Refund:
    """Record a requested refund of ``payment`` (locked) and send it to Stripe after commit."""
    from learning.tasks import refund_send_task

    refund = Refund.objects.create(
        payment=payment,
        amount_cents=amount_cents,
        source=source,
        rule=rule,
        reason=reason[:REASON_MAX_LENGTH],
        requested_by=by,
    )
    transaction.on_commit(lambda: refund_send_task.delay(str(refund.pk)))
    return refund


def payment_refundable_cents(payment: Payment) -> int:
    """What can still be refunded of ``payment``: its amount less what was refunded and what
    is being refunded (requested, not yet confirmed). Zero unless it succeeded."""
    if payment.status not in REFUNDABLE_STATUSES:
        return 0
    in_flight = (
        payment.refunds.filter(status=Refund.Status.REQUESTED).aggregate(total=Sum("amount_cents"))["total"] or 0
    )
    return max(payment.amount_cents - payment.amount_refunded_cents - in_flight, 0)


@transaction.atomic
def payment_refund_by_rule(*, kind: str, item_id: UUID, rule: str, reason: str) -> Refund | None:
    """Refund the item's succeeded payment in full (what is left of it), once: a payment
    has at most one refund by rule (a constraint), and its row is locked meanwhile, so a
    second call — also a concurrent one — answers the same refund. ``None`` when the item
    has no succeeded payment or nothing is left to refund. The refund goes to Stripe after
    commit (``refund_send_task``); the buyer is told when Stripe confirms it. Not for
    courses, whose item every buyer shares: staff refund those."""
    if kind == Payment.KIND_COURSE:
        raise ApplicationError(_("Course purchases are refunded by staff."))
    payment = (
        Payment.objects.select_for_update(of=("self",))
        .filter(kind=kind, item_id=item_id, status__in=REFUNDABLE_STATUSES)
        .order_by("-created_at")
        .first()
    )
    if payment is None:
        return None
    existing = payment.refunds.filter(source=Refund.Source.RULE).first()
    if existing is not None:
        return existing
    amount = payment_refundable_cents(payment)
    if amount <= 0:
        return None
    return _refund_request(payment, amount_cents=amount, source=Refund.Source.RULE, rule=rule, reason=reason)


def payment_refund_by_staff(*, payment: Payment, amount_cents: int, reason: str, by: User) -> Refund:
    """Staff refund ``amount_cents`` of ``payment`` (all or part of what is left) with their
    ``reason``; sent to Stripe after commit. ``ValidationError`` (nothing recorded): no
    reason, an amount of zero or less, or more than is left to refund (the message says
    how much is); ``ApplicationError`` when the payment has not succeeded."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this payment is refunded.")})
    if amount_cents <= 0:
        raise ValidationError({"amount_cents": _("Refund more than nothing.")})
    with transaction.atomic():
        locked = Payment.objects.select_for_update(of=("self",)).get(pk=payment.pk)
        if locked.status not in REFUNDABLE_STATUSES:
            raise ApplicationError(
                _("Only a succeeded payment can be refunded; this one is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        left = payment_refundable_cents(locked)
        if amount_cents > left:
            raise ValidationError(
                {
                    "amount_cents": _("At most %(left)s can be refunded (of %(amount)s).")
                    % {"left": money_display(left, locked.currency), "amount": _price(locked)}
                }
            )
        return _refund_request(
            locked, amount_cents=amount_cents, source=Refund.Source.STAFF, reason=reason.strip(), by=by
        )


class StripeUnavailableError(Exception):
    """Stripe could not be reached or failed for a moment: try sending the refund again."""


def refund_send(*, refund_id: UUID | str) -> Refund | None:
    """Send a requested refund to Stripe's Refund API, once: its payment's row and its own
    stay locked while it is sent (a second run waits, then finds it sent; the webhook's
    events of the payment wait too, taking the two locks in the same order) and
    ``refund-<id>`` is the idempotency key (a run that crashed after Stripe answered gets
    the same refund again). Stripe's id is kept; a succeeded answer confirms the refund. A
    refusal fails it with the reason (staff see it in admin); a network or server error
    raises :class:`StripeUnavailableError` (the task tries again). ``None``: no such refund."""
    payment_id = Refund.objects.filter(pk=refund_id).values_list("payment_id", flat=True).first()
    if payment_id is None:
        return None
    with transaction.atomic():
        payment = Payment.objects.select_for_update(of=("self",)).select_related("user").get(pk=payment_id)
        refund = Refund.objects.select_for_update(of=("self",)).get(pk=refund_id)
        refund.payment = payment
        if refund.status != Refund.Status.REQUESTED or refund.stripe_refund_id:
            return refund
        if not payment.stripe_payment_intent_id:
            _refund_fail(refund, reason=_("The payment has no Stripe PaymentIntent to refund."))
            return refund
        if not payments_configured():
            # Nothing to send it with (the embedded default, the demo): it stays requested,
            # listed for staff in admin, and goes out once Stripe is configured.
            logger.warning("Refund %s stays requested: Stripe is not configured.", refund.pk)
            return refund
        try:
            answer = stripe_client().v1.refunds.create(
                params={
                    "payment_intent": payment.stripe_payment_intent_id,
                    "amount": refund.amount_cents,
                    "metadata": {"refund_id": str(refund.pk), "payment_id": str(payment.pk)},
                },
                options={"idempotency_key": f"refund-{refund.pk}"},
            )
        except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
            raise StripeUnavailableError(str(exc)) from exc
        except stripe.StripeError as exc:
            if exc.http_status is None or exc.http_status >= 500:
                raise StripeUnavailableError(str(exc)) from exc
            logger.warning("Stripe refused refund %s of payment %s: %s", refund.pk, payment.pk, exc)
            _refund_fail(refund, reason=exc.user_message or str(exc))
            return refund
        refund.stripe_refund_id = answer.id
        refund.save()
        _refund_status_apply(refund, status=answer.status, failure=getattr(answer, "failure_reason", None))
    return refund


def _refund_fail(refund: Refund, *, reason: str) -> None:
    refund.status = Refund.Status.FAILED
    refund.failure_reason = str(reason)[:FAILURE_REASON_MAX_LENGTH]
    refund.save()
    logger.warning("Refund %s of payment %s failed: %s", refund.pk, refund.payment_id, reason)


def _refund_status_apply(refund: Refund, *, status: Any, failure: Any = None) -> None:
    """Apply Stripe's status of a refund (locked, with its payment): ``succeeded`` confirms
    it (the payment's refunded total follows, the buyer is told, ``refund_succeeded`` after
    commit), ``failed``/``canceled`` fails it; others (pending) wait for the next event."""
    if refund.status != Refund.Status.REQUESTED:
        return
    if status == "succeeded":
        refund.status = Refund.Status.SUCCEEDED
        refund.succeeded_at = timezone.now()
        refund.save()
        payment = (
            Payment.objects.select_for_update(of=("self",)).select_related("course", "user").get(pk=refund.payment_id)
        )
        confirmed = payment.refunds.filter(status=Refund.Status.SUCCEEDED).aggregate(total=Sum("amount_cents"))
        _refunded_total_apply(payment, confirmed["total"] or 0)
        _refund_announce(refund, payment)
    elif status in ("failed", "canceled"):
        _refund_fail(refund, reason=failure or _("Stripe could not make the refund (%(status)s).") % {"status": status})


def _refund_announce(refund: Refund, payment: Payment) -> None:
    transaction.on_commit(
        lambda: refund_succeeded.send_robust(
            sender=Refund,
            refund_id=refund.pk,
            payment_id=payment.pk,
            user_id=payment.user_id,
            kind=payment.kind,
            item_id=payment.item_id,
        )
    )


def _refunded_total_apply(payment: Payment, total: int) -> None:
    """Raise ``payment``'s (locked) refunded total to ``total`` (Stripe's running total
    or the sum of confirmed refunds: never lowered, so either order of the two is
    right): partially refunded, or refunded in full — a course's access ends then. The
    buyer is told of the difference."""
    total = min(total, payment.amount_cents)
    if total <= payment.amount_refunded_cents:
        return
    added = total - payment.amount_refunded_cents
    payment.amount_refunded_cents = total
    full = total == payment.amount_cents
    payment.status = Payment.Status.REFUNDED if full else Payment.Status.PARTIALLY_REFUNDED
    if full:
        payment.refunded_at = timezone.now()
    payment.save()
    ended = False
    if full and payment.course_id is not None:
        enrollment = Enrollment.objects.select_for_update().filter(user=payment.user, course=payment.course).first()
        if enrollment is not None and enrollment.access_revoked_at is None:
            enrollment.access_revoked_at = payment.refunded_at
            enrollment.save()
            ended = True
    message = _("%(price)s was refunded.") % {"price": money_display(added, payment.currency)}
    if ended:
        message += " " + _("Your access to this course ended with the refund.")
    _notify(payment, title=_("Refund for “%(item)s”") % {"item": payment.description}, message=message, email=False)


# --- Webhook ---------------------------------------------------------------------------


def webhook_event_apply(*, payload: bytes, signature_header: str) -> bool:
    """Verify a Stripe webhook delivery and apply its event once; return whether this call
    applied it (``False``: it was applied before — a repeated or concurrent delivery).

    ``ValidationError`` (nothing changes) when the webhook secret is not set, or the
    ``Stripe-Signature`` header is missing, wrong or too old, or the body is not an event.
    The event id is stored in the same transaction as the event's effect: two deliveries
    racing each other wait on the same primary key and the second finds it applied.
    """
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise ValidationError(_("Stripe webhooks are not configured on this site."))
    try:
        event = stripe.Webhook.construct_event(payload, signature_header, secret)
    except stripe.SignatureVerificationError as exc:
        raise ValidationError(_("The Stripe signature is missing or invalid.")) from exc
    except ValueError as exc:
        raise ValidationError(_("The body is not a Stripe event.")) from exc
    data = event.to_dict(for_json=True)
    return _event_apply(data)


@transaction.atomic
def _event_apply(data: dict[str, Any]) -> bool:
    try:
        with transaction.atomic():
            StripeEvent.objects.create(
                id=data["id"], type=data.get("type", ""), livemode=bool(data.get("livemode")), payload=data
            )
    except IntegrityError:
        return False
    handler = _HANDLERS.get(data.get("type", ""))
    review_reason = handler(data.get("data", {}).get("object", {})) if handler is not None else None
    if review_reason:
        logger.warning("Stripe event %s needs review: %s", data["id"], review_reason)
        StripeEvent.objects.filter(pk=data["id"]).update(
            needs_review=True, review_reason=review_reason[:REVIEW_REASON_MAX_LENGTH]
        )
    return True


def _as_uuid(value: Any) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None


def _payment_lock_for_session(session: dict[str, Any]) -> Payment | None:
    """Our payment behind a Checkout Session, locked: the one whose stored Checkout Session
    id is the session's (the id Stripe gave :func:`payment_checkout_start`). The reference
    the session carries (``client_reference_id``, ``metadata.payment_id``) is never trusted:
    anyone creating a session on the same Stripe account can write it."""
    session_id = session.get("id")
    if not isinstance(session_id, str) or not session_id:
        return None
    queryset = Payment.objects.select_for_update(of=("self",)).select_related("course", "user")
    return queryset.filter(stripe_checkout_session_id=session_id).first()


def _session_referenced_payment_id(session: dict[str, Any]) -> str:
    """The payment id a session claims (for staff reading a flagged event), or ``""``."""
    payment_id = _as_uuid(session.get("client_reference_id") or (session.get("metadata") or {}).get("payment_id"))
    return str(payment_id) if payment_id is not None else ""


def _session_mismatch(session: dict[str, Any], payment: Payment) -> str | None:
    """Why a paid-looking session does not pay ``payment`` in full, or ``None`` when it
    does: paid, for the payment's amount, in its currency (case-insensitive)."""
    if session.get("payment_status") != "paid":
        return _("The session is not paid (payment status “%(status)s”).") % {"status": session.get("payment_status")}
    return _money_mismatch(
        payment,
        amount=session.get("amount_total"),
        currency=session.get("currency"),
        amount_wrong=_("The session's amount (%(amount)s) is not the payment's (%(expected)s)."),
        currency_wrong=_("The session's currency (%(currency)s) is not the payment's (%(expected)s)."),
    )


def _currency_mismatch(payment: Payment, currency: Any, message: str) -> str | None:
    if not isinstance(currency, str) or currency.upper() != payment.currency.upper():
        return message % {"currency": currency, "expected": payment.currency}
    return None


def _money_mismatch(
    payment: Payment, *, amount: Any, currency: Any, amount_wrong: str, currency_wrong: str
) -> str | None:
    """``amount_wrong`` or ``currency_wrong`` (filled in) unless ``amount`` is the payment's
    amount in cents and ``currency`` its currency (any case); ``None`` when both are."""
    if type(amount) is not int or amount != payment.amount_cents:
        return amount_wrong % {"amount": amount, "expected": payment.amount_cents}
    return _currency_mismatch(payment, currency, currency_wrong)


def _payment_lock_for_intent(payment_intent_id: Any) -> Payment | None:
    """Our payment behind a PaymentIntent, locked: the one whose stored PaymentIntent id
    (kept from our own Checkout Session) is ``payment_intent_id``; ``None`` when none or
    more than one is. The payment id in the intent's or charge's metadata is never
    trusted: anything on the same Stripe account can write it."""
    if not isinstance(payment_intent_id, str) or not payment_intent_id:
        return None
    queryset = Payment.objects.select_for_update(of=("self",)).select_related("course", "user")
    payments = list(queryset.filter(stripe_payment_intent_id=payment_intent_id).order_by("pk")[:2])
    return payments[0] if len(payments) == 1 else None


def _session_intent_keep(session: dict[str, Any], payment: Payment) -> None:
    """Keep the PaymentIntent of our own session on its payment (only when none is known)."""
    intent_id = session.get("payment_intent")
    if isinstance(intent_id, str) and intent_id and not payment.stripe_payment_intent_id:
        payment.stripe_payment_intent_id = intent_id
        payment.save()


def _notify(
    payment: Payment, *, title: str, message: str, action_url: str | None = None, email: bool | None = None
) -> None:
    """Tell the buyer after commit (``payment_update``), linking to ``action_url`` or their
    payment history. ``email=False`` where the receipt's own e-mail says it (a payment or a
    refund that succeeded): one e-mail per event, not two."""
    transaction.on_commit(
        lambda: notification_send(
            user=payment.user,
            type=LearningNotification.PAYMENT_UPDATE,
            title=title,
            message=message,
            related=payment,
            action_url=action_url or reverse("learning:payment-list"),
            email=email,
        )
    )


def _price(payment: Payment) -> str:
    return money_display(payment.amount_cents, payment.currency)


def _session_paid(session: dict[str, Any]) -> str | None:
    """Succeed the session's payment and hand its item over; return why the event needs
    staff's review instead (nothing granted), or ``None``."""
    payment = _payment_lock_for_session(session)
    if session.get("payment_status") == "unpaid":
        # Delayed payment methods: checkout.session.async_payment_succeeded follows; the
        # intent is kept so that its failure (payment_intent.payment_failed) is matched.
        if payment is not None and payment.status == Payment.Status.PENDING:
            _session_intent_keep(session, payment)
        return None
    if payment is None:
        referenced = _session_referenced_payment_id(session)
        return _("Checkout Session %(session)s matches no payment of this site%(claim)s; nothing was granted.") % {
            "session": session.get("id"),
            "claim": _(" (it names payment %(payment)s)") % {"payment": referenced} if referenced else "",
        }
    mismatch = _session_mismatch(session, payment)
    if mismatch is not None:
        return _("%(mismatch)s Payment %(payment)s stays %(status)s; nothing was granted.") % {
            "mismatch": mismatch,
            "payment": payment.pk,
            "status": payment.status,
        }
    if payment.status not in (Payment.Status.PENDING, Payment.Status.FAILED):
        return None
    payment.status = Payment.Status.SUCCEEDED
    payment.succeeded_at = timezone.now()
    payment.failure_reason = ""
    payment.hold_expires_at = None
    intent_id = session.get("payment_intent")
    if isinstance(intent_id, str) and intent_id:
        payment.stripe_payment_intent_id = intent_id
    payment.save()
    transaction.on_commit(
        lambda: payment_succeeded.send_robust(
            sender=Payment, payment_id=payment.pk, user_id=payment.user_id, kind=payment.kind, item_id=payment.item_id
        )
    )
    _hand_over(payment)
    return None


def _hand_over(payment: Payment) -> None:
    """Hand a succeeded payment's item over: a course enrols; a registered kind fulfils, or
    (the item went to someone else) the payment is refunded in full and the payer told why."""
    if payment.course is not None:
        _course_fulfil(payment, payment.course)
        return
    kind = purchase_kinds.get(payment.kind)
    if kind is not None and _kind_fulfil(kind, payment):
        _notify(
            payment,
            title=_("Payment received for “%(item)s”") % {"item": payment.description},
            message=_("Thank you: %(price)s received.") % {"price": _price(payment)},
            action_url=payment_item_url(payment),
            email=False,
        )
        return
    reason = _("“%(item)s” was no longer available when your payment arrived, so it is refunded in full.") % {
        "item": payment.description
    }
    _refund_request(
        payment, amount_cents=payment.amount_cents, source=Refund.Source.RULE, rule=RULE_ITEM_UNAVAILABLE, reason=reason
    )
    _notify(payment, title=_("Payment for “%(item)s” is refunded") % {"item": payment.description}, message=reason)


def _kind_fulfil(kind: PurchaseKind, payment: Payment) -> bool:
    """Hand the item over: ``True`` when its kind did (in a savepoint, so that a kind that
    fails leaves nothing half done and the payment is refunded)."""
    try:
        with transaction.atomic():
            return bool(kind.fulfil(payment_facts(payment)))
    except ApplicationError as exc:
        logger.warning("Payment %s (%s) could not be fulfilled: %s", payment.pk, payment.kind, exc.message)
        return False


def _course_fulfil(payment: Payment, course: Course) -> None:
    enrollment = enrollment_create(user=payment.user, course=course, source=Enrollment.Source.PAYMENT)
    if enrollment.access_revoked_at is not None:
        enrollment.access_revoked_at = None
        enrollment.save()
    _notify(
        payment,
        title=_("Payment received for “%(course)s”") % {"course": payment.description},
        message=_("Thank you: %(price)s received. The course is open in My learning.") % {"price": _price(payment)},
        email=False,
    )


def _fail(payment: Payment | None, *, reason: str) -> None:
    if payment is None or payment.status != Payment.Status.PENDING:
        return
    _fail_and_release(payment, reason=reason, release=True)


def _session_payment_failed(session: dict[str, Any]) -> None:
    _fail(_payment_lock_for_session(session), reason=_("The payment did not go through."))


def _session_expired(session: dict[str, Any]) -> None:
    _fail(_payment_lock_for_session(session), reason=_("The checkout expired before the payment was made."))


def _intent_failed(intent: dict[str, Any]) -> None:
    """Fail the pending payment whose stored PaymentIntent this is. An intent not known
    (yet) — a decline inside an open checkout, where the buyer may still pay — changes
    nothing and is not flagged: the session's own expiry or failure ends that payment."""
    error = intent.get("last_payment_error") or {}
    reason = error.get("message") or _("The payment was declined.")
    _fail(_payment_lock_for_intent(intent.get("id")), reason=reason)


def _no_payment(what: str, obj: dict[str, Any]) -> str:
    referenced = _as_uuid((obj.get("metadata") or {}).get("payment_id"))
    return _(
        "%(what)s %(id)s (PaymentIntent %(intent)s) matches no payment of this site%(claim)s; nothing changed."
    ) % {
        "what": what,
        "id": obj.get("id"),
        "intent": obj.get("payment_intent") or "-",
        "claim": _(" (it names payment %(payment)s)") % {"payment": referenced} if referenced else "",
    }


def _not_succeeded(payment: Payment) -> str | None:
    if payment.status in (*REFUNDABLE_STATUSES, Payment.Status.REFUNDED):
        return None
    return _("Payment %(payment)s is %(status)s, not succeeded; nothing was refunded.") % {
        "payment": payment.pk,
        "status": payment.status,
    }


def _charge_refunded(charge: dict[str, Any]) -> str | None:
    """Bring the refunded total of the payment whose stored PaymentIntent the charge has up
    to the charge's ``amount_refunded``; return why the event needs staff's review instead
    (nothing changed), or ``None``."""
    payment = _payment_lock_for_intent(charge.get("payment_intent"))
    if payment is None:
        return _no_payment(_("Refunded charge"), charge)
    problem = _not_succeeded(payment) or _currency_mismatch(
        payment, charge.get("currency"), _("The refund's currency (%(currency)s) is not the payment's (%(expected)s).")
    )
    amount = charge.get("amount_refunded")
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= payment.amount_cents:
        problem = problem or _(
            "The refunded amount (%(amount)s) is not the payment's (%(expected)s) or part of it."
        ) % {
            "amount": amount,
            "expected": payment.amount_cents,
        }
    elif charge.get("refunded") is True and amount != payment.amount_cents:
        problem = problem or _("The refunded amount (%(amount)s) is not the payment's (%(expected)s).") % {
            "amount": amount,
            "expected": payment.amount_cents,
        }
    if problem is not None or not isinstance(amount, int):
        return _("%(problem)s Payment %(payment)s stays %(status)s; access was kept.") % {
            "problem": problem,
            "payment": payment.pk,
            "status": payment.status,
        }
    _refunded_total_apply(payment, amount)
    return None


def _refund_object(refund_data: dict[str, Any]) -> str | None:
    """A refund of one of our payments, as Stripe tells it: one this site asked for (by its
    Stripe id, or by the refund id in its metadata while the id is not stored yet) takes
    Stripe's status; one made elsewhere is recorded (source "stripe"). Return why the event
    needs staff's review (nothing changed), or ``None``."""
    payment = _payment_lock_for_intent(refund_data.get("payment_intent"))
    if payment is None:
        return _no_payment(_("Refund"), refund_data)
    stripe_id = refund_data.get("id")
    if not isinstance(stripe_id, str) or not stripe_id:
        return _("A refund without an id changes nothing.")
    refunds = Refund.objects.select_for_update(of=("self",)).filter(payment=payment)
    refund = refunds.filter(stripe_refund_id=stripe_id).first()
    if refund is None:
        ours = _as_uuid((refund_data.get("metadata") or {}).get("refund_id"))
        refund = refunds.filter(pk=ours, stripe_refund_id__isnull=True).first() if ours else None
        if refund is not None:
            refund.stripe_refund_id = stripe_id
            refund.save()
    status = refund_data.get("status")
    if refund is None:
        if status != "succeeded":
            return None  # its success follows (refund.updated)
        problem = _not_succeeded(payment) or _currency_mismatch(
            payment,
            refund_data.get("currency"),
            _("The refund's currency (%(currency)s) is not the payment's (%(expected)s)."),
        )
        amount = refund_data.get("amount")
        if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= payment.amount_cents:
            problem = problem or _("The refund's amount (%(amount)s) is not part of the payment's (%(expected)s).") % {
                "amount": amount,
                "expected": payment.amount_cents,
            }
        if problem is not None or not isinstance(amount, int):
            return problem
        refund = Refund.objects.create(
            payment=payment,
            amount_cents=amount,
            source=Refund.Source.STRIPE,
            reason=str(refund_data.get("reason") or _("Refunded in Stripe."))[:REASON_MAX_LENGTH],
            stripe_refund_id=stripe_id,
        )
    elif type(refund_data.get("amount")) is int and refund_data.get("amount") != refund.amount_cents:
        return _("Stripe's refund %(id)s is of %(amount)s, not the %(expected)s asked for.") % {
            "id": stripe_id,
            "amount": refund_data.get("amount"),
            "expected": refund.amount_cents,
        }
    _refund_status_apply(refund, status=status, failure=refund_data.get("failure_reason"))
    return None


def _dispute_created(dispute: dict[str, Any]) -> str | None:
    """Mark the disputed payment (by its stored PaymentIntent) and flag the event: staff
    answer disputes in Stripe's dashboard."""
    payment = _payment_lock_for_intent(dispute.get("payment_intent"))
    if payment is None:
        return _no_payment(_("Dispute"), dispute)
    payment.disputed_at = timezone.now()
    payment.dispute_reason = str(dispute.get("reason") or "")[:255]
    payment.save()
    return _("Payment %(payment)s (%(amount)s, %(user)s) is disputed (%(reason)s): answer it in Stripe.") % {
        "payment": payment.pk,
        "amount": _price(payment),
        "user": payment.user.email,
        "reason": payment.dispute_reason or "-",
    }


# Each handler applies one type of event to the object it carries; one that returns a
# reason has granted nothing (or needs staff) and flags the event for staff.
_HANDLERS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "checkout.session.completed": _session_paid,
    "checkout.session.async_payment_succeeded": _session_paid,
    "checkout.session.async_payment_failed": _session_payment_failed,
    "checkout.session.expired": _session_expired,
    "payment_intent.payment_failed": _intent_failed,
    "charge.refunded": _charge_refunded,
    "refund.created": _refund_object,
    "refund.updated": _refund_object,
    "refund.failed": _refund_object,
    "charge.refund.updated": _refund_object,
    "charge.dispute.created": _dispute_created,
}


def enrollment_grant(*, user: User, course: Course) -> Enrollment:
    """Staff grant ``user`` access to ``course`` (paid or free, published): enrol with
    source staff grant, or reopen an enrolment whose access ended with a refund. Refused
    with ``ApplicationError`` for an unpublished course. Audited like every change."""
    with transaction.atomic():
        enrollment = enrollment_create(user=user, course=course, source=Enrollment.Source.STAFF_GRANT)
        if enrollment.access_revoked_at is not None:
            enrollment.access_revoked_at = None
            enrollment.save()
    return enrollment
