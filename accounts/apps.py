from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Identity and platform services; registers its own dashboard panel and links."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts")
    # Models with free text whose values the audit log records (accounts.audit); notifications
    # are content-private there (CONTENT_PRIVATE_MODELS).
    audit_public_models = {
        "User": "identity fields staff look after; erasure pseudonymises the entries",
        "Profile": "a person's profile, shown to others; erasure pseudonymises the entries",
        "StoredFile": "a file's name, type, key and tags, never its content",
        "Announcement": "staff's announcement to members, sent to everyone it addresses",
    }

    def ready(self) -> None:
        from . import audit, checks, dashboard, notifications, personal_data, receivers, roles  # noqa: F401 — signals, checks

        notifications.register()

        # Every app's models are loaded before any ready() runs: all of them get audited.
        audit.register_audited_models()
        dashboard.register()
        personal_data.register()
        from core.registry import DemoSeeder, ReportSection, ScaleSeeder, demo_seeders, report_sections, scale_seeders

        from .demo.scale import seed_users
        from .demo.seed import seed_announcements, seed_files, seed_notifications, seed_profiles
        from .selectors.reports import report_members

        report_sections.register(ReportSection("members", _("Members"), report_members, order=10))
        demo_seeders.register(DemoSeeder("accounts.profiles", seed_profiles, order=10))
        demo_seeders.register(DemoSeeder("accounts.notifications", seed_notifications, order=15))
        demo_seeders.register(DemoSeeder("accounts.files", seed_files, order=20))
        # After every app's demo people exist.
        demo_seeders.register(DemoSeeder("accounts.announcements", seed_announcements, order=99))
        scale_seeders.register(ScaleSeeder("users", seed_users, order=10))
        post_migrate.connect(roles.on_post_migrate, sender=self, dispatch_uid="accounts.roles.sync")
