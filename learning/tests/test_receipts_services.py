"""Receipts: every succeeded payment and refund gets exactly one — numbered in its series
(``R-YYYY-NNNNNN``, ``RF-YYYY-NNNNNN``), a PDF in private storage that shows the seller,
buyer, date, description, the price breakdown, total and currency (a refund: the amount
given back and why), and one e-mail that says what was bought and nothing else — also when
the task runs twice or at the same time."""

import io
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications, stored_files
from core.storage import private_storage
from learning.models import Payment, Receipt, Refund
from learning.notifications import LearningNotification
from learning.services.receipts import (
    receipt_issue_for_payment,
    receipt_issue_for_refund,
    receipt_number_next,
    receipt_render_pdf,
    receipts_reconcile,
)
from learning.signals import payment_succeeded, refund_succeeded
from learning.tasks import receipt_issue_task
from learning.tests.payments import PaymentFactory, succeeded
from learning.tests.test_certificates_issuing import require_postgresql, run_at_once

pytestmark = pytest.mark.django_db

YEAR = timezone.now().year


def paid_session(**kwargs) -> Payment:
    """A succeeded payment with a breakdown like a session's at a partner venue."""
    if "user" not in kwargs:
        kwargs["user"] = UserFactory(first_name="Amara", last_name="Okonkwo", email="amara@example.com")
    defaults = {
        "description": "Mentoring session with Jo Park, 60 min",
        "lines": [
            {"label": "Session, 60 min", "amount_cents": 8000},
            {"label": "In-person rate ×0.7", "amount_cents": -2400},
            {"label": "Gold partner venue: 30 % off", "amount_cents": -1680},
        ],
        "amount_cents": 3920,
        "currency": "EUR",
    }
    return succeeded(PaymentFactory(**{**defaults, **kwargs}))


def refund_of(payment: Payment, *, amount_cents: int | None = None, **kwargs) -> Refund:
    defaults = {
        "payment": payment,
        "amount_cents": amount_cents or payment.amount_cents,
        "source": Refund.Source.RULE,
        "rule": "mentor_cancelled",
        "reason": "The mentor cancelled the session.",
        "status": Refund.Status.SUCCEEDED,
        "succeeded_at": timezone.now(),
    }
    return Refund.objects.create(**{**defaults, **kwargs})


def pdf_text(receipt: Receipt) -> str:
    with receipt.file.storage.open(receipt.file.key) as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def receipt_emails() -> list:
    return [message for message in mail.outbox if "receipt" in message.subject.lower()]


def test_a_succeeded_payment_gets_one_receipt_pdf_and_email_through_the_signal(django_capture_on_commit_callbacks):
    payment = paid_session()

    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded.send(
            sender=Payment, payment_id=payment.pk, user_id=payment.user_id, kind=payment.kind, item_id=payment.item_id
        )

    receipt = Receipt.objects.select_related("file").get()
    assert (receipt.payment, receipt.kind, receipt.refund) == (payment, Receipt.Kind.PAYMENT, None)
    assert receipt.number == f"R-{YEAR}-000001"
    assert receipt.file.key == f"receipts/{payment.user_id}/R-{YEAR}-000001.pdf"
    assert receipt.file.storage == private_storage()
    assert receipt.emailed_at is not None
    notification = notifications().get(user=payment.user, type=LearningNotification.RECEIPT_ISSUED)
    assert notification.action_url == "/learn/payments/"
    [email] = receipt_emails()
    assert email.to == ["amara@example.com"]
    assert "R-" + str(YEAR) + "-000001" in email.subject
    assert "Mentoring session with Jo Park, 60 min" in email.body
    assert "€39.20" in email.body


def test_the_email_says_what_was_bought_and_nothing_else(django_capture_on_commit_callbacks):
    payment = paid_session()
    refund = refund_of(payment, reason="Staff note: the mentee complained about the mentor's private life.")

    with django_capture_on_commit_callbacks(execute=True):
        receipt_issue_task.delay(refund_id=str(refund.pk))

    [email] = receipt_emails()
    assert "€39.20" in email.body
    assert "Mentoring session with Jo Park, 60 min" in email.body
    assert "private life" not in email.body
    assert "Amara" in email.body  # the greeting only
    assert "In-person rate" not in email.body


