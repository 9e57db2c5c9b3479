"""The outbox model now belongs to core (core 0001 takes over its state); the table stays.
Its content type moves with it, so permissions already granted on it keep working."""

from django.db import migrations


def content_type_to(app_label: str, other: str):
    def move(apps, schema_editor) -> None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        if not ContentType.objects.filter(app_label=app_label, model="outboxmessage").exists():
            ContentType.objects.filter(app_label=other, model="outboxmessage").update(app_label=app_label)

    return move


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_audit_forget_erased"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutboxMessage")],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to("core", "accounts"), content_type_to("accounts", "core")),
    ]
