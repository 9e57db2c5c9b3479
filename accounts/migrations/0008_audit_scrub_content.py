"""Scrub what the audit log already holds of what people wrote (issue 14): entries about
the content models (notes, reflections, journal, messages, chats, feedback, todos…) keep
which fields changed, but every value becomes "[redacted]" (keys too: the list below is
frozen, new entries keep their keys as ``accounts.audit`` writes them) and the target is
named by model and key. The log is append-only for every other caller: this migration
rewrites the rows with a plain queryset, once."""

from django.db import migrations, models

REDACTED = "[redacted]"
# (app label, model name, verbose name) of the content models when this migration was
# written (accounts.audit.is_content); frozen, as migrations must be.
CONTENT_MODELS = (
    ("accounts", "notification", "notification"),
    ("learning", "assessment", "assessment"),
    ("learning", "careerpathway", "career pathway"),
    ("learning", "pathwaystep", "pathway step"),
    ("learning", "chatmessage", "chat message"),
    ("learning", "submission", "submission"),
    ("mentorship", "mentorshipsession", "mentorship session"),
    ("mentorship", "sessionfeedback", "session feedback"),
    ("mentorship", "review", "review"),
    ("mentorship", "mentorsessionnote", "mentor session note"),
    ("growth", "goal", "goal"),
    ("growth", "habit", "habit"),
    ("growth", "habitcompletion", "habit completion"),
    ("growth", "reflection", "reflection"),
    ("growth", "todo", "todo"),
    ("therapy", "journalentry", "journal entry"),
    ("therapy", "message", "message"),
    ("therapy", "therapistprofile", "therapist profile"),
    ("therapy", "therapyrelationship", "therapy relationship"),
    ("therapy", "therapysession", "therapy session"),
)
FIELDS = ["object_repr", "changes", "changes_text", "serialized_data"]


def _scrubbed(changes: object) -> object:
    if not isinstance(changes, dict):
        return changes
    scrubbed = {}
    for name, change in changes.items():
        if isinstance(change, dict):  # many-to-many: the related objects' names
            scrubbed[name] = {**change, "objects": [REDACTED for _object in change.get("objects", [])]}
        elif isinstance(change, list):
            scrubbed[name] = [None if value is None else REDACTED for value in change]
        else:
            scrubbed[name] = REDACTED
    return scrubbed


def scrub_content(apps, schema_editor) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditLogEntry = apps.get_model("accounts", "AuditLogEntry")
    names = {(app_label, model): verbose for app_label, model, verbose in CONTENT_MODELS}
    types = {
        content_type.pk: names[(content_type.app_label, content_type.model)]
        for content_type in ContentType.objects.all()
        if (content_type.app_label, content_type.model) in names
    }
    # A plain queryset, whatever manager the model has: one sanctioned rewrite.
    entries = models.QuerySet(AuditLogEntry).filter(content_type_id__in=list(types))
    batch = []
    for entry in entries.iterator(chunk_size=1000):
        entry.object_repr = f"{types[entry.content_type_id]} {entry.object_pk}"
        entry.changes = _scrubbed(entry.changes)
        entry.changes_text = ""
        entry.serialized_data = None
        batch.append(entry)
        if len(batch) == 500:
            models.QuerySet(AuditLogEntry).bulk_update(batch, FIELDS)
            batch = []
    if batch:
        models.QuerySet(AuditLogEntry).bulk_update(batch, FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_outbox_encrypted_payload"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(scrub_content, migrations.RunPython.noop, elidable=True)]
