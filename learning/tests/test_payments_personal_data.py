"""Your data: payments of every kind are exported with their price breakdown and refunds
(another buyer's are not), and kept as financial records when the account is deleted."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from accounts.services.data import data_export_collect
from learning.models import Payment, Refund
from learning.tests.payments import PaymentFactory, RefundFactory, gadget_payment

pytestmark = pytest.mark.django_db


def test_export_has_payments_of_every_kind_with_their_breakdown_and_refunds(user):
    course_payment = PaymentFactory(user=user, status=Payment.Status.SUCCEEDED)
    gadget = gadget_payment(user=user, status=Payment.Status.PARTIALLY_REFUNDED, amount_refunded_cents=500)
    refund = RefundFactory(
        payment=gadget, amount_cents=500, source=Refund.Source.RULE, rule="mentor_cancelled", reason="Cancelled."
    )
    RefundFactory()  # another buyer's
    data = json.loads(json.dumps(data_export_collect(user=user), cls=DjangoJSONEncoder))

    exported = {item["payment_id"]: item for item in data["payments"]}
    assert set(exported) == {str(course_payment.pk), str(gadget.pk)}
    course_row = exported[str(course_payment.pk)]
    assert (course_row["kind"], course_row["course_id"], course_row["refunds"]) == (
        "course",
        str(course_payment.course_id),
        [],
    )
    row = exported[str(gadget.pk)]
    assert (row["kind"], row["item_id"], row["course_id"]) == ("gadget", str(gadget.item_id), None)
    assert row["lines"] == [{"label": "Gadget", "amount_cents": 2500}]
    assert (row["amount_cents"], row["amount_refunded_cents"], row["status"]) == (2500, 500, "partially_refunded")
    [exported_refund] = row["refunds"]
    assert exported_refund["refund_id"] == str(refund.pk)
    assert (exported_refund["amount_cents"], exported_refund["rule"], exported_refund["reason"]) == (
        500,
        "mentor_cancelled",
        "Cancelled.",
    )
