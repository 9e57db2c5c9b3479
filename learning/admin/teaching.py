"""Admin of teaching: the instructor role (granted and revoked through services), assignments
and learners' submissions (graded on the grading page)."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError
from core.http import signed_in_user
from learning.models import Assignment, InstructorProfile, Submission
from learning.services.instructors import instructor_grant, instructor_revoke


@admin.register(InstructorProfile)
class InstructorProfileAdmin(admin.ModelAdmin):
    """The instructor role: adding a profile grants it; the actions grant it again or revoke
    it (through the services; audited)."""

    list_display = ("user", "headline", "is_active", "granted_by", "created_at")
    list_filter = ("is_active",)
    search_fields = ("user__email", "user__first_name", "user__last_name", "headline")
    list_select_related = ("user", "granted_by")
    autocomplete_fields = ("user",)
    readonly_fields = ("is_active", "granted_by", "created_at", "updated_at")
    fields = ("user", "headline", "bio", "is_active", "granted_by", "created_at", "updated_at")
    actions = ["grant", "revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: InstructorProfile | None = None) -> tuple[str, ...]:
        return (*self.readonly_fields, "user") if obj is not None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: InstructorProfile, form: Any, change: bool) -> None:
        if not change:
            try:
                profile = instructor_grant(user=obj.user, granted_by=signed_in_user(request))
            except ApplicationError as exc:
                raise PermissionDenied(exc.message) from exc
            obj.pk, obj.is_active, obj.granted_by = profile.pk, profile.is_active, profile.granted_by
            obj._state.adding = False
        super().save_model(request, obj, form, change=True)

    @admin.action(description=_("Grant the instructor role"), permissions=["change"])
    def grant(self, request: HttpRequest, queryset: QuerySet[InstructorProfile]) -> None:
        granted = 0
        for profile in queryset.select_related("user"):
            try:
                instructor_grant(user=profile.user, granted_by=signed_in_user(request))
                granted += 1
            except ApplicationError as exc:
                self.message_user(request, f"{profile.user}: {exc.message}", messages.ERROR)
        self.message_user(request, _("%(count)d instructor role(s) granted.") % {"count": granted}, messages.SUCCESS)

    @admin.action(description=_("Revoke the instructor role"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[InstructorProfile]) -> None:
        for profile in queryset:
            instructor_revoke(profile=profile)
        self.message_user(
            request, _("%(count)d instructor role(s) revoked.") % {"count": queryset.count()}, messages.SUCCESS
        )


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("title", "course", "due_at", "max_score", "submission_count")
    list_filter = (("course", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("title", "description", "course__title")
    list_select_related = ("course",)
    autocomplete_fields = ("course",)
    date_hierarchy = "due_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assignment]:
        return super().get_queryset(request).annotate(submission_total=Count("submissions"))

    @admin.display(description=_("submissions"), ordering="submission_total")
    def submission_count(self, assignment: Assignment) -> int:
        return getattr(assignment, "submission_total", 0)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Submissions are written by learners and graded on the grading page (link below), so
    that the rules and the notifications apply: read-only here."""

    list_display = ("user", "assignment", "submitted_at", "is_late", "score", "graded_at")
    list_filter = (
        "is_late",
        ("graded_at", admin.EmptyFieldListFilter),
        ("assignment__course", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("user__email", "assignment__title", "assignment__course__title")
    list_select_related = ("user", "assignment__course")
    date_hierarchy = "submitted_at"
    fields = (
        "assignment",
        "user",
        "text",
        "file",
        "submitted_at",
        "is_late",
        "score",
        "feedback",
        "graded_at",
        "graded_by",
        "grading_page",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Submission | None = None) -> bool:
        return False

    @admin.display(description=_("grade"))
    def grading_page(self, submission: Submission) -> SafeString:
        url = reverse("learning:teaching-grade", kwargs={"pk": submission.pk})
        return format_html('<a href="{}">{}</a>', url, _("Open the grading page"))