def test_the_task_run_twice_makes_one_receipt_one_file_and_one_email(django_capture_on_commit_callbacks):
    payment = paid_session()

    with django_capture_on_commit_callbacks(execute=True):
        first = receipt_issue_task.delay(payment_id=str(payment.pk)).get()
    with django_capture_on_commit_callbacks(execute=True):
        second = receipt_issue_task.delay(payment_id=str(payment.pk)).get()

    assert first == second == str(Receipt.objects.get().pk)
    assert stored_files().filter(uploaded_by=payment.user).count() == 1
    assert private_storage().listdir(f"receipts/{payment.user_id}")[1] == [f"R-{YEAR}-000001.pdf"]
    assert notifications().filter(type=LearningNotification.RECEIPT_ISSUED).count() == 1
    assert len(receipt_emails()) == 1


def test_a_refund_gets_its_own_receipt_in_the_refund_series(django_capture_on_commit_callbacks):
    payment = paid_session()
    partial = refund_of(payment, amount_cents=1000, source=Refund.Source.STAFF, rule="", reason="Late start")
    with django_capture_on_commit_callbacks(execute=True):
        receipt_issue_task.delay(payment_id=str(payment.pk))
        refund_succeeded.send(
            sender=Refund,
            refund_id=partial.pk,
            payment_id=payment.pk,
            user_id=payment.user_id,
            kind=payment.kind,
            item_id=payment.item_id,
        )
        receipt_issue_task.delay(refund_id=str(partial.pk))

    receipts = {receipt.kind: receipt for receipt in Receipt.objects.select_related("file")}
    assert receipts[Receipt.Kind.PAYMENT].number == f"R-{YEAR}-000001"
    refund_receipt = receipts[Receipt.Kind.REFUND]
    assert refund_receipt.number == f"RF-{YEAR}-000001"
    assert refund_receipt.refund == partial
    text = pdf_text(refund_receipt)
    assert "Refund receipt" in text
    assert f"RF-{YEAR}-000001" in text
    assert f"R-{YEAR}-000001" in text  # the payment's own receipt
    assert "Refunded: €10.00" in text
    assert "Reason: Late start" in text
    assert "Total paid €39.20" in text
    assert len(receipt_emails()) == 2


def test_the_pdf_shows_seller_buyer_date_description_breakdown_total_and_currency(settings):
    settings.SITE_NAME = "Ascend"
    payment = paid_session(user=UserFactory(first_name="Amara", last_name="Okonkwo", timezone="Pacific/Auckland"))
    Payment.objects.filter(pk=payment.pk).update(succeeded_at=datetime(2026, 3, 14, 20, 30, tzinfo=UTC))
    receipt = receipt_issue_for_payment(payment_id=payment.pk)

    text = pdf_text(receipt_render_pdf(receipt_id=receipt.pk))

    assert text.count("Ascend") >= 2  # the seller, heading and line
    assert "Amara Okonkwo" in text
    assert payment.user.email in text
    assert "15 Mar 2026" in text  # 20:30 UTC is the next morning in Auckland
    assert "Mentoring session with Jo Park, 60 min" in text
    assert "Session, 60 min €80.00" in text
    assert "In-person rate ×0.7 -€24.00" in text
    assert "Gold partner venue: 30 % off -€16.80" in text
    assert "Total €39.20" in text
    assert "EUR" in text
    assert receipt.number in text


def test_numbers_are_consecutive_per_series_and_year():
    payments = [paid_session(user=UserFactory()) for _ in range(3)]
    numbers = [receipt_issue_for_payment(payment_id=payment.pk).number for payment in payments]
    refund = receipt_issue_for_refund(refund_id=refund_of(payments[0]).pk)

    assert numbers == [f"R-{YEAR}-{n:06d}" for n in (1, 2, 3)]
    assert refund.number == f"RF-{YEAR}-000001"


def test_the_counter_goes_on_past_six_digits():
    payment = paid_session()
    Receipt.objects.create(payment=payment, kind=Receipt.Kind.PAYMENT, number=f"R-{YEAR}-999999")
    Receipt.objects.create(
        payment=payment, refund=refund_of(payment), kind=Receipt.Kind.REFUND, number="RF-2025-000007"
    )
    with transaction.atomic():
        assert receipt_number_next(kind=Receipt.Kind.PAYMENT) == f"R-{YEAR}-1000000"
        assert receipt_number_next(kind=Receipt.Kind.REFUND) == f"RF-{YEAR}-000001"
        assert receipt_number_next(kind=Receipt.Kind.REFUND, year=2025) == "RF-2025-000008"


