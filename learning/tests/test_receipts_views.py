"""Receipt downloads and listings: the buyer gets a short-lived signed URL of the PDF (page
and API); anyone else a 404; while the PDF is being prepared, a note; the payment history
links each payment's receipts in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.storage import private_file_name_from_token
from learning.models import Payment, Receipt, Refund
from learning.services.receipts import receipt_issue_for_payment, receipt_issue_for_refund, receipt_render_pdf
from learning.tests.payments import PaymentFactory, succeeded

pytestmark = pytest.mark.django_db

PAYMENTS_URL = reverse("learning:payment-list")
RECEIPTS_API = "/api/v1/learning/receipts/"


def download_url(receipt: Receipt) -> str:
    return reverse("learning:receipt-download", kwargs={"pk": receipt.pk})


def paid(user=None) -> Payment:
    return succeeded(PaymentFactory(user=user or UserFactory()))


def issued(payment: Payment, *, rendered: bool = True) -> Receipt:
    receipt = receipt_issue_for_payment(payment_id=payment.pk)
    return receipt_render_pdf(receipt_id=receipt.pk) if rendered else receipt


def refunded(payment: Payment, amount_cents: int, *, rendered: bool = True) -> Receipt:
    refund = Refund.objects.create(
        payment=payment,
        amount_cents=amount_cents,
        source=Refund.Source.STAFF,
        reason="Goodwill",
        status=Refund.Status.SUCCEEDED,
        succeeded_at=timezone.now(),
    )
    receipt = receipt_issue_for_refund(refund_id=refund.pk)
    return receipt_render_pdf(receipt_id=receipt.pk) if rendered else receipt


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def signed_name(url: str) -> str:
    token = url.rstrip("/").rsplit("/", 1)[-1]
    return private_file_name_from_token(token)


# --- the page download -----------------------------------------------------------------


def test_the_buyer_is_sent_to_a_signed_url_of_the_pdf(client):
    receipt = issued(paid())
    client.force_login(receipt.payment.user)

    response = client.get(download_url(receipt))

    assert response.status_code == 302
    assert signed_name(response.url) == f"receipts/{receipt.payment.user_id}/{receipt.number}.pdf"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    pdf = client.get(response.url)
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_someone_elses_receipt_is_a_404_even_for_staff(client, admin_user):
    receipt = issued(paid())
    for other in (UserFactory(), admin_user):
        client.force_login(other)
        assert client.get(download_url(receipt)).status_code == 404


def test_the_download_needs_sign_in(client):
    receipt = issued(paid())
    response = client.get(download_url(receipt))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_receipt_being_prepared_goes_back_to_the_history_with_a_note(client):
    receipt = issued(paid(), rendered=False)
    client.force_login(receipt.payment.user)

    response = client.get(download_url(receipt), follow=True)

    assert response.redirect_chain == [(PAYMENTS_URL, 302)]
    assert f"The PDF of receipt {receipt.number} is being prepared." in response.content.decode()


def test_the_payment_history_links_each_payments_receipts(client, django_assert_max_num_queries):
    user = UserFactory()
    first = issued(paid(user))
    refund = refunded(first.payment, 1000)
    preparing = issued(paid(user), rendered=False)
    others = issued(paid())
    client.force_login(user)

    page = client.get(PAYMENTS_URL).content.decode()

    for receipt in (first, refund, preparing):
        assert download_url(receipt) in page
        assert receipt.number in page
    assert download_url(others) not in page

    few = queries_of(client, PAYMENTS_URL)
    for _ in range(15):
        refunded(issued(paid(user), rendered=False).payment, 100, rendered=False)
    with django_assert_max_num_queries(few):
        assert client.get(PAYMENTS_URL).status_code == 200


# --- the API -----------------------------------------------------------------------------


def test_the_api_lists_my_receipts_with_signed_pdf_urls(client, django_assert_max_num_queries):
    user = UserFactory()
    payment_receipt = issued(paid(user))
    refund_receipt = refunded(payment_receipt.payment, 1200)
    preparing = issued(paid(user), rendered=False)
    issued(paid())
    client.force_login(user)

    data = client.get(RECEIPTS_API).json()

    rows = {row["number"]: row for row in data["results"]}
    assert set(rows) == {payment_receipt.number, refund_receipt.number, preparing.number}
    row = rows[payment_receipt.number]
    assert row["kind"] == "payment"
    assert row["payment"] == str(payment_receipt.payment_id)
    assert row["refund"] is None
    assert row["amount_cents"] == payment_receipt.payment.amount_cents
    assert row["currency"] == payment_receipt.payment.currency
    assert row["description"] == payment_receipt.payment.description
    assert signed_name(row["pdf_url"]) == payment_receipt.file.key
    assert rows[refund_receipt.number]["kind"] == "refund"
    assert rows[refund_receipt.number]["amount_cents"] == 1200
    assert rows[refund_receipt.number]["refund"] == str(refund_receipt.refund_id)
    assert rows[preparing.number]["pdf_url"] is None

    few = queries_of(client, RECEIPTS_API)
    for _ in range(15):
        refunded(issued(paid(user), rendered=False).payment, 100, rendered=False)
    with django_assert_max_num_queries(few):
        assert client.get(RECEIPTS_API).status_code == 200


def test_the_api_filters_by_payment_and_lists_one_payments_receipts(client):
    user = UserFactory()
    payment_receipt = issued(paid(user))
    refund_receipt = refunded(payment_receipt.payment, 500)
    issued(paid(user))
    client.force_login(user)

    filtered = client.get(RECEIPTS_API, {"payment": str(payment_receipt.payment_id)}).json()["results"]
    nested = client.get(f"/api/v1/learning/payments/{payment_receipt.payment_id}/receipts/").json()

    assert {row["number"] for row in filtered} == {payment_receipt.number, refund_receipt.number}
    assert [row["number"] for row in nested] == [payment_receipt.number, refund_receipt.number]


def test_the_api_answers_404_for_someone_elses_receipt_or_payment(client):
    receipt = issued(paid())
    client.force_login(UserFactory())

    assert client.get(f"{RECEIPTS_API}{receipt.pk}/").status_code == 404
    assert client.get(f"/api/v1/learning/payments/{receipt.payment_id}/receipts/").status_code == 404
    assert client.get(RECEIPTS_API).json()["results"] == []


def test_the_api_gives_one_receipt_and_needs_sign_in(client):
    receipt = issued(paid())
    assert client.get(RECEIPTS_API).status_code in (401, 403)
    client.force_login(receipt.payment.user)

    row = client.get(f"{RECEIPTS_API}{receipt.pk}/").json()

    assert row["number"] == receipt.number
    assert signed_name(row["pdf_url"]) == receipt.file.key
