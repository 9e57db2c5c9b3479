from django.apps import AppConfig


class TherapyConfig(AppConfig):
    """Therapist profiles, client–therapist relationships, journal, therapy sessions, messages."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "therapy"
    verbose_name = "Therapy"

    def ready(self) -> None:
        from . import dashboard, personal_data

        dashboard.register()
        personal_data.register()