@pytest.mark.django_db(transaction=True)
def test_a_number_is_taken_only_inside_a_transaction():
    with pytest.raises(RuntimeError):
        receipt_number_next(kind=Receipt.Kind.PAYMENT)


@pytest.mark.parametrize("status", [Payment.Status.PENDING, Payment.Status.FAILED])
def test_an_unpaid_payment_gets_no_receipt(status):
    payment = PaymentFactory(status=status)

    assert receipt_issue_task.delay(payment_id=str(payment.pk)).get() is None
    assert not Receipt.objects.exists()


def test_a_payment_refunded_later_keeps_its_receipt_and_still_gets_one():
    payment = paid_session()
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.REFUNDED, refunded_at=timezone.now())

    assert receipt_issue_for_payment(payment_id=payment.pk).kind == Receipt.Kind.PAYMENT


@pytest.mark.parametrize("status", [Refund.Status.REQUESTED, Refund.Status.FAILED])
def test_a_refund_not_yet_made_gets_no_receipt(status):
    refund = refund_of(paid_session(), status=status, succeeded_at=None)

    assert receipt_issue_task.delay(refund_id=str(refund.pk)).get() is None
    assert not Receipt.objects.exists()


def test_the_task_needs_exactly_one_of_payment_and_refund():
    with pytest.raises(ValueError, match="either"):
        receipt_issue_task.delay().get()


def test_a_deleted_account_gets_a_numbered_receipt_but_no_pdf_and_no_email(django_capture_on_commit_callbacks):
    payment = paid_session()
    type(payment.user).objects.filter(pk=payment.user_id).update(erased_at=timezone.now(), is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        receipt_issue_task.delay(payment_id=str(payment.pk))

    receipt = Receipt.objects.get()
    assert receipt.number == f"R-{YEAR}-000001"
    assert receipt.file is None
    assert receipt.emailed_at is None
    assert not notifications().exists()
    assert receipt_emails() == []


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_runs_for_one_payment_make_one_receipt():
    require_postgresql()
    payment = paid_session()

    results = run_at_once(lambda: receipt_issue_for_payment(payment_id=payment.pk).pk, count=10)

    assert [result for result in results if isinstance(result, Exception)] == []
    assert set(results) == {Receipt.objects.get().pk}
    assert notifications().filter(type=LearningNotification.RECEIPT_ISSUED).count() == 1


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_ten_payments_at_once_get_ten_consecutive_numbers():
    require_postgresql()
    payments = [paid_session(user=UserFactory()) for _ in range(10)]
    queue = list(payments)
    lock = threading.Lock()

    def issue_next() -> str:
        with lock:
            payment = queue.pop()
        return receipt_issue_for_payment(payment_id=payment.pk).number

    results = run_at_once(issue_next, count=10)

    assert [result for result in results if isinstance(result, Exception)] == []
    assert sorted(results) == [f"R-{YEAR}-{n:06d}" for n in range(1, 11)]


def test_the_hourly_catch_up_queues_what_lost_tasks_left_unmade(django_capture_on_commit_callbacks, settings):
    an_hour_ago = timezone.now() - timedelta(hours=1)
    lost = paid_session()
    Payment.objects.filter(pk=lost.pk).update(succeeded_at=an_hour_ago)
    young = paid_session(user=UserFactory())
    lost_refund = refund_of(lost, amount_cents=500, succeeded_at=an_hour_ago)
    unrendered = receipt_issue_for_payment(payment_id=paid_session(user=UserFactory()).pk)
    Receipt.objects.filter(pk=unrendered.pk).update(created_at=an_hour_ago)
    from_before_receipts = paid_session(user=UserFactory())
    Payment.objects.filter(pk=from_before_receipts.pk).update(succeeded_at=timezone.now() - timedelta(days=3))

    with django_capture_on_commit_callbacks(execute=True):
        assert receipts_reconcile() == 3

    assert Receipt.objects.filter(payment=lost, kind=Receipt.Kind.PAYMENT, file__isnull=False).exists()
    assert Receipt.objects.filter(refund=lost_refund, file__isnull=False).exists()
    assert not Receipt.objects.filter(payment=young).exists()  # left to its own task
    assert not Receipt.objects.filter(payment=from_before_receipts).exists()  # no surprise e-mail
    unrendered.refresh_from_db()
    assert unrendered.file is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert receipts_reconcile() == 0
    entry = settings.CELERY_BEAT_SCHEDULE["learning.receipts_reconcile"]
    assert entry == {"task": "learning.tasks.receipts_reconcile_task", "schedule": timedelta(hours=1)}


def test_the_demo_gives_its_paid_items_their_receipts(django_capture_on_commit_callbacks):
    from learning.demo.receipts import seed_receipts

    payment = paid_session()
    refund = refund_of(payment)

    with django_capture_on_commit_callbacks(execute=True):
        seed_receipts()
    with django_capture_on_commit_callbacks(execute=True):
        seed_receipts()

    assert sorted(Receipt.objects.values_list("number", flat=True)) == [f"R-{YEAR}-000001", f"RF-{YEAR}-000001"]
    assert Receipt.objects.get(refund=refund).file is not None


def test_paying_and_refunding_through_stripe_give_one_receipt_each(
    client, stripe_fake, django_capture_on_commit_callbacks
):
    """The whole way: Checkout at (fake) Stripe, its signed webhook, ``payment_succeeded``,
    the receipt; then a staff refund sent to Stripe, its ``charge.refunded`` webhook,
    ``refund_succeeded``, the refund receipt. The signals heard again change nothing."""
    from learning.services.payments import payment_refund_by_staff
    from learning.tests.factories import CourseFactory

    user = UserFactory()
    course = CourseFactory(price_cents=4900, currency="USD", title="Directing your first short film")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("learning:course-buy", kwargs={"slug": course.slug}))
    payment = Payment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert stripe_fake.pay(payment, client=client).status_code == 200

    receipt = Receipt.objects.select_related("file").get()
    assert receipt.number == f"R-{YEAR}-000001"
    text = pdf_text(receipt)
    assert "Directing your first short film $49.00" in text
    assert "Total $49.00" in text

    with django_capture_on_commit_callbacks(execute=True):
        payment_refund_by_staff(payment=payment, amount_cents=900, reason="Sound was missing in module 2", by=user)
    with django_capture_on_commit_callbacks(execute=True):
        stripe_fake.deliver_pending(client)
    refund_receipt = Receipt.objects.select_related("file").get(kind=Receipt.Kind.REFUND)
    assert refund_receipt.number == f"RF-{YEAR}-000001"
    assert "Refunded: $9.00" in pdf_text(refund_receipt)
    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded.send(sender=Payment, payment_id=payment.pk, user_id=user.pk, kind="course", item_id=course.pk)
        refund_succeeded.send(
            sender=Refund,
            refund_id=refund_receipt.refund_id,
            payment_id=payment.pk,
            user_id=user.pk,
            kind="course",
            item_id=course.pk,
        )
    assert Receipt.objects.count() == 2
    assert len(receipt_emails()) == 2


