"""Errors that services raise and every interface (page, API, admin, task) understands."""


class ApplicationError(Exception):
    """A refused state change: the request was understood but the rules forbid it.

    The API answers 409 with ``message``; pages show it as an error message. Raise Django's
    ``ValidationError`` instead when the input itself is wrong (400).
    """

    def __init__(self, message: str, *, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
