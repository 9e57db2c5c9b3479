from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    """Mentor profiles, venues, mentorship sessions, feedback, reviews, mentor notes, community events."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "mentorship"
    verbose_name = "Mentorship"

    def ready(self) -> None:
        from accounts.demo import DemoSeeder, demo_seeders

        from . import advisors, dashboard, personal_data
        from .demo import seed_mentors
        from .demo_events import seed_events
        from .demo_sessions import seed_sessions

        personal_data.register()
        dashboard.register()
        advisors.register()
        demo_seeders.register(DemoSeeder("mentorship-mentors", seed_mentors, order=70))
        demo_seeders.register(DemoSeeder("mentorship-sessions", seed_sessions, order=75))
        demo_seeders.register(DemoSeeder("mentorship-events", seed_events, order=78))
        from accounts.scale import ScaleSeeder, scale_seeders

        from .scale import seed_mentorship_scale

        scale_seeders.register(ScaleSeeder("mentorship", seed_mentorship_scale, order=30))
        from django.apps import apps

        from accounts.api.caching import list_cache_invalidate_on

        from .models import MentorProfile

        list_cache_invalidate_on("mentors", [MentorProfile, apps.get_model("learning", "Category")])
