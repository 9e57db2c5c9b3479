"""Errors that services raise and every interface (page, API, admin, task) understands."""

from django.core.exceptions import ValidationError


class ApplicationError(Exception):
    """A refused state change: the request was understood but the rules forbid it.

    The API answers 409 with ``message``; pages show it as an error message. Raise Django's
    ``ValidationError`` instead when the input itself is wrong (400).
    """

    def __init__(self, message: str, *, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


def error_text(error: ApplicationError | ValidationError, *, field: str | None = None) -> str:
    """What a page shows in one line when a service refused: a refused change's message, or
    a ``ValidationError``'s messages joined — only ``field``'s when it names that field and
    the error has some for it (an HTMX fragment about one input), else all of them."""
    if isinstance(error, ApplicationError):
        return error.message
    if field is not None and hasattr(error, "error_dict") and field in error.error_dict:
        return " ".join(error.message_dict[field])
    return " ".join(error.messages)
