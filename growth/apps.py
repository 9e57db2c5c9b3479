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
        from core.registry import DemoSeeder, demo_seeders

        from . import dashboard, notifications, personal_data, receivers  # noqa: F401 — receivers connect on import
        from .demo.habits import seed_habits
        from .demo.reflections import seed_reflections

        notifications.register()
        dashboard.register()
        demo_seeders.register(DemoSeeder("growth-habits", seed_habits, order=80))
        demo_seeders.register(DemoSeeder("growth-reflections", seed_reflections, order=85))
        personal_data.register()
        from core.registry import ScaleSeeder, scale_seeders

        from .demo.scale import seed_growth_scale

        scale_seeders.register(ScaleSeeder("growth", seed_growth_scale, order=40))
        from . import caching

        caching.connect()
