"""One error format for the whole API.

Every error is JSON with a human ``detail``; validation errors (400) add ``errors``
keyed by field (``non_field_errors`` for the rest). A refused state change
(:class:`core.errors.ApplicationError`) is a 409. Django's ``ValidationError`` raised
by a service is treated like DRF's.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError


def _first_message(errors: Any) -> str:
    if isinstance(errors, dict):
        for field, value in errors.items():
            message = _first_message(value)
            if message:
                return message if field in ("non_field_errors", "detail") else f"{field}: {message}"
    elif isinstance(errors, list):
        for value in errors:
            message = _first_message(value)
            if message:
                return message
    elif errors:
        return str(errors)
    return ""


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, "code": "conflict", **exc.extra}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)):
        # Django's request limits (DATA_UPLOAD_MAX_*), raised while DRF parses the body.
        exc = exceptions.ParseError(
            "The request is too large: its form fields (files aside) or its number of fields or files "
            "exceed the limits."
        )

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {
            "detail": _first_message(errors) or "The request is not valid.",
            "code": "invalid",
            "errors": errors,
        }
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        response.data = {
            "detail": str(detail if not isinstance(detail, (list, dict)) else _first_message(detail)),
            "code": exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code,
        }
    return response


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 handler (``handler404``): under ``/api/`` a URL that matches no route —
    such as an object URL whose id is not a UUID — answers in the API's JSON error format,
    as documented; everywhere else the HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": str(exceptions.NotFound.default_detail), "code": exceptions.NotFound.default_code},
            status=status.HTTP_404_NOT_FOUND,
        )
    return page_not_found(request, exception)
