"""Outbox arguments are stored encrypted and only while needed (issue 14): pending rows get
their arguments sealed (a queued e-mail becomes a by-reference row, as
``accounts.mail.TaskEmailBackend`` now writes them); rows the broker already took are
deleted — their arguments have no further use and some hold sign-up codes and reset links."""

from django.db import migrations, models

from accounts.outbox import outbox_payload_open, outbox_payload_seal

EMAIL_TASK = "accounts.tasks.email_send_task"


def seal_pending_delete_sent(apps, schema_editor) -> None:
    OutboxMessage = apps.get_model("accounts", "OutboxMessage")
    OutboxMessage.objects.filter(sent_at__isnull=False).delete()
    for message in OutboxMessage.objects.all().iterator():
        args, kwargs = list(message.args), dict(message.kwargs)
        if message.task_name == EMAIL_TASK and len(args) == 1 and not kwargs:
            args, kwargs, message.by_reference = [], {"message_data": args[0]}, True
        message.payload = outbox_payload_seal(args=args, kwargs=kwargs)
        message.save(update_fields=["payload", "by_reference"])


def open_pending(apps, schema_editor) -> None:
    OutboxMessage = apps.get_model("accounts", "OutboxMessage")
    for message in OutboxMessage.objects.exclude(payload="").iterator():
        args, kwargs = outbox_payload_open(message.payload)
        if message.by_reference and message.task_name == EMAIL_TASK:
            args, kwargs = [kwargs["message_data"]], {}
        message.args, message.kwargs = args, kwargs
        message.save(update_fields=["args", "kwargs"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_notification_types_moved"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="payload",
            field=models.TextField(blank=True, verbose_name="encrypted arguments"),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="by_reference",
            field=models.BooleanField(default=False, verbose_name="arguments stay in the outbox"),
        ),
        migrations.RunPython(seal_pending_delete_sent, open_pending),
        migrations.RemoveField(model_name="outboxmessage", name="args"),
        migrations.RemoveField(model_name="outboxmessage", name="kwargs"),
    ]
