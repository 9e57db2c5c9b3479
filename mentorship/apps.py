from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    """Mentor profiles, venues, mentorship sessions, feedback, reviews, mentor notes, community events."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "mentorship"
    verbose_name = "Mentorship"

    def ready(self) -> None:
        from . import dashboard, personal_data

        personal_data.register()
        dashboard.register()