def test_paying_and_a_refund_send_one_email_each_the_receipt(client, stripe_fake, django_capture_on_commit_callbacks):
    """The payment's own notices (in the notification list) are not e-mailed beside the
    receipt: paying for a course e-mails the receipt and the enrolment (as before
    payments had receipts), a refund e-mails its receipt only."""
    from learning.services.payments import payment_refund_by_staff
    from learning.tests.factories import CourseFactory

    user = UserFactory()
    course = CourseFactory(price_cents=4900, currency="USD", title="Directing your first short film")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("learning:course-buy", kwargs={"slug": course.slug}))
    payment = Payment.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        stripe_fake.pay(payment, client=client)
    assert sorted((message.to, message.subject) for message in mail.outbox) == [
        ([user.email], f"Receipt R-{YEAR}-000001 for “Directing your first short film”"),
        ([user.email], "You are enrolled in “Directing your first short film”"),
    ]
    assert notifications().filter(user=user, type=LearningNotification.PAYMENT_UPDATE).count() == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        payment_refund_by_staff(payment=payment, amount_cents=900, reason="Sound was missing in module 2", by=user)
    with django_capture_on_commit_callbacks(execute=True):
        stripe_fake.deliver_pending(client)
    assert [(message.to, message.subject) for message in mail.outbox] == [
        ([user.email], f"Refund receipt RF-{YEAR}-000001 for “Directing your first short film”")
    ]
    assert notifications().filter(user=user, type=LearningNotification.PAYMENT_UPDATE).count() == 2
