"""Serializers of the accounts API."""

from rest_framework import serializers

from accounts.models import User
from accounts.validators import TAG_MAX_COUNT, TAG_MAX_LENGTH, validate_timezone


class TagListField(serializers.ListField):
    child = serializers.CharField(max_length=TAG_MAX_LENGTH, trim_whitespace=True)
    max_length = TAG_MAX_COUNT


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
            "username",
            "first_name",
            "last_name",
            "display_name",
            "title",
            "bio",
            "avatar_url",
            "location",
            "timezone",
            "reminder_time",
            "race",
            "ethnicity",
            "skills",
            "interests",
            "membership_tier",
            "is_new_user",
            "date_joined",
        ]
        read_only_fields = ["id", "email", "membership_tier", "is_new_user", "date_joined"]

    def get_avatar_url(self, user: User) -> str | None:
        return user.avatar.url if user.avatar else None
