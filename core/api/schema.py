"""drf-spectacular schema generation with the API's error responses documented."""

from typing import Literal

from drf_spectacular.contrib.django_allauth import XSessionTokenAuthenticationScheme
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "oneOf": [
                {"type": "array", "items": {}},
                {"type": "object", "additionalProperties": True},
            ]
        },
    }
)
class FieldErrorsField(serializers.DictField):
    """Messages by field. A field's value is a list of messages or, for a list or nested
    field, an object of the same shape keyed by item index or sub-field."""


class ErrorSerializer(serializers.Serializer):
    """Every error: a human message and a machine code."""

    detail = serializers.CharField()
    code = serializers.CharField()


class ValidationErrorSerializer(ErrorSerializer):
    """A 400: the first problem in `detail`; for invalid input (`code` is `invalid`) all of them
    in `errors` by field. A body that cannot be parsed (`parse_error`) has no `errors`."""

    # The serializer's metaclass pops declared fields off the class, so this field never
    # shadows Serializer.errors at runtime; the stubs see a class attribute.
    errors = FieldErrorsField(  # type: ignore[assignment]
        required=False,
        help_text=(
            "Present when `code` is `invalid`. Messages by field (`non_field_errors` for the rest): "
            "a list of messages, or for a list or nested field an object keyed by item index or sub-field, e.g. "
            '`{"skills": {"2": ["Ensure this field has no more than 50 characters."]}}`.'
        ),
    )


_ERRORS = {
    "400": OpenApiResponse(ValidationErrorSerializer, description="The input is not valid."),
    "401": OpenApiResponse(ErrorSerializer, description="Not signed in (send X-Session-Token)."),
    "403": OpenApiResponse(ErrorSerializer, description="Signed in but not allowed."),
    "404": OpenApiResponse(ErrorSerializer, description="Not found (or another user's private data)."),
    "409": OpenApiResponse(ErrorSerializer, description="The state change is refused; detail says why."),
    "429": OpenApiResponse(ErrorSerializer, description="Too many writes; retry after `Retry-After` seconds."),
}


class AutoSchema(BaseAutoSchema):
    """Adds the error responses an operation can give to its documented responses."""

    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        method = self.method.upper()
        codes = ["401", "403"]
        if method in ("POST", "PUT", "PATCH") or self._is_list_view():
            codes.append("400")
        if "{" in self.path or self._is_list_view():
            codes.append("404")
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            codes += ["409", "429"]
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(_ERRORS[code], code, direction=direction)
        return responses


class SessionTokenAuthenticationScheme(XSessionTokenAuthenticationScheme):
    """Documents :class:`core.api.authentication.SessionTokenAuthentication`."""

    target_class = "core.api.authentication.SessionTokenAuthentication"
