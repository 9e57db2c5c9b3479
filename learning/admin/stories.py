"""Admin of success stories, published and unpublished through services."""

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from learning.models import Category, SuccessStory
from learning.services.stories import story_publish, story_unpublish

from .catalog import URL_FIELD_OVERRIDES


@admin.register(SuccessStory)
class SuccessStoryAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "subcategory", "location", "ethnicity", "published", "published_at")
    list_filter = (
        "published",
        ("category", admin.RelatedOnlyFieldListFilter),
        ("subcategory", admin.RelatedOnlyFieldListFilter),
        "ethnicity",
    )
    list_select_related = ("category", "subcategory__parent")
    search_fields = ("name", "slug", "story", "location", "current_role", "company")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("published", "published_at", "created_at", "updated_at")
    date_hierarchy = "published_at"
    actions = ["publish", "unpublish"]
    formfield_overrides = URL_FIELD_OVERRIDES
    fieldsets = (
        (None, {"fields": ("name", "slug", "category", "subcategory", "image", "story", "video_url")}),
        (_("Career"), {"fields": ("current_role", "company", "achievements", "tags")}),
        (
            _("Background (shown publicly, with the person's consent)"),
            {"fields": ("location", "ethnicity", "race")},
        ),
        (
            _("Publication"),
            {
                "fields": ("published", "published_at", "created_at", "updated_at"),
                "description": _("Use the “Publish” and “Unpublish” actions of the story list."),
            },
        ),
    )

    def formfield_for_foreignkey(self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "category":
            kwargs["queryset"] = Category.objects.filter(parent=None)
        elif db_field.name == "subcategory":
            kwargs["queryset"] = Category.objects.exclude(parent=None).select_related("parent")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _publish(self, request: HttpRequest, queryset: QuerySet[SuccessStory], *, publish: bool) -> None:
        service = story_publish if publish else story_unpublish
        changed = sum(1 for story in queryset if service(story=story))
        message = ngettext("%(count)d story changed.", "%(count)d stories changed.", changed) % {"count": changed}
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Publish the selected stories"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[SuccessStory]) -> None:
        self._publish(request, queryset, publish=True)

    @admin.action(description=_("Unpublish the selected stories"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[SuccessStory]) -> None:
        self._publish(request, queryset, publish=False)
