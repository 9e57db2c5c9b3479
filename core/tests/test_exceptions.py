"""The API's one error format: 400 with field errors, 409 for refused state changes."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.test import APIRequestFactory

from core.api.exceptions import exception_handler
from core.errors import ApplicationError


def _handle(exc):
    request = APIRequestFactory().get("/")
    return exception_handler(exc, {"request": request, "view": None})


def test_application_error_is_409_with_the_message():
    response = _handle(ApplicationError("This session has already started."))
    assert response.status_code == 409
    assert response.data == {"detail": "This session has already started.", "code": "conflict"}


def test_django_validation_error_from_a_service_is_400_by_field():
    response = _handle(DjangoValidationError({"timezone": ["Not a time zone."]}))
    assert response.status_code == 400
    assert response.data["errors"] == {"timezone": ["Not a time zone."]}
    assert response.data["detail"] == "timezone: Not a time zone."


def test_non_field_validation_error():
    response = _handle(exceptions.ValidationError(["Dates overlap."]))
    assert response.status_code == 400
    assert response.data["detail"] == "Dates overlap."
    assert response.data["errors"] == {"non_field_errors": ["Dates overlap."]}


@pytest.mark.parametrize(
    ("exc", "status"), [(Http404(), 404), (exceptions.NotAuthenticated(), 401), (exceptions.PermissionDenied(), 403)]
)
def test_other_errors_keep_a_human_detail(exc, status):
    response = _handle(exc)
    assert response.status_code == status
    assert isinstance(response.data["detail"], str)
    assert response.data["detail"]
    assert response.data["code"]


def test_unexpected_errors_are_left_to_django():
    assert _handle(RuntimeError("boom")) is None
