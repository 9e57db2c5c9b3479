"""Form helpers: a service's ``ValidationError`` shown on the form, a typed field, and the
searchable time-zone field.

Services validate what they write and raise ``ValidationError`` — keyed by field
(``{"title": [...]}``) or a plain list of messages. A page view that called the service
from a valid form puts those messages back on the form, so the user sees them next to the
field they are about.
"""

from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .timezones import timezone_current, timezone_options, timezone_resolve

F = TypeVar("F", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """``form.fields[name]`` as the ``kind`` of field it is, to set what only that kind has
    (a choice field's queryset, a number field's bounds) in a form's ``__init__``."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}.")
    return field


def form_errors_from(form: forms.BaseForm, error: ValidationError, *, aliases: Mapping[str, str] | None = None) -> None:
    """Add ``error``'s messages to ``form``.

    An error keyed by field puts each field's messages on the form field of that name —
    after ``aliases`` renames a service's field to the form's (``{"price_cents": "price"}``)
    — and the messages of fields the form lacks (and ``__all__``) among the non-field
    errors. An error without fields adds all its messages to the non-field errors. The
    messages keep their codes and parameters.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        name = aliases.get(field, field) if aliases else field
        form.add_error(name if name in form.fields else None, errors)


@cache
def _timezone_datalist_options() -> SafeString:
    return format_html_join(
        "",
        '<option value="{}" label="{}"></option>',
        ((option.name, option.label) for options in timezone_options().values() for option in options),
    )


class TimezoneInput(forms.TextInput):
    """A text input searchable through a ``<datalist>`` of the current zones (UTC, then
    by region and city: typing "Paris" or "France" offers Europe/Paris). Works without
    script; ``static/js/timezone-guess.js`` fills in the browser's zone where the input has
    ``data-timezone-guess``."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none", "inputmode": "search"}
        super().__init__(defaults | (attrs or {}))

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or self.attrs.get('id') or name}-zones"
        attrs["list"] = list_id
        field = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}">{}</datalist>', field, list_id, _timezone_datalist_options())


class TimezoneField(forms.CharField):
    """An IANA time zone, typed or picked from the list. Accepts every name zoneinfo knows
    (a value stored before stays valid), a listed name in another case, or a city that
    names one zone ("Paris" → Europe/Paris). A legacy alias — what many browsers report —
    is shown and saved as its current name ("Asia/Calcutta" → Asia/Kolkata)."""

    widget = TimezoneInput
    default_error_messages = {
        "invalid_timezone": _(
            "Choose a time zone from the list, e.g. Europe/London: type a city or a country to search."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("label", _("Time zone"))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return timezone_current(value) if isinstance(value, str) else value

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        resolved = timezone_resolve(text)
        if not resolved:
            raise ValidationError(self.error_messages["invalid_timezone"], code="invalid_timezone")
        return resolved
