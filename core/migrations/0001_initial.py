"""The outbox moves from accounts to core without touching the database: the table
``accounts_outboxmessage`` and its indexes stay as they are; only Django's model state
changes hands (accounts 0011 removes it there)."""

import uuid

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0010_audit_forget_erased"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboxMessage",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        (
                            "created_at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("task_name", models.CharField(max_length=200, verbose_name="task")),
                        ("payload", models.TextField(blank=True, verbose_name="encrypted arguments")),
                        (
                            "by_reference",
                            models.BooleanField(default=False, verbose_name="arguments stay in the outbox"),
                        ),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                        ("attempts", models.PositiveIntegerField(default=0, verbose_name="failed attempts")),
                        ("last_error", models.CharField(blank=True, max_length=500, verbose_name="last error")),
                    ],
                    options={
                        "verbose_name": "outbox message",
                        "db_table": "accounts_outboxmessage",
                        "indexes": [
                            models.Index(
                                condition=models.Q(("sent_at__isnull", True)),
                                fields=["created_at"],
                                name="accounts_outbox_pending",
                            ),
                            models.Index(
                                condition=models.Q(("sent_at__isnull", False)),
                                fields=["sent_at"],
                                name="accounts_outbox_sent",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
