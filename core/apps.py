from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel: plumbing only. Its one model is the task outbox."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from . import outbox  # noqa: F401 — registers the encryption key check
        from .api import schema  # noqa: F401 — registers the OpenAPI auth extension
