"""Admin of mentor profiles and users' mentorship categories. Verifying and rejecting go
through the services (audited, the mentor notified, ``mentor_verified`` sent)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_actions import admin_action_form_response
from core.errors import ApplicationError
from core.http import signed_in_user
from mentorship.models import MentorProfile, UserCategory
from mentorship.services.profiles import mentor_reject, mentor_verify


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Note for the applicant"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)


def _error_text(error: Exception) -> str:
    return getattr(error, "message", None) or "; ".join(getattr(error, "messages", [str(error)]))


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "headline", "status", "location", "rating", "total_sessions", "created_at")
    list_filter = ("status", ("categories", admin.RelatedOnlyFieldListFilter), "created_at")
    search_fields = ("user__email", "user__first_name", "user__last_name", "headline", "location", "bio")
    list_select_related = ("user",)
    autocomplete_fields = ("user", "categories", "subcategories")
    actions = ["verify_mentors", "reject_mentors"]
    readonly_fields = (
        "status",
        "verified_at",
        "verified_by",
        "review_note",
        "rating",
        "review_count",
        "total_sessions",
        "in_person_sessions",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("user", "headline", "bio", "image")}),
        (_("Focus"), {"fields": ("categories", "subcategories", "expertise", "years_experience")}),
        (_("Where and who"), {"fields": ("location", "race", "ethnicity")}),
        (
            _("Booking"),
            {"fields": ("availability_url", "meeting_link", "booking_notice_hours", "base_price_cents", "currency")},
        ),
        (_("Review"), {"fields": ("status", "verified_at", "verified_by", "review_note")}),
        (_("Derived"), {"fields": ("rating", "review_count", "total_sessions", "in_person_sessions")}),
        (None, {"fields": ("created_at", "updated_at")}),
    )
    date_hierarchy = "created_at"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def _report(self, request: HttpRequest, done: int, refused: list[str]) -> None:
        if done:
            self.message_user(
                request,
                ngettext("%(count)d mentor changed.", "%(count)d mentors changed.", done) % {"count": done},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description=_("Verify the selected mentors (listed and bookable)"), permissions=["change"])
    def verify_mentors(self, request: HttpRequest, queryset: QuerySet[MentorProfile]) -> None:
        done, refused = 0, []
        for profile in queryset:
            try:
                mentor_verify(profile=profile, staff=signed_in_user(request))
            except ApplicationError as error:
                refused.append(error.message)
                continue
            done += 1
        self._report(request, done, refused)

    @admin.action(description=_("Reject the selected mentors (asks for a note)"), permissions=["change"])
    def reject_mentors(self, request: HttpRequest, queryset: QuerySet[MentorProfile]) -> HttpResponse | None:
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done, refused = 0, []
            for profile in queryset:
                try:
                    mentor_reject(profile=profile, staff=signed_in_user(request), note=form.cleaned_data["note"])
                except (ApplicationError, ValidationError) as error:
                    refused.append(_error_text(error))
                    continue
                done += 1
            self._report(request, done, refused)
            return None
        return admin_action_form_response(
            self,
            request,
            title=_("Reject mentors"),
            form=form,
            selected=queryset.select_related("user"),
            template="admin/mentorship/mentorprofile/reject.html",
        )


@admin.register(UserCategory)
class UserCategoryAdmin(admin.ModelAdmin):
    list_display = ("user", "category", "created_at")
    list_filter = (("category", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("user__email", "category__name")
    list_select_related = ("user", "category__parent")
    autocomplete_fields = ("user", "category")
