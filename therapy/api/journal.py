"""Journal API: /api/v1/therapy/journal/.

A client lists, writes, edits, shares (``is_shared``) and deletes their own entries. A
therapist lists and reads the SHARED entries of their clients in an ACTIVE relationship
(filter ``client`` for one of them) and nothing else; every such read is recorded in the
access log the client sees and lowers the client's flag of a distressing entry. Any other
entry is a 404. A distressing entry of one's own carries ``crisis_resources`` and ``support``
(``core.support``: the lines of the reader's country).
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.schema import ErrorSerializer
from core.api.support import SupportSerializer
from core.http import AuthenticatedRequest, signed_in_user
from therapy.models import FEELING_MAX_LENGTH, NOTE_MAX_LENGTH, JournalEntry
from therapy.selectors.journal import (
    JournalEntryFilter,
    journal_entry_crisis_resources,
    journal_entry_get_for_user,
    journal_entry_get_own,
    journal_entry_list_for_user,
    journal_entry_support,
)
from therapy.services.access import access_record
from therapy.services.journal import journal_entry_create, journal_entry_delete, journal_entry_update
from therapy.services.relationships import relationship_distress_seen

UUID_PATTERN = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"


class JournalEntrySerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.display_name", read_only=True)
    is_mine = serializers.SerializerMethodField(help_text="Whether you wrote it (else: a client shared it with you).")
    shared_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Null while private.")
    crisis_resources = serializers.SerializerMethodField(
        help_text="For your own entry of high intensity with a distressing feeling: where to find help now. "
        "Null otherwise."
    )
    support = serializers.SerializerMethodField(
        help_text="With `crisis_resources`: the support lines of your country (from your time zone; `country` "
        "null and the international lines when it is not known) and its emergency number. Null otherwise."
    )

    class Meta:
        model = JournalEntry
        fields = [
            "id",
            "client",
            "client_name",
            "is_mine",
            "time_of_emotion",
            "feeling",
            "intensity",
            "note",
            "is_shared",
            "shared_at",
            "crisis_resources",
            "support",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_mine(self, entry: JournalEntry) -> bool:
        return entry.client_id == self.context["request"].user.pk

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_crisis_resources(self, entry: JournalEntry) -> str | None:
        return journal_entry_crisis_resources(entry=entry, reader=self.context["request"].user)

    @extend_schema_field(SupportSerializer(allow_null=True))
    def get_support(self, entry: JournalEntry) -> dict[str, Any] | None:
        support = journal_entry_support(entry=entry, reader=self.context["request"].user)
        return support.as_dict() if support is not None else None


class JournalEntryInputSerializer(serializers.Serializer):
    time_of_emotion = serializers.DateTimeField(help_text="When you felt it (not in the future).")
    feeling = serializers.CharField(
        max_length=FEELING_MAX_LENGTH,
        help_text="One of happy, calm, grateful, hopeful, proud, sad, anxious, angry, afraid, lonely, ashamed, "
        "overwhelmed, hopeless — or your own word.",
    )
    intensity = serializers.IntegerField(min_value=1, max_value=10, help_text="1 (barely) to 10 (overwhelming).")
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default="")
    is_shared = serializers.BooleanField(
        required=False, default=False, help_text="Share with your therapists (active relationships)."
    )


class JournalEntryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Your journal entries and, for therapists, the entries their active clients shared;
    newest emotion first."""

    request: AuthenticatedRequest

    serializer_class = JournalEntrySerializer
    lookup_value_regex = UUID_PATTERN
    filterset_class = JournalEntryFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["time_of_emotion", "intensity", "created_at"]

    def get_queryset(self) -> QuerySet[JournalEntry]:
        if getattr(self, "swagger_fake_view", False):
            return JournalEntry.objects.none()
        return journal_entry_list_for_user(user=self.request.user)

    def _own_or_404(self, pk: str) -> JournalEntry:
        entry = journal_entry_get_own(client=self.request.user, entry_id=pk)
        if entry is None:
            raise Http404
        return entry

    @extend_schema(
        description="Your entries (own) and the shared entries of your active clients (therapists), newest "
        "first; filters `feeling`, `from`/`to` (days in your zone), `is_shared`, `client`. A therapist's read "
        "is recorded in the client's access log."
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = signed_in_user(request)
        entries = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(entries)
        rows = list(page if page is not None else entries)
        others = [row for row in rows if row.client_id != user.pk]
        access_record(actor=user, instances=others)
        relationship_distress_seen(therapist=user, client_ids={row.client_id for row in others})
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(
        description="One entry: yours, or a shared entry of an active client (recorded in their access log). "
        "Anything else is a 404."
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        entry = journal_entry_get_for_user(user=signed_in_user(request), entry_id=pk)
        if entry is None:
            raise Http404
        access_record(actor=signed_in_user(request), instances=[entry])
        if entry.client_id != request.user.pk:
            relationship_distress_seen(therapist=signed_in_user(request), client_ids=[entry.client_id])
        return Response(self.get_serializer(entry).data)

    @extend_schema(
        request=JournalEntryInputSerializer,
        responses={201: JournalEntrySerializer},
        description="Write an entry. When its intensity is high and its feeling distressing, `crisis_resources` "
        "in the answer says where to find help now.",
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        data = JournalEntryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = journal_entry_create(client=request.user, **data.validated_data)
        entry.client = request.user
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=JournalEntryInputSerializer(partial=True),
        responses={200: JournalEntrySerializer},
        description="Change your own entry; `is_shared` shares it or makes it private again. Others: 404.",
    )
    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        entry = self._own_or_404(pk)
        data = JournalEntryInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        entry = journal_entry_update(client=request.user, entry=entry, data=dict(data.validated_data))
        return Response(self.get_serializer(entry).data)

    @extend_schema(
        responses={
            204: OpenApiResponse(description="Deleted."),
            404: OpenApiResponse(ErrorSerializer, description="Not one of your entries."),
        },
        description="Delete your own entry (a therapist cannot delete shared entries: 404).",
    )
    def destroy(self, request: Request, pk: str) -> Response:
        journal_entry_delete(client=signed_in_user(request), entry=self._own_or_404(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
