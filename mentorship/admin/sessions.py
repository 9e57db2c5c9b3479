"""Admin of mentorship sessions, their feedback and the mentors' notes. Sessions are booked,
moved and taken through their lifecycle by the mentorship services (which keep the end
time, the reminders, the calendar sequence and both parties' notices right), so staff see
them here but neither edit nor delete them."""

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from core.admin_mixins import ReadOnlyAdminMixin
from mentorship.models import MentorSessionNote, MentorshipSession, SessionFeedback


@admin.register(MentorshipSession)
class MentorshipSessionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("start_at", "mentor", "mentee", "type", "status", "price_cents", "venue")
    list_filter = ("status", "type", "start_at")
    search_fields = ("mentor__email", "mentee__email", "topic", "=id")
    list_select_related = ("mentor", "mentee", "venue")
    raw_id_fields = ("mentor", "mentee", "venue", "cancelled_by")
    readonly_fields = ("end_at", "sequence", "reminder_24h_sent_at", "reminder_1h_sent_at", "created_at", "updated_at")
    date_hierarchy = "start_at"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(SessionFeedback)
class SessionFeedbackAdmin(admin.ModelAdmin):
    """Staff see who wrote anonymous feedback and when (DESIGN.md §3), and whether its batch
    was released; the words stay the mentee's."""

    list_display = ("session", "mentor", "mentee", "rating", "is_anonymous", "created_at", "released_on")
    list_filter = ("rating", "is_anonymous", "created_at", "released_on")
    search_fields = ("mentor__email", "mentee__email", "growth_area")
    list_select_related = ("session", "mentor", "mentee")
    readonly_fields = (
        "session",
        "mentee",
        "mentor",
        "rating",
        "growth_area",
        "growth_idea",
        "what_went_well",
        "what_to_improve",
        "additional_comments",
        "is_anonymous",
        "released_on",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SessionFeedback | None = None) -> bool:
        return False


@admin.register(MentorSessionNote)
class MentorSessionNoteAdmin(admin.ModelAdmin):
    """The mentor alone reads the notes' content (DESIGN.md §3): staff see that a note exists."""

    list_display = ("session", "mentor", "created_at", "updated_at")
    search_fields = ("mentor__email", "=session__id")
    list_select_related = ("session", "mentor")
    fields = ("session", "mentor", "created_at", "updated_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: MentorSessionNote | None = None) -> bool:
        return False
