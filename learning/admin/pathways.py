"""Admin of career pathways: staff author the templates; learners' pathways are read-only."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from learning.models import CareerPathway, Category, PathwayStep, PathwayTemplate, PathwayTemplateStep


class PathwayTemplateStepInline(admin.StackedInline):
    model = PathwayTemplateStep
    extra = 1
    fields = ("order", "title", "description", "resources", "estimated_time")


@admin.register(PathwayTemplate)
class PathwayTemplateAdmin(admin.ModelAdmin):
    """Staff author one template per subcategory; resources are ``[{"title", "url"}]`` or
    ``[{"title", "course": "<course slug>"}]``. Learners' pathways copy it when created."""

    list_display = ("title", "subcategory", "step_count")
    list_select_related = ("subcategory__parent",)
    search_fields = ("title", "subcategory__name")
    inlines = [PathwayTemplateStepInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PathwayTemplate]:
        return super().get_queryset(request).annotate(steps_total=Count("steps"))

    @admin.display(description=_("steps"), ordering="steps_total")
    def step_count(self, template: PathwayTemplate) -> int:
        return template.steps_total

    def formfield_for_foreignkey(self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "subcategory":
            kwargs["queryset"] = Category.objects.exclude(parent=None).select_related("parent")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PathwayStepInline(admin.TabularInline):
    model = PathwayStep
    extra = 0
    fields = ("order", "title", "estimated_time", "completed_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: CareerPathway | None = None) -> bool:
        return False


@admin.register(CareerPathway)
class CareerPathwayAdmin(admin.ModelAdmin):
    """Read-only: learners tick their steps, advisors rewrite them on the advisor page."""

    list_display = ("title", "user", "subcategory", "overridden_by_advisor", "created_at")
    list_filter = ("overridden_by_advisor",)
    list_select_related = ("user", "subcategory__parent")
    search_fields = ("title", "user__email")
    readonly_fields = (
        "user",
        "subcategory",
        "template",
        "title",
        "overridden_by_advisor",
        "advisor_notes",
        "advisor",
        "advise_link",
        "created_at",
    )
    fields = readonly_fields
    inlines = [PathwayStepInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CareerPathway | None = None) -> bool:
        return False

    @admin.display(description=_("advise"))
    def advise_link(self, pathway: CareerPathway) -> str:
        url = reverse("learning:pathway-advisor-edit", kwargs={"pk": pathway.pk})
        return format_html('<a href="{}">{}</a>', url, _("Rewrite the steps and notes"))
