"""Payments through Stripe Checkout with the official ``stripe`` library.

Buying: :func:`checkout_start` records a pending :class:`Payment` and opens a Checkout
Session for it (the only call to Stripe's API). Nothing is granted on the way back from
Stripe: only Stripe's webhook, verified by its signature, changes a payment —
:func:`webhook_event_apply` applies each event once (its id is stored in
:class:`StripeEvent` in the same transaction as its effect):

- ``checkout.session.completed`` (paid) and ``checkout.session.async_payment_succeeded``:
  the payment succeeds and the learner is enrolled (source payment; access restored if a
  refund had removed it) — only when the session is the one :func:`checkout_start` created
  for it (found by the stored Checkout Session id, never by the reference the session
  carries), is paid (``payment_status`` "paid") and its ``amount_total`` and ``currency``
  are the payment's. A session that is not — one created elsewhere on the same Stripe
  account with our payment's id as its reference, a $1 session, another currency —
  grants nothing: its event is flagged for staff (``StripeEvent.needs_review`` with the
  reason, listed in admin);
- ``checkout.session.async_payment_failed``, ``checkout.session.expired`` and
  ``payment_intent.payment_failed``: a pending payment fails, with the reason;
- ``charge.refunded`` (fully refunded): the payment is refunded and the enrolment's access
  ends (``Enrollment.access_revoked_at``; the enrolment is kept);
- any other type is recorded and ignored.

Refunds and PaymentIntent failures name no Checkout Session: they are matched only by the
PaymentIntent id stored from our own session (its ``payment_intent``, kept when the session
completes, paid or not yet), never by the payment id in their metadata, which any charge
on the same Stripe account can carry. A failure whose intent is not known (yet) changes
nothing — the session's own expiry or failure does. A refund that matches no payment, of a
payment that has not succeeded, partial (the course stays open) or not of the payment's
amount and currency changes nothing and is flagged for staff.

The learner is notified (``payment_update``) of success, failure and refund after commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from learning.models import Course, Enrollment, Payment, StripeEvent
from learning.notifications import LearningNotification
from learning.rendering import price_display
from learning.services.enrollments import enrollment_create

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

NOT_CONFIGURED_MESSAGE = gettext_lazy(
    "Payments are not configured on this site yet — ask staff to grant you access to this course."
)
FAILURE_REASON_MAX_LENGTH = 500
REVIEW_REASON_MAX_LENGTH = 500


def payments_configured() -> bool:
    """Whether buying is possible: both the Stripe secret key and the webhook secret are set
    (without the webhook no payment could ever complete)."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


@dataclass(frozen=True)
class CheckoutStarted:
    payment: Payment
    checkout_url: str


def checkout_start(*, user: User, course: Course, success_url: str, cancel_url: str) -> CheckoutStarted:
    """Start buying ``course``: record a pending payment (the course's price and currency)
    and create a Stripe Checkout Session for it; return the payment and the session's URL,
    where the learner pays.

    ``success_url`` may contain Stripe's ``{CHECKOUT_SESSION_ID}`` placeholder. Refused with
    ``ApplicationError`` (nothing recorded): payments not configured, a course that is not
    published, a free course (enrol instead), a course the user is already enrolled in
    with access. When Stripe refuses or cannot be reached the payment is kept as failed
    with the reason, and ``ApplicationError`` says to try again.
    """
    if not payments_configured():
        raise ApplicationError(str(NOT_CONFIGURED_MESSAGE))
    if not course.published:
        raise ApplicationError(_("This course is not open for enrolment."))
    if course.is_free:
        raise ApplicationError(_("This course is free: enrol instead of buying it."))
    if Enrollment.objects.filter(user=user, course=course, access_revoked_at__isnull=True).exists():
        raise ApplicationError(_("You are already enrolled in this course."))
    payment = Payment.objects.create(
        user=user,
        kind=Payment.KIND_COURSE,
        item_id=course.pk,
        course=course,
        description=course.title[:255],
        lines=[{"label": course.title, "amount_cents": course.price_cents}],
        amount_cents=course.price_cents,
        currency=course.currency.upper(),
    )
    try:
        session = stripe.checkout.Session.create(
            api_key=settings.STRIPE_SECRET_KEY,
            idempotency_key=f"checkout-{payment.pk}",
            mode="payment",
            line_items=[
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": course.currency.lower(),
                        "unit_amount": course.price_cents,
                        "product_data": {"name": course.title},
                    },
                }
            ],
            client_reference_id=str(payment.pk),
            metadata={"payment_id": str(payment.pk), "course_id": str(course.pk), "user_id": str(user.pk)},
            payment_intent_data={"metadata": {"payment_id": str(payment.pk)}},
            customer_email=user.email,
            success_url=success_url,
            cancel_url=cancel_url,
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
    id is the session's (the id Stripe gave :func:`checkout_start`). The reference the
    session carries (``client_reference_id``, ``metadata.payment_id``) is never trusted:
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


def _money_mismatch(
    payment: Payment, *, amount: Any, currency: Any, amount_wrong: str, currency_wrong: str
) -> str | None:
    """``amount_wrong`` or ``currency_wrong`` (filled in) unless ``amount`` is the payment's
    amount in cents and ``currency`` its currency (any case); ``None`` when both are."""
    if type(amount) is not int or amount != payment.amount_cents:
        return amount_wrong % {"amount": amount, "expected": payment.amount_cents}
    if not isinstance(currency, str) or currency.upper() != payment.currency.upper():
        return currency_wrong % {"currency": currency, "expected": payment.currency}
    return None


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


def _notify(payment: Payment, *, title: str, message: str) -> None:
    transaction.on_commit(
        lambda: notification_send(
            user=payment.user,
            type=LearningNotification.PAYMENT_UPDATE,
            title=title,
            message=message,
            related=payment,
            action_url=reverse("learning:payment-list"),
        )
    )


