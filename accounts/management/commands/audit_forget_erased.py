"""``manage.py audit_forget_erased``: pseudonymise the audit log of every erased account."""

from typing import Any

from django.core.management.base import BaseCommand

from accounts.audit import audit_forget_erased


class Command(BaseCommand):
    help = (
        "Pseudonymise the audit log of every account already erased (User.erased_at set), as erasure "
        "does: for accounts erased before it did, or restored from a backup. Running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        changed = audit_forget_erased()
        self.stdout.write(f"{changed} audit entries pseudonymised.")
