"""Admin of mentor profiles and users' mentorship categories."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mentorship.models import MentorProfile, UserCategory


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "headline", "status", "location", "rating", "total_sessions", "created_at")
    list_filter = ("status", ("categories", admin.RelatedOnlyFieldListFilter), "created_at")
    search_fields = ("user__email", "user__first_name", "user__last_name", "headline", "location", "bio")
    list_select_related = ("user",)
    autocomplete_fields = ("user", "categories", "subcategories")
    readonly_fields = (
        "status",
        "verified_at",
        "verified_by",
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
        (_("Booking"), {"fields": ("availability_url", "meeting_link", "base_price_cents", "currency")}),
        (_("Review"), {"fields": ("status", "verified_at", "verified_by", "review_note")}),
        (_("Derived"), {"fields": ("rating", "review_count", "total_sessions", "in_person_sessions")}),
        (None, {"fields": ("created_at", "updated_at")}),
    )
    date_hierarchy = "created_at"


@admin.register(UserCategory)
class UserCategoryAdmin(admin.ModelAdmin):
    list_display = ("user", "category", "created_at")
    list_filter = (("category", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("user__email", "category__name")
    list_select_related = ("user", "category__parent")
    autocomplete_fields = ("user", "category")
