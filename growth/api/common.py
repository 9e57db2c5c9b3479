"""What the growth API areas share."""

from typing import Any

from rest_framework import serializers

from core.api.fast import FastRepresentationMixin
from growth.models import Goal
from growth.selectors.todos import goal_options_for_user

# A UUID in its canonical form: any other id matches no route and gets the API's JSON 404.
UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


class GoalBriefSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "title", "identity", "status"]
        read_only_fields = fields


class OwnGoalField(serializers.UUIDField):
    """A goal id of the signed-in user (not archived); another user's goal is a 400, like an
    unknown one. ``null`` unlinks."""

    default_error_messages = {"not_own": "Choose one of your own goals."}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    # A UUID in, the goal out, like PrimaryKeyRelatedField (the stubs expect the UUID).
    def to_internal_value(self, data: Any) -> Goal:  # type: ignore[override]
        goal_id = super().to_internal_value(data)
        goal = goal_options_for_user(user=self.context["request"].user).filter(pk=goal_id).first()
        if goal is None:
            self.fail("not_own")
        return goal
