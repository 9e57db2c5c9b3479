from django.apps import AppConfig


class GrowthConfig(AppConfig):
    """Identity goals, two-minute habits and completions, reflections, todos, badges."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "growth"
    verbose_name = "Growth"
