"""The person's consent to the language-model assistant: GET and PUT
/api/v1/accounts/me/assistant-consent/ — the same selector and services as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.selectors.assistant import assistant_consent_given
from accounts.services.assistant import assistant_consent_give, assistant_consent_withdraw
from core.errors import ApplicationError
from core.http import AuthenticatedRequest
from core.llm import llm_configured, llm_provider_name


class AssistantConsentSerializer(serializers.Serializer):
    consent = serializers.BooleanField(
        help_text="Whether the person agreed that their chat answers and, for insights, their week's reflections "
        "may be sent to the language-model provider (e-mail addresses and phone numbers masked; never anything "
        "from therapy)."
    )
    given_at = serializers.DateTimeField(allow_null=True, help_text="When they agreed; null without consent.")
    configured = serializers.BooleanField(help_text="Whether this site has a language model set up at all.")
    provider = serializers.CharField(help_text='Who receives the text (e.g. "OpenAI"); empty when none is set up.')


class AssistantConsentUpdateSerializer(serializers.Serializer):
    consent = serializers.BooleanField(help_text="true: agree; false: withdraw (nothing more is sent).")


def _state(user: User) -> dict:
    given = assistant_consent_given(user)
    return {
        "consent": given,
        "given_at": user.assistant_consent_at if given else None,
        "configured": llm_configured(),
        "provider": llm_provider_name(),
    }


class AssistantConsentApi(APIView):
    """The signed-in person's consent to the language-model assistant."""

    @extend_schema(responses=AssistantConsentSerializer, operation_id="accounts_me_assistant_consent_retrieve")
    def get(self, request: Request) -> Response:
        return Response(AssistantConsentSerializer(_state(request.user)).data)  # type: ignore[arg-type]

    @extend_schema(
        request=AssistantConsentUpdateSerializer,
        responses={
            200: AssistantConsentSerializer,
            409: OpenApiResponse(description="Agreeing while no language model is set up on this site."),
        },
        operation_id="accounts_me_assistant_consent_update",
    )
    def put(self, request: AuthenticatedRequest) -> Response:
        data = AssistantConsentUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["consent"]:
            if not llm_configured():
                raise ApplicationError(_("No language model is set up on this site: there is nothing to agree to."))
            assistant_consent_give(user=request.user)
        else:
            assistant_consent_withdraw(user=request.user)
        return Response(AssistantConsentSerializer(_state(request.user)).data)
