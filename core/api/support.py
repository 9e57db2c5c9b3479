"""The API's shape of :class:`core.support.SupportResources` (``SupportResources.as_dict``):
therapy's distressing journal entries and learning's low wellness check-ins answer it alike."""

from rest_framework import serializers


class SupportLineSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField(allow_null=True, help_text="The number to call, null when it takes no calls.")
    text = serializers.CharField(allow_null=True, help_text="The number to text, null when it takes no texts.")
    url = serializers.URLField()


class SupportSerializer(serializers.Serializer):
    message = serializers.CharField()
    country = serializers.CharField(
        allow_null=True, help_text="ISO 3166 code, from your time zone; null: the international lines."
    )
    emergency_number = serializers.CharField(allow_null=True)
    lines = SupportLineSerializer(many=True)
