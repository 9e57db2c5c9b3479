"""Reads of the audit log (managers and admins; DESIGN.md §3). What is recorded, and what
never is, lives in ``accounts.audit``."""

import copy
import datetime
import uuid
from collections.abc import Mapping
from typing import Any

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import superuser_only_models
from accounts.forms import AuditLogFilterForm
from accounts.models import AuditLogEntry, User


class AuditLogFilter(django_filters.FilterSet):
    """Filters of the audit log: by user, by action, by time range (the seed's three access
    patterns, each with its index)."""

    user = django_filters.CharFilter(
        method="filter_user",
        label=_("User"),
        help_text=_("The acting user's id or e-mail address."),
    )
    action = django_filters.CharFilter(
        field_name="action_name",
        label=_("Action"),
        help_text=_("An action such as profile.updated."),
    )
    # "from" is a Python keyword: declared as from_, published as "from" below.
    from_ = django_filters.IsoDateTimeFilter(
        field_name="timestamp",
        lookup_expr="gte",
        label=_("From"),
        help_text=_("Entries at or after this time (ISO 8601). Without an offset: your own time zone on the page."),
    )
    to = django_filters.IsoDateTimeFilter(
        field_name="timestamp",
        lookup_expr="lt",
        label=_("To"),
        help_text=_("Entries before this time (ISO 8601). Without an offset: your own time zone on the page."),
    )

    class Meta:
        model = AuditLogEntry
        fields: list[str] = []
        form = AuditLogFilterForm

    def filter_user(
        self, queryset: QuerySet[AuditLogEntry], name: str, value: uuid.UUID | str
    ) -> QuerySet[AuditLogEntry]:
        """An id matches the actor; an e-mail address the actor's current address, ignoring
        case (resolved in a subquery, so the actor-and-time index serves both)."""
        if isinstance(value, uuid.UUID):
            return queryset.filter(actor_id=value)
        return queryset.filter(actor__in=User.objects.filter(email__iexact=value).values("pk"))


AuditLogFilter.base_filters = {
    ("from" if name == "from_" else name): item for name, item in AuditLogFilter.base_filters.items()
}


class AuditLogApiFilter(AuditLogFilter):
    """The API's filters: a time without an offset is UTC, however the caller signed in
    (a session turns the reader's zone on for the request, a token does not; the API's
    answer must not depend on that). The page (:class:`AuditLogFilter`) reads it in the
    reader's zone, as its ``datetime-local`` inputs are filled in."""

    def is_valid(self) -> bool:
        with timezone.override(datetime.UTC):
            return super().is_valid()


AuditLogApiFilter.base_filters = {name: copy.deepcopy(item) for name, item in AuditLogFilter.base_filters.items()}
AuditLogApiFilter.base_filters["from"].extra["help_text"] = _(
    "Entries at or after this time (ISO 8601; UTC unless an offset is given)."
)
AuditLogApiFilter.base_filters["to"].extra["help_text"] = _(
    "Entries before this time (ISO 8601; UTC unless an offset is given)."
)


def audit_log_visible_to(reader: User) -> QuerySet[AuditLogEntry]:
    """The entries ``reader`` (a manager or an admin) may read: entries about therapy
    objects, and about models whose text may tell of therapy
    (``accounts.audit.is_content_private``), are for superusers only — their keys alone
    would tell a manager who is whose client. The page, the API and admin all start here."""
    entries = AuditLogEntry.objects.all()
    if reader.is_superuser:
        return entries
    hidden = ContentType.objects.get_for_models(*superuser_only_models(), for_concrete_models=False)
    return entries.exclude(content_type_id__in=sorted(content_type.pk for content_type in hidden.values()))


def audit_log_list(*, reader: User, filters: Mapping[str, Any] | None = None) -> QuerySet[AuditLogEntry]:
    """The entries ``reader`` may read (:func:`audit_log_visible_to`) newest first, with
    actor and target type joined (two queries a page: count and rows). ``filters`` are
    :class:`AuditLogFilter`'s; an invalid one raises ``ValidationError`` naming it."""
    entries = audit_log_visible_to(reader).select_related("actor", "content_type").order_by("-timestamp", "-id")
    if not filters:
        return entries
    filterset = AuditLogFilter(filters, queryset=entries)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def audit_entry_changes(*, entry: AuditLogEntry) -> dict[str, dict[str, Any]]:
    """The entry's changes as ``{field: {"from": old, "to": new}}``; a many-to-many change
    as ``{field: {"added": [...]}}`` or ``{field: {"removed": [...]}}`` (names of the
    related objects). Secret and hidden values read ``[redacted]``."""
    changes: dict[str, dict[str, Any]] = {}
    for name, change in (entry.changes or {}).items():
        if isinstance(change, dict):
            key = "added" if change.get("operation") == "add" else "removed"
            changes[name] = {key: list(change.get("objects", []))}
        else:
            old, new = change
            changes[name] = {"from": old, "to": new}
    return changes


def audit_access_list(*, additional_data: Mapping[str, Any]) -> QuerySet[AuditLogEntry]:
    """The ``ACCESS`` entries whose additional data holds ``additional_data`` (key by key),
    newest first, with the actor and the content type joined. ``additional_data`` must name
    at least one key: the whole access log (who is whose therapist) is never one answer."""
    if not additional_data:
        raise ValueError("audit_access_list needs at least one key of additional data to match.")
    lookups = {f"additional_data__{key}": value for key, value in additional_data.items()}
    return (
        AuditLogEntry.objects.filter(action=AuditLogEntry.Action.ACCESS, **lookups)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")
    )
