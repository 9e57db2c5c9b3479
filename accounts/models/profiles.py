"""Profiles (seed 001): several per user, exactly one default."""

import json
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel

CUSTOM_FIELDS_MAX_BYTES = 64 * 1024


def _json_strings(value: object) -> Iterator[str]:
    """Every string in a JSON value, object keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _json_strings(key)
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _storable(text: str) -> bool:
    """PostgreSQL keeps no NUL character and UTF-8 has no lone surrogate."""
    return "\x00" not in text and not any("\ud800" <= char <= "\udfff" for char in text)


def validate_custom_fields(value: object) -> None:
    """A JSON object (string keys) of at most 64 KB once encoded, with text that can be stored."""
    if not isinstance(value, dict):
        raise ValidationError(_("Custom fields must be an object of names and values."), code="not_object")
    if any(not isinstance(key, str) or not key.strip() for key in value):
        raise ValidationError(_("Every custom field needs a name."), code="blank_key")
    if not all(_storable(text) for text in _json_strings(value)):
        raise ValidationError(
            _("Custom fields may not contain NUL characters or unpaired surrogates."), code="unstorable_text"
        )
    size = len(json.dumps(value, ensure_ascii=False).encode())
    if size > CUSTOM_FIELDS_MAX_BYTES:
        raise ValidationError(
            _("Custom fields may take at most 64 KB (these take %(size)d KB)."),
            code="too_large",
            params={"size": size // 1024},
        )


class Profile(BaseModel):
    """One face of a user (personal, professional …); the default one is shown first."""

    class Type(models.TextChoices):
        PERSONAL = "personal", _("Personal")
        PROFESSIONAL = "professional", _("Professional")
        CUSTOM = "custom", _("Custom")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profiles")
    name = models.CharField(_("name"), max_length=100)
    type = models.CharField(_("type"), max_length=16, choices=Type.choices, default=Type.PERSONAL)
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True, validators=[validate_custom_fields])
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        ordering = ["-is_default", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_default=True),
                name="accounts_profile_one_default_per_user",
                violation_error_message=_("A user has exactly one default profile."),
            ),
        ]
        indexes = [models.Index(fields=["user", "is_default"], name="accounts_profile_user_default")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_type_display()})"
