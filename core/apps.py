from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel: plumbing only. Its one model is the task outbox."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from . import outbox  # noqa: F401 — registers the encryption key check
        from .api import schema  # noqa: F401 — registers the OpenAPI auth extension
        from .pwa import signed_out

        # A sign-out's response clears the browser's caches (core.middleware.ClearSiteDataMiddleware).
        user_logged_out.connect(signed_out, dispatch_uid="core.pwa.signed_out")
