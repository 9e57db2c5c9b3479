"""Pages of growth, mounted at /grow/."""

from django.urls import path

from .views import badges, goals, habits, reflections, todos

app_name = "growth"

urlpatterns = [
    path("reflections/", reflections.reflection_list, name="reflection-list"),
    path("reflections/write/", reflections.reflection_write, name="reflection-write"),
    path("reflections/shared/", reflections.reflection_inbox, name="reflection-inbox"),
    path("reflections/shared/<uuid:pk>/", reflections.reflection_shared_detail, name="reflection-shared-detail"),
    path("reflections/<uuid:pk>/", reflections.reflection_detail, name="reflection-detail"),
    path("reflections/<uuid:pk>/share/", reflections.reflection_share_view, name="reflection-share"),
    path("reflections/<uuid:pk>/insights/", reflections.reflection_insights_view, name="reflection-insights"),
    path("todos/", todos.todo_list, name="todo-list"),
    path("todos/<uuid:pk>/toggle/", todos.todo_toggle, name="todo-toggle"),
    path("todos/<uuid:pk>/delete/", todos.todo_delete_view, name="todo-delete"),
    path("todos/<uuid:pk>/edit/", todos.todo_edit, name="todo-edit"),
    path("badges/", badges.badge_list, name="badge-list"),
    path("habits/", habits.habit_list, name="habit-list"),
    path("habits/new/", habits.habit_create_view, name="habit-create"),
    path("habits/start/", habits.habit_start, name="habit-start"),
    path("habits/<uuid:pk>/", habits.habit_detail, name="habit-detail"),
    path("habits/<uuid:pk>/edit/", habits.habit_edit, name="habit-edit"),
    path("habits/<uuid:pk>/tick/", habits.habit_tick, name="habit-tick"),
    path("habits/<uuid:pk>/backfill/", habits.habit_backfill, name="habit-backfill"),
    path("habits/<uuid:pk>/evidence/<uuid:completion_pk>/", habits.habit_evidence, name="habit-evidence"),
    path("habits/<uuid:pk>/<slug:action>/", habits.habit_action, name="habit-action"),
    path("goals/", goals.goal_list, name="goal-list"),
    path("goals/approvals/", goals.goal_approvals, name="goal-approvals"),
    path("goals/<uuid:pk>/", goals.goal_detail, name="goal-detail"),
    path("goals/<uuid:pk>/<slug:action>/", goals.goal_action, name="goal-action"),
]
