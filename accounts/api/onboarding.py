"""The welcome's state for the apps: GET and PATCH /api/v1/accounts/me/onboarding/.

The apps run their own welcome; the name and time zone are fields of ``/me/``. Here they
read and record what brings the person here and whether the welcome was finished, skipped
or dismissed — the same services as the pages.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.selectors.onboarding import OnboardingStatus, onboarding_first_steps, onboarding_status, user_is_new
from accounts.services.onboarding import (
    onboarding_complete,
    onboarding_dismiss,
    onboarding_intents_set,
    onboarding_skip,
)
from core.http import AuthenticatedRequest
from core.registry import FirstStep

_ACTIONS = {
    OnboardingStatus.COMPLETED: onboarding_complete,
    OnboardingStatus.SKIPPED: onboarding_skip,
    OnboardingStatus.DISMISSED: onboarding_dismiss,
}


class FirstStepSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The answer this step is for (one of the intents).")
    title = serializers.CharField()
    description = serializers.CharField()
    url = serializers.CharField(help_text="A path on the site, e.g. /mentors/.")


class OnboardingSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[status.value for status in OnboardingStatus],
        help_text="pending: not finished nor skipped (sign-ins lead to the welcome); skipped: the "
        "dashboard offers to resume it; dismissed: that offer is hidden; completed.",
    )
    intents = serializers.ListField(
        child=serializers.ChoiceField(choices=User.Intent.choices), help_text="What brings the person here."
    )
    is_new = serializers.BooleanField(help_text="Greet as new (“Welcome to Ascend”) rather than “Welcome back”.")
    completed_at = serializers.DateTimeField(allow_null=True)
    skipped_at = serializers.DateTimeField(allow_null=True)
    dismissed_at = serializers.DateTimeField(allow_null=True)
    first_steps = FirstStepSerializer(many=True, help_text="Where to start, for the chosen intents.")


class OnboardingUpdateSerializer(serializers.Serializer):
    intents = serializers.ListField(
        child=serializers.ChoiceField(choices=User.Intent.choices),
        required=False,
        help_text="One or more answers to “what brings you here”, replacing the earlier ones.",
    )
    status = serializers.ChoiceField(
        choices=[status.value for status in _ACTIONS],
        required=False,
        help_text="Finish (completed), skip for now (skipped) or hide the offer (dismissed). Applied after intents.",
    )


def _first_step(step: FirstStep) -> dict[str, str]:
    return {"key": step.key, "title": str(step.title), "description": str(step.description), "url": step.url}


def _state(user: User) -> dict:
    return {
        "status": onboarding_status(user=user).value,
        "intents": user.intents,
        "is_new": user_is_new(user=user),
        "completed_at": user.onboarding_completed_at,
        "skipped_at": user.onboarding_skipped_at,
        "dismissed_at": user.onboarding_dismissed_at,
        "first_steps": [_first_step(step) for step in onboarding_first_steps(user=user)],
    }


class OnboardingApi(APIView):
    """The signed-in user's welcome."""

    @extend_schema(responses=OnboardingSerializer, operation_id="accounts_me_onboarding_retrieve")
    def get(self, request: Request) -> Response:
        return Response(OnboardingSerializer(_state(request.user)).data)  # type: ignore[arg-type]

    @extend_schema(
        request=OnboardingUpdateSerializer,
        responses=OnboardingSerializer,
        operation_id="accounts_me_onboarding_partial_update",
    )
    def patch(self, request: AuthenticatedRequest) -> Response:
        data = OnboardingUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        if "intents" in data.validated_data:
            user = onboarding_intents_set(user=user, intents=data.validated_data["intents"])
        if "status" in data.validated_data:
            user = _ACTIONS[OnboardingStatus(data.validated_data["status"])](user=user)
        return Response(OnboardingSerializer(_state(user)).data)
