"""Audit log API: /api/v1/accounts/audit-logs/ — read-only, for managers and admins.

Everyone else signed in gets a 404, as on the page: the audit log is not theirs to know
about (DESIGN.md §3, and "another user's private data is a 404"). Without credentials the
answer is 401 as everywhere.
"""

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.request import Request

from accounts.models import AuditLogEntry
from accounts.rules import is_staff_member
from accounts.selectors.audit import AuditLogApiFilter, audit_entry_changes, audit_log_list
from core.http import AuthenticatedRequest


class CanReadAuditLog(permissions.BasePermission):
    """Managers and admins; other signed-in users are told the resource does not exist."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user.is_authenticated:
            return False
        if getattr(view, (request.method or "").lower(), None) is None:
            return True  # a method the view does not have: its 405 says so, for everyone
        if not is_staff_member(request.user):
            raise exceptions.NotFound()
        return True


class AuditActorSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="actor_id", allow_null=True, help_text="Null for changes made by the system.")
    email = serializers.SerializerMethodField(help_text="The actor's e-mail address (as recorded when removed).")

    def get_email(self, entry: AuditLogEntry) -> str | None:
        return entry.actor.email if entry.actor is not None else entry.actor_email


class AuditTargetSerializer(serializers.Serializer):
    type = serializers.SerializerMethodField(help_text="The changed object's model, e.g. accounts.profile.")
    id = serializers.CharField(source="object_pk")
    repr = serializers.CharField(source="object_repr", help_text="The object as text when it was changed.")

    def get_type(self, entry: AuditLogEntry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"


@extend_schema_field(
    {
        "type": "object",
        "description": (
            'By field: `{"from": old, "to": new}`; a many-to-many field `{"added": [names]}` or '
            '`{"removed": [names]}`. Secrets and what people wrote (notes, reflections, journal, '
            'messages, feedback…) read `"[redacted]"`: the entry says which fields changed.'
        ),
        "additionalProperties": {
            "type": "object",
            "properties": {
                "from": {"nullable": True},
                "to": {"nullable": True},
                "added": {"type": "array", "items": {"type": "string"}},
                "removed": {"type": "array", "items": {"type": "string"}},
            },
        },
        "example": {"name": {"from": "Work", "to": "Studio"}},
    }
)
class AuditChangesField(serializers.Field):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, entry: AuditLogEntry) -> dict[str, dict[str, Any]]:
        return audit_entry_changes(entry=entry)


class AuditLogEntrySerializer(serializers.ModelSerializer):
    action = serializers.CharField(source="action_name", help_text="e.g. profile.updated")
    actor = AuditActorSerializer(source="*")
    target = AuditTargetSerializer(source="*")
    changes = AuditChangesField()
    time = serializers.DateTimeField(source="timestamp")
    ip_address = serializers.IPAddressField(source="remote_addr", allow_null=True)

    class Meta:
        model = AuditLogEntry
        fields = ["id", "time", "action", "actor", "target", "changes", "ip_address", "user_agent"]
        read_only_fields = fields


class AuditLogViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log, newest first: who changed what, when, from where. Filter by `user`
    (id or e-mail), `action` and a time range (`from`, `to`; UTC unless an offset is given). Entries are append-only.
    Entries about therapy (and other records whose text may tell of it) are listed for
    admins only; managers get a 404 for them."""

    request: AuthenticatedRequest

    serializer_class = AuditLogEntrySerializer
    permission_classes = [CanReadAuditLog]
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuditLogApiFilter

    def get_queryset(self) -> QuerySet[AuditLogEntry]:
        if getattr(self, "swagger_fake_view", False):
            return AuditLogEntry.objects.none()  # schema generation: no reader
        return audit_log_list(reader=self.request.user)
