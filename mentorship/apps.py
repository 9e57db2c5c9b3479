from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    """Mentor profiles, venues, mentorship sessions, feedback, reviews, mentor notes, community events."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "mentorship"
    verbose_name = "Mentorship"
    # The audit log (accounts.audit) records which fields of these changed, never their values.
    audit_content_models = {
        "MentorshipSession": "the mentee's topic and notes, the session's review and cancel reason",
        "SessionFeedback": "a mentee's feedback on a session, possibly anonymous",
        "Review": "what one person wrote about another",
        "MentorSessionNote": "a mentor's notes on a session, private ones among them",
        "MenteePreference": "what a mentee looks for: the languages they speak",
        "TimeOff": "a mentor's days off and their note on why",
    }
    # Free text the audit log records with values: published by its author.
    audit_public_models = {
        "Event": "a community event, published to everyone",
        "MentorProfile": "the mentor's directory listing; the review note is staff's",
        "Venue": "a place, published to everyone",
    }

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from core.registry import (
            CalendarSource,
            DemoSeeder,
            FirstStep,
            ReportSection,
            ScaleSeeder,
            calendar_sources,
            demo_seeders,
            first_steps,
            reminder_sources,
            report_sections,
            scale_seeders,
        )
        from learning.registry import PurchaseKind, purchase_kinds

        from . import advisors, dashboard, notifications, personal_data
        from .demo.availability import seed_availability
        from .demo.events import seed_events
        from .demo.scale import seed_mentorship_scale
        from .demo.seed import seed_mentors
        from .demo.sessions import seed_sessions
        from .receivers import mentor_directory_cache_connect
        from .selectors.calendar import calendar_entries_for_user
        from .selectors.reports import report_events, report_sessions
        from .services.events import (
            EVENT_REMINDERS,
            PURCHASE_KIND,
            event_seat_fulfil,
            event_seat_item_url,
            event_seat_release,
        )
        from .services.sessions import (
            PAYMENT_KIND,
            SESSION_REMINDERS,
            session_payment_fulfil,
            session_payment_item_url,
            session_payment_release,
        )

        notifications.register()
        personal_data.register()
        dashboard.register()
        advisors.register()
        # The welcome's first step for "mentor" (accounts.User.Intent).
        first_steps.register(
            FirstStep(
                "mentor",
                _("Find a mentor"),
                _("Browse mentors by field, price and language, and book a first session by video or in person."),
                "mentorship:mentor-list",
                order=20,
            )
        )
        # What mentorship sells through learning's payments.
        purchase_kinds.register(
            PurchaseKind(
                PAYMENT_KIND,
                _("Mentorship session"),
                fulfil=session_payment_fulfil,
                release=session_payment_release,
                item_url=session_payment_item_url,
                order=10,
            )
        )
        purchase_kinds.register(
            PurchaseKind(
                PURCHASE_KIND,
                _("Event seat"),
                fulfil=event_seat_fulfil,
                release=event_seat_release,
                item_url=event_seat_item_url,
                order=20,
            )
        )
        report_sections.register(ReportSection("sessions", _("Mentorship sessions"), report_sessions, order=40))
        report_sections.register(ReportSection("events", _("Events"), report_events, order=50))
        reminder_sources.register(SESSION_REMINDERS)
        reminder_sources.register(EVENT_REMINDERS)
        calendar_sources.register(
            CalendarSource("mentorship", lambda user, now: calendar_entries_for_user(user=user, now=now), order=10)
        )
        demo_seeders.register(DemoSeeder("mentorship-mentors", seed_mentors, order=70))
        demo_seeders.register(DemoSeeder("mentorship-sessions", seed_sessions, order=75))
        demo_seeders.register(DemoSeeder("mentorship-events", seed_events, order=78))
        demo_seeders.register(DemoSeeder("mentorship-availability", seed_availability, order=79))
        scale_seeders.register(ScaleSeeder("mentorship", seed_mentorship_scale, order=30))
        mentor_directory_cache_connect()
        from core.registry import AssistantSource, assistant_sources

        from .selectors.profiles import mentor_assistant_items

        # What "Ask the assistant" may point to: the mentors of the directory.
        assistant_sources.register(
            AssistantSource(
                "mentors", lambda query, user, limit: mentor_assistant_items(query=query, limit=limit), order=20
            )
        )
