"""Admin of enrollments and their progress: staff grant, pause, resume and recompute through
services."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.errors import ApplicationError
from learning.models import Enrollment, LessonProgress
from learning.services.payments import enrollment_grant
from learning.services.progress import enrollment_pause, enrollment_progress_refresh, enrollment_resume


class LessonProgressInline(admin.TabularInline):
    """The lessons the learner opened or completed: when completed (oldest first, open ones
    last) and the time spent (written by the services only)."""

    model = LessonProgress
    extra = 0
    fields = ("lesson", "completed_at", "time_spent_seconds")
    readonly_fields = fields
    can_delete = False
    ordering = (F("completed_at").asc(nulls_last=True), "created_at")
    verbose_name = _("lesson")
    verbose_name_plural = _("lessons: completion and time spent")

    def has_add_permission(self, request: HttpRequest, obj: Enrollment | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[LessonProgress]:
        return super().get_queryset(request).select_related("lesson")


class EnrollmentGrantForm(forms.ModelForm):
    """The learner and the course; an existing enrollment is not an error (granting reopens
    it when a refund closed it)."""

    class Meta:
        model = Enrollment
        fields = ("user", "course")

    def _get_validation_exclusions(self) -> set[str]:
        # Skips the one-per-learner-and-course constraint here: ``enrollment_grant`` handles
        # an existing enrollment. The form fields themselves are still validated.
        # A private ModelForm hook the stubs do not list.
        return {*super()._get_validation_exclusions(), "course"}  # type: ignore[misc]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    """Enrollments and their progress are written by the services (enrolling, completing
    lessons): staff read them, pause or resume them and recompute progress after a course's
    lessons changed."""

    list_display = ("user", "course", "status", "source", "progress_percent", "last_accessed_at", "completed_at")
    list_filter = ("status", "source", ("course", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__email", "user__first_name", "user__last_name", "course__title")
    list_select_related = ("user", "course")
    date_hierarchy = "started_at"
    ordering = ("-started_at",)
    actions = ["pause_enrollments", "resume_enrollments", "refresh_progress"]
    inlines = [LessonProgressInline]
    fields = (
        "user",
        "course",
        "status",
        "source",
        "progress_percent",
        "current_module",
        "current_lesson",
        "started_at",
        "last_accessed_at",
        "completed_at",
        "wellness_check_completed",
        "access_revoked_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    add_fields = ("user", "course")
    autocomplete_fields = ("user", "course")

    def get_fields(self, request: HttpRequest, obj: Enrollment | None = None) -> tuple[str, ...]:
        return self.fields if obj is not None else self.add_fields

    def get_form(
        self, request: HttpRequest, obj: Enrollment | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        if obj is None:
            kwargs["form"] = EnrollmentGrantForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Enrollment | None = None) -> tuple[str, ...]:
        return self.readonly_fields if obj is not None else ()

    def get_inlines(self, request: HttpRequest, obj: Enrollment | None) -> list:
        return self.inlines if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Enrollment, form: forms.ModelForm, change: bool) -> None:
        """Adding an enrollment is staff granting access (paid courses included), through
        ``enrollment_grant``: it enrols with source "granted by staff", or reopens an
        enrollment whose access ended with a refund. Audited like every change."""
        if change:
            return
        granted = enrollment_grant(user=obj.user, course=obj.course)
        obj.pk, obj._state.adding = granted.pk, False

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None) -> HttpResponse:
        try:
            return super().add_view(request, form_url, {**(extra_context or {}), "title": _("Grant an enrolment")})
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.path)

    def _apply(
        self,
        request: HttpRequest,
        queryset: QuerySet[Enrollment],
        change: Callable[..., Enrollment],
        done: Callable[[int], str],
    ) -> None:
        """Run ``change`` on each selected enrollment; report each refusal and how many changed."""
        count = 0
        for enrollment in queryset.select_related("user", "course"):
            try:
                change(enrollment=enrollment)
            except ApplicationError as exc:
                self.message_user(request, f"{enrollment}: {exc.message}", messages.WARNING)
                continue
            count += 1
        if count:
            self.message_user(request, done(count) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Pause the selected enrollments"))
    def pause_enrollments(self, request: HttpRequest, queryset: QuerySet[Enrollment]) -> None:
        self._apply(
            request,
            queryset,
            enrollment_pause,
            lambda n: ngettext("%(count)d enrollment paused.", "%(count)d enrollments paused.", n),
        )

    @admin.action(description=_("Resume the selected enrollments"))
    def resume_enrollments(self, request: HttpRequest, queryset: QuerySet[Enrollment]) -> None:
        self._apply(
            request,
            queryset,
            enrollment_resume,
            lambda n: ngettext("%(count)d enrollment resumed.", "%(count)d enrollments resumed.", n),
        )

    @admin.action(description=_("Recompute progress (after lessons were added or removed)"))
    def refresh_progress(self, request: HttpRequest, queryset: QuerySet[Enrollment]) -> None:
        self._apply(
            request,
            queryset,
            enrollment_progress_refresh,
            lambda n: ngettext(
                "Progress recomputed for %(count)d enrollment.", "Progress recomputed for %(count)d enrollments.", n
            ),
        )
