"""Serializers of the accounts API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from accounts.services.users import USER_SELF_EDITABLE_FIELDS
from core.validators import TAG_MAX_COUNT, TAG_MAX_LENGTH, validate_timezone


class TagListField(serializers.ListField):
    child = serializers.CharField(max_length=TAG_MAX_LENGTH, trim_whitespace=True)
    max_length = TAG_MAX_COUNT


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
        "example": "08:00:00",
    }
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in the user's own time zone: ``hh:mm[:ss[.uuuuuu]]``, no UTC offset.

    OpenAPI's ``format: time`` is RFC 3339's full-time, which requires an offset, so the
    schema documents the local form with a pattern instead."""


class MeSerializer(serializers.ModelSerializer):
    """The signed-in user's own account. Read-only fields are set by the platform."""

    timezone = serializers.CharField(
        max_length=64,
        required=False,
        validators=[validate_timezone],
        help_text="IANA time zone name, e.g. Europe/London.",
    )
    skills = TagListField(required=False, max_length=TAG_MAX_COUNT)
    interests = TagListField(required=False, max_length=TAG_MAX_COUNT)
    reminder_time = LocalTimeField(
        required=False, help_text="Local time (in `timezone`) for daily reminders, e.g. 08:00:00."
    )
    display_name = serializers.CharField(read_only=True)
    avatar_url = serializers.SerializerMethodField()
    username = serializers.CharField(
        max_length=40,
        required=False,
        allow_null=True,
        allow_blank=True,
        validators=User._meta.get_field("username").validators,
    )

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            *USER_SELF_EDITABLE_FIELDS,
            "display_name",
            "avatar_url",
            "membership_tier",
            "is_new_user",
            "date_joined",
        ]
        read_only_fields = ["id", "email", "membership_tier", "is_new_user", "date_joined"]

    def get_avatar_url(self, user: User) -> str | None:
        return user.avatar.url if user.avatar else None
