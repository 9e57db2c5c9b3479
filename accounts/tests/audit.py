"""What a test reads of an audit entry to prove something is *not* in the log."""

from accounts.models import AuditLogEntry


def audit_entry_text(entry: AuditLogEntry) -> str:
    """Everything ``entry`` says (values, names, addresses), lower-cased, as one string. Listed
    here rather than taken from the code's own redaction list, so the test does not trust it."""
    return " ".join(
        str(value)
        for value in (
            entry.changes,
            entry.changes_text,
            entry.object_repr,
            entry.serialized_data,
            entry.additional_data,
            entry.actor_email,
            entry.remote_addr,
            entry.user_agent,
        )
    ).lower()
