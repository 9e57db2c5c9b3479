"""Access log API: /api/v1/therapy/access-log/ — who viewed which of my therapy records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.selectors.audit import audit_access_list
from core.http import AuthenticatedRequest
from therapy.selectors.access import access_log_describe, access_log_list_for_client

if TYPE_CHECKING:
    from accounts.models import AuditLogEntry


class AccessViewSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    viewer_id = serializers.UUIDField(allow_null=True, help_text="Null when the viewer's account is deleted.")
    viewer_name = serializers.CharField()
    record_type = serializers.ChoiceField(
        choices=["journal_entry", "therapy_session", "message", "conversation", "other"],
        help_text="`conversation`: the messages of a conversation were read; `record_id` is the relationship.",
    )
    record_id = serializers.CharField()
    what = serializers.CharField(help_text="What was viewed, in words.")
    viewed_at = serializers.DateTimeField()


class AccessLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Who viewed your journal entries, session notes and messages, newest first."""

    request: AuthenticatedRequest

    serializer_class = AccessViewSerializer

    def get_queryset(self) -> QuerySet[AuditLogEntry]:
        if getattr(self, "swagger_fake_view", False):
            return audit_access_list(additional_data={"client_id": ""}).none()
        return access_log_list_for_client(client=self.request.user)

    @extend_schema(description="Every time a therapist (or an administrator) opened one of your records.")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        views = access_log_describe(entries=list(page or []))
        return self.get_paginated_response(AccessViewSerializer(views, many=True).data)
