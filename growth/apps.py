"""Identity goals, two-minute habits and completions, reflections, todos, badges."""

from django.apps import AppConfig


class GrowthConfig(AppConfig):
    """Identity goals, two-minute habits and completions, reflections, todos, badges."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "growth"
    verbose_name = "Growth"
    # The audit log (accounts.audit) records which fields of these changed, never their values.
    audit_content_models = {
        "Goal": "a person's own goals and identity",
        "Habit": "a person's own habits, cues and rewards",
        "HabitCompletion": "notes on a day's habit",
        "Reflection": "a person's reflection (mood, score, text) and their mentor's feedback on it",
        "Todo": "a person's own to-dos",
    }
    # Free text the audit log records with values.
    audit_public_models = {"Badge": "awarded by the system; the text is the badge's, not a person's"}

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from core.registry import DemoSeeder, FirstStep, demo_seeders, first_steps

        from . import dashboard, notifications, personal_data, receivers  # noqa: F401 — receivers connect on import
        from .demo.habits import seed_habits
        from .demo.reflections import seed_reflections

        notifications.register()
        dashboard.register()
        # The welcome's first step for "habits" (accounts.User.Intent).
        first_steps.register(
            FirstStep(
                "habits",
                _("Start a two-minute habit"),
                _("Pick a ready-made habit small enough to do today; its goal comes with it."),
                "growth:habit-start",
                order=30,
            )
        )
        from core.registry import ReportSection, report_sections

        from .selectors.reports import report_growth

        report_sections.register(ReportSection("growth", _("Habits"), report_growth, order=60))
        demo_seeders.register(DemoSeeder("growth-habits", seed_habits, order=80))
        demo_seeders.register(DemoSeeder("growth-reflections", seed_reflections, order=85))
        personal_data.register()
        from core.registry import ScaleSeeder, scale_seeders

        from .demo.scale import seed_growth_scale

        scale_seeders.register(ScaleSeeder("growth", seed_growth_scale, order=40))
        from . import caching

        caching.connect()
        from core.registry import AssistantSource, assistant_sources

        from .selectors.habits import habit_template_assistant_items

        # What "Ask the assistant" may point to: the ready-made two-minute habits.
        assistant_sources.register(
            AssistantSource(
                "habits", lambda query, user, limit: habit_template_assistant_items(query=query, limit=limit), order=30
            )
        )