def _price(payment: Payment) -> str:
    return price_display(price_cents=payment.amount_cents, currency=payment.currency)


def _session_paid(session: dict[str, Any]) -> str | None:
    """Succeed the session's payment and enrol; return why the event needs staff's review
    instead (nothing granted), or ``None``."""
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
    if payment.status in (Payment.Status.SUCCEEDED, Payment.Status.REFUNDED):
        return None
    payment.status = Payment.Status.SUCCEEDED
    payment.succeeded_at = timezone.now()
    payment.failure_reason = ""
    intent_id = session.get("payment_intent")
    if isinstance(intent_id, str) and intent_id:
        payment.stripe_payment_intent_id = intent_id
    payment.save()
    if payment.course is None:  # not a course: handed over by its purchase kind (to come)
        return None
    enrollment = enrollment_create(user=payment.user, course=payment.course, source=Enrollment.Source.PAYMENT)
    if enrollment.access_revoked_at is not None:
        enrollment.access_revoked_at = None
        enrollment.save()
    _notify(
        payment,
        title=_("Payment received for “%(course)s”") % {"course": payment.description},
        message=_("Thank you: %(price)s received. The course is open in My learning.") % {"price": _price(payment)},
    )
    return None


def _fail(payment: Payment | None, *, reason: str) -> None:
    if payment is None or payment.status != Payment.Status.PENDING:
        return
    payment.status = Payment.Status.FAILED
    payment.failure_reason = reason[:FAILURE_REASON_MAX_LENGTH]
    payment.save()
    _notify(
        payment,
        title=_("Payment for “%(course)s” did not go through") % {"course": payment.description},
        message=_("%(reason)s You were not charged; you can try again from the course page.") % {"reason": reason},
    )


def _session_payment_failed(session: dict[str, Any]) -> None:
    _fail(_payment_lock_for_session(session), reason=_("The payment did not go through."))


def _session_expired(session: dict[str, Any]) -> None:
    _fail(_payment_lock_for_session(session), reason=_("The checkout expired before the payment was made."))


def _intent_failed(intent: dict[str, Any]) -> None:
    """Fail the pending payment whose stored PaymentIntent this is. An intent not known
    (yet) — a decline inside an open checkout, where the learner may still pay — changes
    nothing and is not flagged: the session's expiry or failure ends that payment."""
    error = intent.get("last_payment_error") or {}
    reason = error.get("message") or _("The payment was declined.")
    _fail(_payment_lock_for_intent(intent.get("id")), reason=reason)


def _refund_mismatch(charge: dict[str, Any], payment: Payment) -> str | None:
    """Why a refunded charge does not refund ``payment`` in full, or ``None`` when it does:
    fully refunded, of the payment's amount, in its currency (case-insensitive)."""
    amount = charge.get("amount_refunded")
    if charge.get("refunded") is not True:
        return _("A partial refund (%(amount)s of %(expected)s) keeps the course open.") % {
            "amount": amount,
            "expected": payment.amount_cents,
        }
    return _money_mismatch(
        payment,
        amount=amount,
        currency=charge.get("currency"),
        amount_wrong=_("The refunded amount (%(amount)s) is not the payment's (%(expected)s)."),
        currency_wrong=_("The refund's currency (%(currency)s) is not the payment's (%(expected)s)."),
    )


def _charge_refunded(charge: dict[str, Any]) -> str | None:
    """Refund the payment whose stored PaymentIntent the charge has and end the enrolment's
    access; return why the event needs staff's review instead (nothing changed), or ``None``."""
    payment = _payment_lock_for_intent(charge.get("payment_intent"))
    if payment is None:
        referenced = _as_uuid((charge.get("metadata") or {}).get("payment_id"))
        return _(
            "Refunded charge %(charge)s (PaymentIntent %(intent)s) matches no payment of this site%(claim)s; "
            "nothing was refunded."
        ) % {
            "charge": charge.get("id"),
            "intent": charge.get("payment_intent") or "-",
            "claim": _(" (it names payment %(payment)s)") % {"payment": referenced} if referenced else "",
        }
    if payment.status == Payment.Status.REFUNDED:
        return None
    if payment.status != Payment.Status.SUCCEEDED:
        return _("Payment %(payment)s is %(status)s, not succeeded; nothing was refunded.") % {
            "payment": payment.pk,
            "status": payment.status,
        }
    mismatch = _refund_mismatch(charge, payment)
    if mismatch is not None:
        return _("%(mismatch)s Payment %(payment)s stays succeeded; access was kept.") % {
            "mismatch": mismatch,
            "payment": payment.pk,
        }
    now = timezone.now()
    payment.status = Payment.Status.REFUNDED
    payment.refunded_at = now
    payment.save()
    enrollment = Enrollment.objects.select_for_update().filter(user=payment.user, course=payment.course).first()
    if enrollment is not None and enrollment.access_revoked_at is None:
        enrollment.access_revoked_at = now
        enrollment.save()
    _notify(
        payment,
        title=_("Refund for “%(course)s”") % {"course": payment.description},
        message=_("%(price)s was refunded. Your access to this course ended with the refund.")
        % {"price": _price(payment)},
    )
    return None


# Each handler applies one type of event to the object it carries; one that returns a
# reason has granted nothing and flags the event for staff.
_HANDLERS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "checkout.session.completed": _session_paid,
    "checkout.session.async_payment_succeeded": _session_paid,
    "checkout.session.async_payment_failed": _session_payment_failed,
    "checkout.session.expired": _session_expired,
    "payment_intent.payment_failed": _intent_failed,
    "charge.refunded": _charge_refunded,
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
