"""Admin of the catalog: categories (two levels), courses › modules › lessons with ordering
fields, and learners' course reviews (read and deleted for moderation, never edited).
Publishing and deleting reviews go through services."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.http import signed_in_user
from learning.models import Category, Course, CourseReview, Lesson, Module
from learning.rendering import lesson_video, markdown_to_safe_html, price_display
from learning.selectors.teaching import instructor_user_is_active
from learning.services.catalog import course_publish, course_unpublish
from learning.services.reviews import review_delete

# Lesson video URLs are typed without a scheme at times: assume https (Django 6's default).
URL_FIELD_OVERRIDES: dict[type[models.Field], dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}


class SubcategoryInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    extra = 0
    fields = ("name", "slug", "order", "icon", "colour", "description")
    prepopulated_fields = {"slug": ("name",)}
    verbose_name = _("subcategory")
    verbose_name_plural = _("subcategories")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "slug", "icon", "colour", "order")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter), "colour")
    list_editable = ("order",)
    search_fields = ("name", "slug", "parent__name")
    list_select_related = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SubcategoryInline]
    ordering = ("parent__order", "parent__name", "order", "name")

    def get_inline_instances(self, request: HttpRequest, obj: Category | None = None) -> list:
        # Two levels only: a subcategory has no subcategories of its own.
        return [] if obj is not None and obj.parent_id else super().get_inline_instances(request, obj)

    def formfield_for_foreignkey(self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "parent":
            kwargs["queryset"] = Category.objects.filter(parent=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ("order", "title", "lesson_count")
    readonly_fields = ("lesson_count",)
    ordering = ("order", "created_at")
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Module]:
        return super().get_queryset(request).annotate(lesson_total=Count("lessons"))

    @admin.display(description=_("lessons"))
    def lesson_count(self, module: Module) -> int:
        return getattr(module, "lesson_total", 0)


class CourseAdminForm(forms.ModelForm):
    """The course form of admin: a newly chosen instructor must hold the instructor role."""

    class Meta:
        model = Course
        fields = ("instructor",)

    def clean_instructor(self) -> Any:
        instructor = self.cleaned_data.get("instructor")
        if (
            instructor is not None
            and "instructor" in self.changed_data
            and not instructor_user_is_active(user_id=instructor.pk)
        ):
            raise ValidationError(
                _("%(user)s is not an instructor: grant the role under Instructor profiles first.")
                % {"user": instructor}
            )
        return instructor


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "subcategory", "level", "price", "instructor", "published", "published_at")
    list_filter = ("published", "level", ("category", admin.RelatedOnlyFieldListFilter))
    search_fields = (
        "title",
        "slug",
        "description",
        "instructor__email",
        "instructor__first_name",
        "instructor__last_name",
    )
    list_select_related = ("category", "subcategory__parent", "instructor")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("instructor",)
    readonly_fields = ("published", "published_at", "created_at", "updated_at")
    date_hierarchy = "published_at"
    form = CourseAdminForm
    inlines = [ModuleInline]
    actions = ["publish", "unpublish"]
    fieldsets = (
        (None, {"fields": ("title", "slug", "description", "thumbnail")}),
        (_("Catalog"), {"fields": ("category", "subcategory", "level", "estimated_hours", "instructor")}),
        (_("Price"), {"fields": ("price_cents", "currency")}),
        (
            _("Publication"),
            {
                "fields": ("published", "published_at", "created_at", "updated_at"),
                "description": _("Use the “Publish” and “Unpublish” actions of the course list."),
            },
        ),
    )

    def formfield_for_foreignkey(self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name in ("category", "subcategory"):
            # A subcategory's name shows its parent ("Music › Producer"): load both at once.
            kwargs["queryset"] = Category.objects.select_related("parent")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("price"), ordering="price_cents")
    def price(self, course: Course) -> str:
        return price_display(price_cents=course.price_cents, currency=course.currency)

    def _publish(self, request: HttpRequest, queryset: QuerySet[Course], *, publish: bool) -> None:
        service = course_publish if publish else course_unpublish
        changed = sum(1 for course in queryset if service(course=course))
        message = ngettext("%(count)d course changed.", "%(count)d courses changed.", changed) % {"count": changed}
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Publish the selected courses"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        self._publish(request, queryset, publish=True)

    @admin.action(description=_("Unpublish the selected courses (hidden from learners)"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        self._publish(request, queryset, publish=False)


class LessonInline(admin.TabularInline):
    model = Lesson
    extra = 0
    fields = ("order", "title", "description", "duration_minutes", "video_url")
    ordering = ("order", "created_at")
    show_change_link = True
    formfield_overrides = URL_FIELD_OVERRIDES


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ("title", "course", "order")
    list_filter = (("course", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("title", "course__title")
    list_select_related = ("course",)
    autocomplete_fields = ("course",)
    ordering = ("course__title", "order", "created_at")
    inlines = [LessonInline]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ("title", "module", "course", "order", "duration_minutes")
    list_filter = (("course", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("title", "module__title", "course__title")
    list_select_related = ("module", "course")
    autocomplete_fields = ("module",)
    ordering = ("course__title", "module__order", "order")
    readonly_fields = ("course", "content_preview", "video_preview", "created_at", "updated_at")
    formfield_overrides = URL_FIELD_OVERRIDES
    fields = (
        "module",
        "course",
        "title",
        "description",
        "order",
        "duration_minutes",
        "video_url",
        "video_preview",
        "content",
        "content_preview",
        "created_at",
        "updated_at",
    )

    @admin.display(description=_("content as learners see it"))
    def content_preview(self, lesson: Lesson) -> SafeString:
        # Safe to mark: markdown_to_safe_html sanitises with an allowlist.
        return mark_safe(f'<div class="lesson-content-preview">{markdown_to_safe_html(lesson.content)}</div>')

    @admin.display(description=_("video as learners see it"))
    def video_preview(self, lesson: Lesson) -> str:
        video = lesson_video(lesson.video_url)
        if video is None:
            return "—"
        if video.is_embed:
            return format_html(
                '{} video, embedded from <a href="{}">{}</a>', video.provider, video.embed_url, video.embed_url
            )
        return format_html('Shown as a link: <a href="{}" rel="noopener nofollow">{}</a>', video.url, video.url)


@admin.register(CourseReview)
class CourseReviewAdmin(admin.ModelAdmin):
    """Reviews are the learners' own words: staff read and delete them (moderation), never edit."""

    list_display = ("course", "user", "rating", "created_at")
    list_filter = ("rating", ("course", admin.RelatedOnlyFieldListFilter))
    search_fields = ("course__title", "user__email", "comment")
    list_select_related = ("course", "user")
    readonly_fields = ("course", "user", "rating", "comment", "created_at", "updated_at")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CourseReview | None = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: CourseReview) -> None:
        review_delete(user=signed_in_user(request), review=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CourseReview]) -> None:
        for review in queryset:
            review_delete(user=signed_in_user(request), review=review)
