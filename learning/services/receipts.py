"""Writes of receipts: every succeeded payment and every succeeded refund gets exactly one
:class:`~learning.models.Receipt` — a number, a PDF kept in private storage and an e-mail
to the buyer.

``learning.receivers`` hears ``payment_succeeded`` and ``refund_succeeded`` and enqueues
:func:`learning.tasks.receipt_issue_task`, which calls :func:`receipt_issue_for_payment`
or :func:`receipt_issue_for_refund` and then :func:`receipt_render_pdf`. Each step is safe to
run twice: the receipt is created under the payment's row lock (the database's constraints
— one payment receipt per payment, one receipt per refund, unique numbers — back it up),
the e-mail goes with the creation only, and the PDF is stored once.

Numbers are ``R-YYYY-NNNNNN`` for payments and ``RF-YYYY-NNNNNN`` for refunds: the year
the receipt is made and that year's counter of the series, zero-padded to six digits —
unique, consecutive and never reused (see :func:`receipt_number_next`).

What a receipt shows (:func:`receipt_document`) is read from the payment as it was paid:
its ``description`` and ``lines`` — the breakdown the preview showed and Checkout charged —
total and currency, formatted by :func:`core.money.money_display`; a refund receipt adds
the amount given back and why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Length
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.files import file_store_generated, storage_object_delete
from accounts.services.notifications import notification_send
from core.money import money_display
from core.storage import private_storage
from learning.models import Payment, Receipt, Refund
from learning.notifications import LearningNotification
from learning.selectors.receipts import payment_description

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

RECEIPT_PDF_TEMPLATE = "learning/receipts/pdf.html"
RECEIPT_PDF_MIME_TYPE = "application/pdf"
RECEIPT_PDF_TAG = "receipt"
RECEIPT_NUMBER_DIGITS = 6
RECEIPT_NUMBER_PREFIXES: dict[str, str] = {Receipt.Kind.PAYMENT: "R", Receipt.Kind.REFUND: "RF"}
# The PostgreSQL advisory lock that makes receipt numbering take turns (any fixed number
# no other code of the project uses as an advisory lock key).
_NUMBER_LOCK_KEY = 7_201_017


def receipt_number_format(*, kind: str, year: int, sequence: int) -> str:
    """``R-YYYY-NNNNNN`` (payments) or ``RF-YYYY-NNNNNN`` (refunds): the counter
    zero-padded to six digits (a seventh appears only past a million in one year)."""
    return f"{RECEIPT_NUMBER_PREFIXES[kind]}-{year:04d}-{sequence:0{RECEIPT_NUMBER_DIGITS}d}"


def receipt_number_next(*, kind: str, year: int | None = None) -> str:
    """Take the next receipt number of the ``kind``'s series in ``year`` (default: this
    year). Call it inside the transaction that creates the receipt.

    The counter is the highest number of the series and year already given, so numbers are
    consecutive and never reused (receipts are never deleted). Concurrent issuers take turns
    on a transaction-scoped advisory lock on PostgreSQL; SQLite (the embedded default) takes
    its write lock when a transaction begins, which serialises them already. Receipt numbers
    follow the certificates' ``PREFIX-YYYY-NNNNNN`` shape; they do not share
    :class:`~learning.models.CertificateSequence`, whose counter rows are keyed by the year
    alone.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("receipt_number_next must run inside the transaction that creates the receipt.")
    year = year or timezone.now().year
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_NUMBER_LOCK_KEY])
    prefix = receipt_number_format(kind=kind, year=year, sequence=0)[:-RECEIPT_NUMBER_DIGITS]
    last = (
        Receipt.objects.filter(number__startswith=prefix)
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return receipt_number_format(kind=kind, year=year, sequence=sequence)


def receipt_list_path() -> str:
    """The buyer's payment history, where receipts are downloaded."""
    return reverse("learning:payment-list")


def _payment_lock(payment_id: UUID | str) -> Payment | None:
    return Payment.objects.select_for_update(of=("self",)).select_related("user").filter(pk=payment_id).first()


def _receipt_create(*, payment: Payment, refund: Refund | None) -> Receipt:
    kind = Receipt.Kind.REFUND if refund is not None else Receipt.Kind.PAYMENT
    receipt = Receipt.objects.create(payment=payment, refund=refund, kind=kind, number=receipt_number_next(kind=kind))
    if payment.user.erased_at is None:
        _receipt_notify(receipt=receipt, payment=payment, refund=refund)
        receipt.emailed_at = timezone.now()
        receipt.save(update_fields=["emailed_at", "updated_at"])
    return receipt


def _receipt_notify(*, receipt: Receipt, payment: Payment, refund: Refund | None) -> None:
    """Tell the buyer, in the app and always by e-mail (a receipt is theirs to keep, not
    subject to the e-mail preference; the notification's e-mail task sends it once, after
    commit, to an active account). The message says what was bought and the amounts,
    nothing else; the PDF is downloaded from the payment history."""
    what = payment_description(payment)
    if refund is None:
        title = _("Receipt %(number)s for “%(what)s”") % {"number": receipt.number, "what": what}
        message = _("You paid %(amount)s for “%(what)s”. Receipt %(number)s is in your payment history.") % {
            "amount": money_display(payment.amount_cents, payment.currency),
            "what": what,
            "number": receipt.number,
        }
    else:
        title = _("Refund receipt %(number)s for “%(what)s”") % {"number": receipt.number, "what": what}
        message = _(
            "%(amount)s of your payment for “%(what)s” was refunded. Receipt %(number)s is in your payment history."
        ) % {
            "amount": money_display(refund.amount_cents, payment.currency),
            "what": what,
            "number": receipt.number,
        }
    notification_send(
        user=payment.user,
        type=LearningNotification.RECEIPT_ISSUED,
        title=title,
        message=message,
        related=receipt,
        action_url=receipt_list_path(),
        email=True,
    )


@transaction.atomic
def receipt_issue_for_payment(*, payment_id: UUID | str) -> Receipt | None:
    """The receipt of a succeeded payment, made exactly once: numbered, and its buyer
    notified and e-mailed (not when they deleted their account: the receipt is still
    numbered, as a financial record). Returns the existing receipt when there is one.

    ``None`` and nothing done when the payment is gone or never succeeded (a payment
    refunded later keeps its receipt and still gets one). The payment's row is locked
    first, so concurrent calls (a task run twice, a repeated signal) take turns and all but
    the first find the receipt there."""
    payment = _payment_lock(payment_id)
    if payment is None or payment.succeeded_at is None:
        return None
    existing = Receipt.objects.filter(payment=payment, kind=Receipt.Kind.PAYMENT).first()
    return existing or _receipt_create(payment=payment, refund=None)


@transaction.atomic
def receipt_issue_for_refund(*, refund_id: UUID | str) -> Receipt | None:
    """The receipt of a succeeded refund, made exactly once (as
    :func:`receipt_issue_for_payment`, under the refunded payment's row lock). ``None`` and
    nothing done when the refund is gone or has not succeeded."""
    payment_id = Refund.objects.filter(pk=refund_id).values_list("payment_id", flat=True).first()
    if payment_id is None:
        return None
    payment = _payment_lock(payment_id)
    refund = Refund.objects.filter(pk=refund_id).first()
    if payment is None or refund is None or refund.status != Refund.Status.SUCCEEDED:
        return None
    existing = Receipt.objects.filter(refund=refund).first()
    return existing or _receipt_create(payment=payment, refund=refund)


@dataclass(frozen=True)
class ReceiptLine:
    label: str
    amount: str


@dataclass(frozen=True)
class ReceiptDocument:
    """What a receipt shows, formatted: the PDF prints exactly this."""

    number: str
    title: str
    seller: str
    buyer_name: str
    buyer_email: str
    dated: datetime
    description: str
    lines: list[ReceiptLine]
    total: str
    currency: str
    payment_receipt_number: str | None
    refunded: str | None
    refund_reason: str


def receipt_lines(payment: Payment) -> list[ReceiptLine]:
    """The payment's price breakdown, formatted in its currency (one line with the whole
    amount for a payment recorded without one)."""
    raw: list[dict[str, Any]] = payment.lines or [
        {"label": payment_description(payment), "amount_cents": payment.amount_cents}
    ]
    return [
        ReceiptLine(label=str(line["label"]), amount=money_display(int(line["amount_cents"]), payment.currency))
        for line in raw
    ]


def receipt_document(*, receipt: Receipt) -> ReceiptDocument:
    """What ``receipt`` shows. Needs ``payment__user`` and ``refund`` loaded (or costs a
    query each); for a refund receipt one more query finds the payment's own receipt."""
    payment = receipt.payment
    user: User = payment.user
    refund = receipt.refund
    if refund is None:
        title = _("Receipt")
        dated = payment.succeeded_at or receipt.created_at
        payment_receipt_number = None
    else:
        title = _("Refund receipt")
        dated = refund.succeeded_at or receipt.created_at
        payment_receipt_number = (
            Receipt.objects.filter(payment_id=payment.pk, kind=Receipt.Kind.PAYMENT)
            .values_list("number", flat=True)
            .first()
        )
    return ReceiptDocument(
        number=receipt.number,
        title=title,
        seller=settings.SITE_NAME,
        buyer_name=user.display_name,
        buyer_email=user.email,
        dated=dated,
        description=payment_description(payment),
        lines=receipt_lines(payment),
        total=money_display(payment.amount_cents, payment.currency),
        currency=payment.currency.upper(),
        payment_receipt_number=payment_receipt_number,
        refunded=money_display(refund.amount_cents, payment.currency) if refund is not None else None,
        refund_reason=refund.reason if refund is not None else "",
    )


def receipt_pdf_key(*, receipt: Receipt) -> str:
    """``receipts/{userId}/{number}.pdf`` in the private storage (beside
    ``certificates/{userId}/{number}.pdf``)."""
    return f"receipts/{receipt.payment.user_id}/{receipt.number}.pdf"


def receipt_pdf_bytes(*, receipt: Receipt) -> bytes:
    """The receipt as an A4 PDF (dates in the buyer's time zone). Pure: stores nothing."""
    document = receipt_document(receipt=receipt)
    with timezone.override(receipt.payment.user.timezone or "UTC"):
        html = render_to_string(
            RECEIPT_PDF_TEMPLATE, {"receipt": document, "dated": timezone.localtime(document.dated)}
        )
    # Imported here: WeasyPrint takes half a second to load, which only PDF makers should pay.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Nothing in the page may make the renderer reach the network or read local files:
    # labels and names come from people.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def _receipt_lock(*, receipt_id: UUID | str) -> Receipt | None:
    return (
        Receipt.objects.select_for_update(of=("self",))
        .select_related("payment__user", "payment__course", "refund")
        .filter(pk=receipt_id)
        .first()
    )


def receipt_render_pdf(*, receipt_id: UUID | str) -> Receipt | None:
    """Render the receipt's PDF and store it privately at ``receipts/{userId}/{number}.pdf``,
    once: a receipt that has its file already is returned unchanged (what it shows never
    changes). ``None`` and nothing stored when the receipt is gone or its buyer deleted
    their account.

    Must run outside any transaction (the body of a task): it renders first, then stores
    under the receipt's row lock, clearing any object a failed earlier run left at the key.
    Storage errors raise ``OSError`` (the task retries)."""
    receipt = Receipt.objects.select_related("payment__user", "payment__course", "refund").filter(pk=receipt_id).first()
    if receipt is None or receipt.payment.user.erased_at is not None:
        return None
    if receipt.file_id is not None:
        return receipt
    content = receipt_pdf_bytes(receipt=receipt)
    with transaction.atomic(durable=True):
        locked = _receipt_lock(receipt_id=receipt_id)
        if locked is None or locked.payment.user.erased_at is not None:
            return None
        if locked.file_id is not None:
            return locked  # a concurrent run stored it meanwhile
        key = receipt_pdf_key(receipt=locked)
        storage_object_delete(storage=private_storage(), key=key)
        locked.file = file_store_generated(
            user=locked.payment.user,
            name=f"{locked.number}.pdf",
            content=content,
            mime_type=RECEIPT_PDF_MIME_TYPE,
            key=key,
            tags=[RECEIPT_PDF_TAG],
        )
        locked.save(update_fields=["file", "updated_at"])
    return locked


def receipts_render_missing(*, receipts: QuerySet[Receipt]) -> int:
    """Queue the PDF of each of ``receipts`` that has none (its rendering failed for good),
    except those of deleted accounts; returns how many were queued. The receipt task does
    the work after commit: it finds the receipt there and only stores the file."""
    from learning.tasks import receipt_issue_task

    missing = receipts.filter(file__isnull=True, payment__user__erased_at__isnull=True)
    count = 0
    for payment_id, refund_id in missing.values_list("payment_id", "refund_id"):
        if refund_id is not None:
            receipt_issue_task.delay_on_commit(refund_id=str(refund_id))
        else:
            receipt_issue_task.delay_on_commit(payment_id=str(payment_id))
        count += 1
    return count


RECONCILE_GRACE = timedelta(minutes=10)
RECONCILE_WINDOW = timedelta(days=2)
RECONCILE_BATCH = 200


def receipts_reconcile(*, now: datetime | None = None, grace: timedelta = RECONCILE_GRACE) -> int:
    """Catch up on receipts a lost task left unmade; returns how many receipt tasks were
    queued. Scheduled hourly; safe to run any time (the task makes each receipt once).

    Queues :func:`learning.tasks.receipt_issue_task` for payments and refunds that succeeded
    more than ``grace`` ago without a receipt, and for receipts made more than ``grace`` ago
    still without their PDF (not those of deleted accounts) — at most
    :data:`RECONCILE_BATCH` of each per run. Younger ones are left to their own tasks; those
    that succeeded more than :data:`RECONCILE_WINDOW` ago are left alone too (payments from
    before receipts existed: no one is e-mailed a receipt for an old purchase out of the
    blue)."""
    from learning.tasks import receipt_issue_task

    now = now or timezone.now()
    cutoff, since = now - grace, now - RECONCILE_WINDOW
    payment_ids = (
        Payment.objects.filter(succeeded_at__lte=cutoff, succeeded_at__gte=since)
        .exclude(Exists(Receipt.objects.filter(payment_id=OuterRef("pk"), kind=Receipt.Kind.PAYMENT)))
        .order_by("succeeded_at")
        .values_list("pk", flat=True)[:RECONCILE_BATCH]
    )
    refund_ids = (
        Refund.objects.filter(
            status=Refund.Status.SUCCEEDED, succeeded_at__lte=cutoff, succeeded_at__gte=since, receipt__isnull=True
        )
        .order_by("succeeded_at")
        .values_list("pk", flat=True)[:RECONCILE_BATCH]
    )
    queued = 0
    for payment_id in payment_ids:
        receipt_issue_task.delay_on_commit(payment_id=str(payment_id))
        queued += 1
    for refund_id in refund_ids:
        receipt_issue_task.delay_on_commit(refund_id=str(refund_id))
        queued += 1
    queued += receipts_render_missing(
        receipts=Receipt.objects.filter(
            pk__in=Receipt.objects.filter(created_at__lte=cutoff, file__isnull=True)
            .order_by("created_at")
            .values("pk")[:RECONCILE_BATCH]
        )
    )
    if queued:
        logger.warning("Receipts caught up: %d receipt tasks queued.", queued)
    return queued
