"""``manage.py outbox_reencrypt``: encrypt every stored outbox payload again with the first
key of ``OUTBOX_ENCRYPTION_KEYS``, so an older key can be dropped without waiting for the
outbox to drain (README, "Security")."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.services.outbox import outbox_reencrypt


class Command(BaseCommand):
    help = "Re-encrypt pending outbox payloads with the first key of OUTBOX_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        done, failed = outbox_reencrypt()
        self.stdout.write(f"{done} re-encrypted, {failed} unreadable.")
        if failed:
            raise CommandError(f"{failed} payload(s) open with no configured key; see the log for their ids.")
