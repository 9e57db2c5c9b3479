"""Field validators shared by models, forms and serializers."""

import zoneinfo
from functools import cache

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Field, Model
from django.utils.translation import gettext_lazy as _

TAG_MAX_LENGTH = 50
TAG_MAX_COUNT = 30


def field_max_length(model: type[Model], name: str, default: int | None = None) -> int:
    """The ``max_length`` of ``model``'s field ``name`` — the limit services check before
    saving — else ``default``; a field with neither is a programming error."""
    field = model._meta.get_field(name)
    max_length = field.max_length if isinstance(field, Field) else None
    if max_length:
        return max_length
    if default is None:
        raise ImproperlyConfigured(f"{model.__name__}.{name} has no max_length.")
    return default


@cache
def available_timezones() -> frozenset[str]:
    """IANA zone names known to this Python (cached: the set never changes at run time)."""
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    """Accept only IANA time zone names such as ``Europe/Paris`` or ``UTC``."""
    if value not in available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone; use an IANA name such as Europe/London."),
            code="invalid_timezone",
            params={"value": value},
        )


def validate_tag_list(value: object) -> None:
    """A list of at most 30 distinct, non-empty strings of at most 50 characters each."""
    if not isinstance(value, list):
        raise ValidationError(_("Enter a list of short texts."), code="invalid_list")
    if len(value) > TAG_MAX_COUNT:
        raise ValidationError(_("Enter at most %(max)d entries."), code="too_many", params={"max": TAG_MAX_COUNT})
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ValidationError(_("Each entry must be a non-empty text."), code="invalid_item")
        if len(item) > TAG_MAX_LENGTH:
            raise ValidationError(
                _("Each entry must be at most %(max)d characters."),
                code="item_too_long",
                params={"max": TAG_MAX_LENGTH},
            )


def normalize_tag_list(values: list[str]) -> list[str]:
    """Strip entries and drop empty ones and case-insensitive duplicates, keeping order."""
    seen: set[str] = set()
    result = []
    for value in values:
        cleaned = " ".join(value.split())
        if cleaned and cleaned.casefold() not in seen:
            seen.add(cleaned.casefold())
            result.append(cleaned)
    return result
