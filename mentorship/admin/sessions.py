"""Admin of mentorship sessions, their feedback and the mentors' notes. Sessions are booked,
moved and taken through their lifecycle by the mentorship services (which keep the end
time, the reminders, the calendar sequence and both parties' notices right), so staff see
them here but neither edit nor delete them. One action: a mentee who tells staff that the
mentor did not come has the session marked so and, when paid, refunded in full
(``session_report_mentor_no_show``, the service the mentee's own button calls)."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_mixins import ReadOnlyAdminMixin
from core.errors import ApplicationError
from core.http import signed_in_user
from mentorship.models import MentorSessionNote, MentorshipSession, SessionFeedback
from mentorship.services.sessions import session_report_mentor_no_show


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
    actions = ["report_mentor_no_show"]

    def has_report_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("mentorship.change_mentorshipsession")

    @admin.action(
        description=_("The mentor did not come: mark it and refund a paid session in full"), permissions=["report"]
    )
    def report_mentor_no_show(self, request: HttpRequest, queryset: QuerySet[MentorshipSession]) -> None:
        done = 0
        for session in queryset:
            try:
                session_report_mentor_no_show(session=session, user=signed_in_user(request))
            except (ApplicationError, Http404) as error:
                self.message_user(request, f"{session}: {getattr(error, 'message', error)}", messages.WARNING)
                continue
            done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d session marked.", "%(count)d sessions marked.", done) % {"count": done},
                messages.SUCCESS,
            )


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
