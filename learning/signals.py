"""Facts learning announces to the apps above it (sent after the transaction commits)."""

from django.dispatch import Signal

# kwargs: enrollment_id, user_id, course_id
course_completed = Signal()
# kwargs: certificate_id, user_id, course_id
certificate_issued = Signal()
# kwargs: payment_id, user_id, kind, item_id — a payment succeeded (receipts, reports)
payment_succeeded = Signal()
# kwargs: refund_id, payment_id, user_id, kind, item_id — Stripe confirmed a refund
refund_succeeded = Signal()
