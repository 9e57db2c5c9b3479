from django.apps import AppConfig


class TherapyConfig(AppConfig):
    """Therapist profiles, client–therapist relationships, journal, therapy sessions, messages."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "therapy"
    verbose_name = "Therapy"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from core.registry import DemoSeeder, FirstStep, demo_seeders, first_steps

        from . import dashboard, notifications, personal_data
        from .demo.journal import seed_therapy_journal_sessions
        from .demo.seed import seed_therapy

        notifications.register()
        dashboard.register()
        personal_data.register()
        # The welcome's first step for "care" (accounts.User.Intent).
        first_steps.register(
            FirstStep(
                "care",
                _("Find a therapist"),
                _("Licensed therapists you can write to in private; your journal stays yours."),
                "therapy:therapist-list",
                order=40,
            )
        )
        from core.registry import ReportSection, report_sections

        from .selectors.reports import report_therapy

        report_sections.register(
            ReportSection(
                "therapy",
                _("Therapy"),
                report_therapy,
                order=70,
                note=_("Counts only. A count of 1 or 2 is not shown (“fewer than 3”): it could point at a person."),
            )
        )
        from core.registry import SupportContactSource, support_contacts

        from .selectors.relationships import relationship_support_contacts

        support_contacts.register(SupportContactSource("therapy", relationship_support_contacts, order=10))
        from core.registry import reminder_sources

        from .services.sessions import THERAPY_SESSION_REMINDERS

        reminder_sources.register(THERAPY_SESSION_REMINDERS)
        from core.registry import CalendarSource, calendar_sources

        from .selectors.calendar import therapy_calendar_entries_for_user

        calendar_sources.register(
            CalendarSource(
                "therapy",
                lambda user, now: therapy_calendar_entries_for_user(user=user, now=now),
                order=30,
            )
        )
        demo_seeders.register(DemoSeeder("therapy", seed_therapy, order=90))
        demo_seeders.register(DemoSeeder("therapy-journal-sessions", seed_therapy_journal_sessions, order=95))
