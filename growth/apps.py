"""Identity goals, two-minute habits and completions, reflections, todos, badges."""

from django.apps import AppConfig


class GrowthConfig(AppConfig):
    """Identity goals, two-minute habits and completions, reflections, todos, badges."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "growth"
    verbose_name = "Growth"

    def ready(self) -> None:
        from . import dashboard, personal_data, receivers  # noqa: F401 — receivers connect on import

        dashboard.register()
        personal_data.register()
