from django.apps import AppConfig


class TherapyConfig(AppConfig):
    """Therapist profiles, client–therapist relationships, journal, therapy sessions, messages."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "therapy"
    verbose_name = "Therapy"

    def ready(self) -> None:
        from core.registry import DemoSeeder, demo_seeders

        from . import dashboard, notifications, personal_data
        from .demo.journal import seed_therapy_journal_sessions
        from .demo.seed import seed_therapy

        notifications.register()
        dashboard.register()
        personal_data.register()
        demo_seeders.register(DemoSeeder("therapy", seed_therapy, order=90))
        demo_seeders.register(DemoSeeder("therapy-journal-sessions", seed_therapy_journal_sessions, order=95))
