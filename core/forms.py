"""One step every page view shares: a service's ``ValidationError`` shown on the form.

Services validate what they write and raise ``ValidationError`` — keyed by field
(``{"title": [...]}``) or a plain list of messages. A page view that called the service
from a valid form puts those messages back on the form, so the user sees them next to the
field they are about.
"""

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


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
