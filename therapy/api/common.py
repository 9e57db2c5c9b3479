"""Shared pieces of the therapy API."""

from rest_framework import serializers

# Detail routes take UUIDs only; anything else is a plain 404 from the router.
UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


class MessageCountSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0)


class TherapyPartySerializer(serializers.Serializer):
    """The other party as the API shows them: their id and name, nothing else."""

    id = serializers.UUIDField(source="pk", read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
