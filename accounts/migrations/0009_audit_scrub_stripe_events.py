"""Scrub the audit entries of Stripe's events (issue 14): ``learning.StripeEvent`` was
audited as a public model, so each ``stripeevent.created`` entry copied the whole Stripe
payload — the buyer's e-mail, name and address — where managers read it. The model is no
longer audited (``accounts.audit.AUDIT_EXCLUDED_MODELS``); the entries already written
keep which fields were set, every value reads "[redacted]" and the target is named by
model and key. The log is append-only for every other caller: this migration rewrites the
rows with a plain queryset, once."""

from django.db import migrations, models

REDACTED = "[redacted]"
FIELDS = ["object_repr", "changes", "changes_text", "serialized_data", "additional_data"]


def _scrubbed(changes: object) -> object:
    if not isinstance(changes, dict):
        return changes
    scrubbed = {}
    for name, change in changes.items():
        if isinstance(change, dict):
            scrubbed[name] = {**change, "objects": [REDACTED for _object in change.get("objects", [])]}
        elif isinstance(change, list):
            scrubbed[name] = [None if value is None else REDACTED for value in change]
        else:
            scrubbed[name] = REDACTED
    return scrubbed


def scrub_stripe_events(apps, schema_editor) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditLogEntry = apps.get_model("accounts", "AuditLogEntry")
    event_types = list(
        models.QuerySet(ContentType).filter(app_label="learning", model="stripeevent").values_list("pk", flat=True)
    )
    entries = models.QuerySet(AuditLogEntry).filter(content_type_id__in=event_types)
    batch = []
    for entry in entries.iterator(chunk_size=1000):
        entry.object_repr = f"stripe event {entry.object_pk}"
        entry.changes = _scrubbed(entry.changes)
        entry.changes_text = ""
        entry.serialized_data = None
        entry.additional_data = None
        batch.append(entry)
        if len(batch) == 500:
            models.QuerySet(AuditLogEntry).bulk_update(batch, FIELDS)
            batch = []
    if batch:
        models.QuerySet(AuditLogEntry).bulk_update(batch, FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_audit_scrub_content"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(scrub_stripe_events, migrations.RunPython.noop, elidable=True)]
