"""Views of the accounts API: thin — parse, call a service, shape the answer."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services.users import user_update
from core.http import AuthenticatedRequest

from .serializers import MeSerializer


class MeApi(APIView):
    """The signed-in user's account."""

    @extend_schema(responses=MeSerializer, operation_id="accounts_me_retrieve")
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user, context={"request": request}).data)

    @extend_schema(request=MeSerializer, responses=MeSerializer, operation_id="accounts_me_partial_update")
    def patch(self, request: AuthenticatedRequest) -> Response:
        serializer = MeSerializer(request.user, data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = user_update(user=request.user, data=serializer.validated_data)
        return Response(MeSerializer(user, context={"request": request}).data)
