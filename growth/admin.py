"""Admin of growth: goals › habits (pauses inline), completions, reflections, todos, badges
and reminders sent. Workflow state and the streak engine's fields are read-only here:
changing them goes through the services (actions: archive goals, pause and resume habits)."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_mixins import ReadOnlyAdminMixin
from core.errors import ApplicationError
from growth.models import Badge, Goal, Habit, HabitCompletion, HabitPause, Reflection, ReminderSent, Todo
from growth.services.goals import goal_archive
from growth.services.habits import habit_pause, habit_resume


def _run_for_owner(
    admin_view: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any], service: Callable[..., Any]
) -> None:
    """Call ``service`` on each selected row on its owner's behalf (the owner's rules apply);
    report how many were done and each refusal with its reason."""
    done = 0
    for obj in queryset.select_related("user"):
        try:
            service(obj, user=obj.user)
        except ApplicationError as error:
            admin_view.message_user(request, f"{obj}: {error.message}", messages.WARNING)
        else:
            done += 1
    if done:
        admin_view.message_user(request, _("%(count)d done.") % {"count": done}, messages.SUCCESS)


class HabitInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Habit
    extra = 0
    fields = ("title", "frequency", "status", "current_streak", "longest_streak", "completion_rate")
    readonly_fields = fields
    show_change_link = True


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "status", "mentor", "mentor_approved", "progress", "due_date", "created_at")
    list_filter = ("status", "mentor_approved", "category")
    search_fields = ("title", "identity", "user__email", "mentor__email")
    list_select_related = ("user", "mentor")
    raw_id_fields = ("user", "mentor")
    date_hierarchy = "created_at"
    readonly_fields = (
        "user",
        "status",
        "status_before_archive",
        "progress",
        "mentor_approved",
        "mentor_approved_at",
        "submitted_at",
        "declined_at",
        "decline_reason",
        "activated_at",
        "completed_at",
        "archived_at",
        "created_at",
        "updated_at",
    )
    inlines = [HabitInline]
    actions = ["archive_goals"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Goals are never deleted (archive them).
        return False

    @admin.action(description=gettext_lazy("Archive the selected goals"))
    def archive_goals(self, request: HttpRequest, queryset: QuerySet[Goal]) -> None:
        _run_for_owner(self, request, queryset, lambda goal, user: goal_archive(goal=goal, user=user))


class HabitPauseInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = HabitPause
    extra = 0
    fields = ("started_on", "ended_on")
    readonly_fields = fields


@admin.register(Habit)
class HabitAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "user",
        "goal",
        "frequency",
        "status",
        "current_streak",
        "longest_streak",
        "completion_rate",
    )
    list_filter = ("frequency", "status", "duration_minutes")
    search_fields = ("title", "user__email", "goal__title")
    list_select_related = ("user", "goal")
    readonly_fields = (
        "goal",
        "user",
        "frequency",
        "status",
        "paused_at",
        "completed_at",
        "current_streak",
        "longest_streak",
        "completion_rate",
        "completed_count",
        "start_period",
        "seen_through",
        "counted_through",
        "paused_periods",
        "last_period",
        "last_run",
        "next_due",
        "created_at",
        "updated_at",
    )
    inlines = [HabitPauseInline]
    actions = ["pause_habits", "resume_habits"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=gettext_lazy("Pause the selected habits"))
    def pause_habits(self, request: HttpRequest, queryset: QuerySet[Habit]) -> None:
        _run_for_owner(self, request, queryset, lambda habit, user: habit_pause(habit=habit, user=user))

    @admin.action(description=gettext_lazy("Resume the selected habits"))
    def resume_habits(self, request: HttpRequest, queryset: QuerySet[Habit]) -> None:
        _run_for_owner(self, request, queryset, lambda habit, user: habit_resume(habit=habit, user=user))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(HabitCompletion)
class HabitCompletionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("habit", "user", "period", "run_length", "completed_at")
    list_filter = ("habit__frequency",)
    search_fields = ("habit__title", "user__email")
    list_select_related = ("habit", "user")
    date_hierarchy = "period"


@admin.register(Reflection)
class ReflectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "date", "kind", "mood", "mood_score", "shared_with", "insights_engine")
    # How many insights a language model wrote, and why the statistics stood in for it.
    list_filter = ("kind", "mood", "insights_engine", "insights_fallback_reason")
    search_fields = ("user__email",)
    list_select_related = ("user", "shared_with")
    date_hierarchy = "date"


@admin.register(Todo)
class TodoAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("text", "user", "priority", "done", "due_date")
    list_filter = ("done", "priority")
    search_fields = ("text", "user__email")
    list_select_related = ("user",)


@admin.register(Badge)
class BadgeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "user", "type", "level", "earned_at")
    list_filter = ("type", "level")
    search_fields = ("title", "user__email")
    list_select_related = ("user",)


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "kind", "local_date", "created_at")
    list_filter = ("kind",)
    search_fields = ("user__email",)
    list_select_related = ("user",)
    date_hierarchy = "local_date"
