"""Form helpers: a service's ``ValidationError`` shown on the form, and a typed field.

Services validate what they write and raise ``ValidationError`` — keyed by field
(``{"title": [...]}``) or a plain list of messages. A page view that called the service
from a valid form puts those messages back on the form, so the user sees them next to the
field they are about.
"""

from collections.abc import Mapping
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

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
