"""Admin of therapy. Clinical content — journal feelings and notes, session titles and notes,
message text — is never shown in admin lists, forms or search, and staff cannot edit it
(nothing a client or therapist wrote is changed behind their back)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from therapy.models import JournalEntry, Message, TherapistProfile, TherapyRelationship, TherapySession

HIDDEN = _("hidden")


class ContentPrivateAdmin(admin.ModelAdmin):
    """Read-only admin of a content-private model: ``content_fields`` are excluded from the
    form and shown as "hidden"; no adding, no editing."""

    content_fields: tuple[str, ...] = ()

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.content_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        names = [field.name for field in self.model._meta.fields if field.name not in self.content_fields]
        return [*names, "content_hidden"] if self.content_fields else names

    @admin.display(description=_("content"))
    def content_hidden(self, obj: Any) -> str:
        return str(HIDDEN)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TherapistProfile)
class TherapistProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "specialization", "status", "accepting_clients", "verified_at")
    list_filter = ("status", "specialization", "accepting_clients")
    search_fields = ("user__email", "user__first_name", "user__last_name")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("status", "verified_at", "verified_by", "created_at", "updated_at")


@admin.register(TherapyRelationship)
class TherapyRelationshipAdmin(ContentPrivateAdmin):
    list_display = ("client", "therapist", "status", "requested_at", "accepted_at", "ended_at")
    list_filter = ("status",)
    search_fields = ("client__email", "therapist__email")
    list_select_related = ("client", "therapist")


@admin.register(JournalEntry)
class JournalEntryAdmin(ContentPrivateAdmin):
    content_fields = ("feeling", "intensity", "note")
    list_display = ("id", "client", "time_of_emotion", "is_shared")
    list_filter = ("is_shared",)
    search_fields = ("client__email",)
    list_select_related = ("client",)


@admin.register(TherapySession)
class TherapySessionAdmin(ContentPrivateAdmin):
    content_fields = ("title", "shared_notes", "private_notes", "reject_reason")
    list_display = ("id", "therapist", "client", "scheduled_at", "status")
    list_filter = ("status",)
    search_fields = ("therapist__email", "client__email")
    list_select_related = ("therapist", "client")


@admin.register(Message)
class MessageAdmin(ContentPrivateAdmin):
    content_fields = ("content",)
    list_display = ("id", "sender", "recipient", "created_at", "read_at")
    search_fields = ("sender__email", "recipient__email")
    list_select_related = ("sender", "recipient")
