"""Demo receipts: every succeeded demo payment and refund has its receipt (PDF and e-mail)."""

from datetime import timedelta


def seed_receipts() -> None:
    """Queue the receipts of succeeded payments and refunds that have none — the demo writes
    its payments directly, without the webhook whose signal makes receipts in production.
    The receipt task makes each one once, after commit, as in production."""
    from ..services.receipts import receipts_reconcile

    receipts_reconcile(grace=timedelta(0))
