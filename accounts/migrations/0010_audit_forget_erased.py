"""Pseudonymise the audit log of accounts erased before erasure did so (issue 14): their
entries still held their e-mail address, names, demographics, IP address and user agent.

It calls ``accounts.audit.audit_forget_erased`` with this migration's historical app
registry — the same code as ``manage.py audit_forget_erased`` and as erasure itself, so the
three cannot drift apart. That function is written to stay runnable here: it takes every
model from the registry it is given, uses plain querysets (no custom manager, no model
method) and reads only columns that exist since ``accounts.0008``; a later change that
breaks this is caught by ``accounts/tests/test_audit_times_and_erased.py``. On a new
database there is no erased account and nothing to do."""

from django.db import migrations


def forget_erased(apps, schema_editor) -> None:
    from accounts.audit import audit_forget_erased

    audit_forget_erased(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_audit_scrub_stripe_events"),
    ]

    operations = [migrations.RunPython(forget_erased, migrations.RunPython.noop, elidable=True)]
