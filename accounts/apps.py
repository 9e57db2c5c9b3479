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
    }

    def ready(self) -> None:
        from . import audit, dashboard, personal_data, receivers, roles  # noqa: F401 — signals, checks

        # Every app's models are loaded before any ready() runs: all of them get audited.
        audit.register_audited_models()
        dashboard.register()
        personal_data.register()
        from .scale import ScaleSeeder, scale_seeders, seed_users

        scale_seeders.register(ScaleSeeder("users", seed_users, order=10))
        post_migrate.connect(roles.on_post_migrate, sender=self, dispatch_uid="accounts.roles.sync")
