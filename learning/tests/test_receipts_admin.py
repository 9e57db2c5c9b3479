"""Receipts in admin and in "download my data": read-only (no adding, changing or deleting,
not even by a superuser), listed under their payment, searchable by number and buyer, the
PDF downloaded by staff through a signed link, a missing PDF queued again; the export holds
the buyer's receipt numbers and erasing the account keeps the receipts without their PDF."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone

from accounts.services.data import account_delete, data_export_collect
from accounts.tests.factories import DEFAULT_PASSWORD, AdminFactory, UserFactory
from accounts.tests.records import stored_files
from learning.models import Receipt, Refund
from learning.services.receipts import receipt_issue_for_payment, receipt_issue_for_refund, receipt_render_pdf
from learning.tests.payments import PaymentFactory, succeeded

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:learning_receipt_changelist")


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def receipt_for(user=None, *, rendered: bool = True) -> Receipt:
    payment = succeeded(PaymentFactory(user=user or UserFactory()))
    receipt = receipt_issue_for_payment(payment_id=payment.pk)
    return receipt_render_pdf(receipt_id=receipt.pk) if rendered else receipt


def refund_receipt_for(receipt: Receipt) -> Receipt:
    refund = Refund.objects.create(
        payment=receipt.payment,
        amount_cents=500,
        source=Refund.Source.STAFF,
        reason="Goodwill",
        status=Refund.Status.SUCCEEDED,
        succeeded_at=timezone.now(),
    )
    return receipt_issue_for_refund(refund_id=refund.pk)


def test_the_changelist_searches_number_and_buyer(admin_client):
    mine = receipt_for(UserFactory(email="amara@example.com"), rendered=False)
    other = receipt_for(rendered=False)

    def numbers(params) -> set[str]:
        response = admin_client.get(CHANGELIST, params)
        assert response.status_code == 200
        return {receipt.number for receipt in response.context["cl"].result_list}

    assert numbers({}) == {mine.number, other.number}
    assert numbers({"q": mine.number}) == {mine.number}
    assert numbers({"q": "amara@example.com"}) == {mine.number}


def test_receipts_are_read_only_and_staff_download_the_pdf(admin_client):
    receipt = receipt_for()

    page = admin_client.get(reverse("admin:learning_receipt_change", args=[receipt.pk])).content.decode()

    assert receipt.number in page
    assert "/account/files/private/" in page
    assert admin_client.get(reverse("admin:learning_receipt_add")).status_code == 403
    assert admin_client.post(reverse("admin:learning_receipt_delete", args=[receipt.pk])).status_code == 403
    assert Receipt.objects.filter(pk=receipt.pk).exists()


def test_the_payment_page_lists_its_receipts(admin_client):
    receipt = receipt_for()
    refund_receipt = refund_receipt_for(receipt)

    page = admin_client.get(reverse("admin:learning_payment_change", args=[receipt.payment_id])).content.decode()

    assert receipt.number in page
    assert refund_receipt.number in page


def test_the_action_stores_missing_pdfs_once(admin_client, django_capture_on_commit_callbacks):
    missing = receipt_for(rendered=False)
    refund_missing = refund_receipt_for(missing)
    present = receipt_for()
    data = {
        "action": "render_missing_pdfs",
        "_selected_action": [str(r.pk) for r in (missing, refund_missing, present)],
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(CHANGELIST, data, follow=True)

    assert "PDFs queued for 2 receipts." in response.content.decode()
    for receipt in (missing, refund_missing, present):
        receipt.refresh_from_db()
        assert receipt.file is not None
    assert stored_files().filter(tags__contains=["receipt"]).count() == 3


def test_the_export_has_the_receipt_numbers_and_erasure_keeps_receipts_without_pdfs():
    user = UserFactory()
    user.set_password(DEFAULT_PASSWORD)
    user.save()
    receipt = receipt_for(user)
    refund_receipt = refund_receipt_for(receipt)
    receipt_for()  # someone else's

    data = json.loads(json.dumps(data_export_collect(user=user), cls=DjangoJSONEncoder))

    assert [row["number"] for row in data["receipts"]] == [receipt.number, refund_receipt.number]
    assert data["receipts"][1]["refund_id"] == str(refund_receipt.refund_id)

    account_delete(user=user, password=DEFAULT_PASSWORD)

    receipt.refresh_from_db()
    assert receipt.file is None
    assert Receipt.objects.filter(payment__user=user).count() == 2
    assert not stored_files().filter(uploaded_by=user).exists()
