"""Admin of therapy.

Clinical content — a journal entry's feeling, intensity and note, a session's title, notes
and reject reason, a message's text — is never shown to staff who are not superusers
(managers): it is left out of forms and shown as "hidden", never searchable, never
exported. Superusers can read it on a record's page, and each such view is written to the
access log (``therapy.services.access.access_record``). Nobody edits or deletes it in admin
(nothing a client or therapist wrote is changed behind their back). Therapists are verified
and rejected with actions that call the services (the therapist is notified)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_mixins import ReadOnlyAdminMixin
from core.errors import ApplicationError
from core.http import signed_in_user
from therapy.models import JournalEntry, Message, TherapistProfile, TherapyRelationship, TherapySession
from therapy.rules import can_read_therapy_content_in_admin
from therapy.services.access import ACCESSED, NOTES_ACCESSED, access_record
from therapy.services.profiles import REJECTION_REASON_MAX_LENGTH, therapist_reject, therapist_verify

HIDDEN = _("hidden")


class ContentPrivateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only admin of a content-private model. ``content_fields`` are excluded from the
    form; superusers see them in "content" (each change view is logged as an access), other
    staff see "hidden". No adding, editing or deleting; lists and search never touch them."""

    content_fields: tuple[str, ...] = ()
    access_what = ACCESSED

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.content_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        names = [field.name for field in self.model._meta.fields if field.name not in self.content_fields]
        if not self.content_fields:
            return names
        content = "content_shown" if can_read_therapy_content_in_admin(request.user) else "content_hidden"
        return [*names, content]

    @admin.display(description=_("content"))
    def content_hidden(self, obj: Any) -> str:
        return str(HIDDEN)

    @admin.display(description=_("content"))
    def content_shown(self, obj: Any) -> SafeString:
        rows = format_html_join(
            "",
            "<dt>{}</dt><dd>{}</dd>",
            (
                (
                    self.model._meta.get_field(name).verbose_name,
                    mark_safe(linebreaks(str(getattr(obj, name)), autoescape=True)),
                )
                for name in self.content_fields
            ),
        )
        return format_html("<dl>{}</dl>", rows)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        user = signed_in_user(request)
        response = super().change_view(request, object_id, form_url, extra_context)
        if self.content_fields and response.status_code == 200 and can_read_therapy_content_in_admin(user):
            obj = self.get_object(request, object_id)
            if obj is not None:
                access_record(actor=user, instances=[obj], what=self.access_what)
        return response


class TherapistActionForm(ActionForm):
    reason = forms.CharField(label=_("Reason (for rejecting)"), required=False, max_length=REJECTION_REASON_MAX_LENGTH)


@admin.register(TherapistProfile)
class TherapistProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "specialization", "status", "accepting_clients", "verified_at")
    list_filter = ("status", "specialization", "accepting_clients")
    search_fields = ("user__email", "user__first_name", "user__last_name")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("status", "verified_at", "verified_by", "rejection_reason", "created_at", "updated_at")
    action_form = TherapistActionForm
    actions = ["verify", "reject"]

    def _apply(self, request: HttpRequest, queryset: QuerySet[TherapistProfile], run: Any, done: str) -> None:
        changed = 0
        for profile in queryset:
            try:
                run(profile)
            except ApplicationError as exc:
                self.message_user(request, f"{profile}: {exc.message}", messages.WARNING)
            else:
                changed += 1
        if changed:
            self.message_user(request, done % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Verify the selected therapists (they are notified)"), permissions=["change"])
    def verify(self, request: HttpRequest, queryset: QuerySet[TherapistProfile]) -> None:
        self._apply(
            request,
            queryset,
            lambda profile: therapist_verify(profile=profile, by=signed_in_user(request)),
            ngettext("%(count)d therapist verified.", "%(count)d therapists verified.", queryset.count()),
        )

    @admin.action(description=_("Reject the selected applications (with the reason given)"), permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[TherapistProfile]) -> None:
        reason = request.POST.get("reason", "")[:REJECTION_REASON_MAX_LENGTH]
        self._apply(
            request,
            queryset,
            lambda profile: therapist_reject(profile=profile, by=signed_in_user(request), reason=reason),
            ngettext("%(count)d application rejected.", "%(count)d applications rejected.", queryset.count()),
        )


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
    content_fields = ("title", "shared_notes", "private_notes", "reject_reason", "cancel_reason")
    access_what = NOTES_ACCESSED
    list_display = ("id", "therapist", "client", "scheduled_at", "status", "late_cancellation")
    list_filter = ("status", "late_cancellation")
    search_fields = ("therapist__email", "client__email")
    list_select_related = ("therapist", "client")


@admin.register(Message)
class MessageAdmin(ContentPrivateAdmin):
    content_fields = ("content",)
    list_display = ("id", "sender", "recipient", "created_at", "read_at")
    search_fields = ("sender__email", "recipient__email")
    list_select_related = ("sender", "recipient")
