"""Admin of general reviews: the authors' own words, read and moderated (deleted) by staff."""

from django.contrib import admin
from django.http import HttpRequest

from mentorship.models import Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("target", "author", "rating", "created_at")
    list_filter = ("rating", "created_at")
    search_fields = ("target__email", "author__email", "comment")
    list_select_related = ("target", "author")
    readonly_fields = ("author", "target", "rating", "comment", "created_at", "updated_at")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        return False
