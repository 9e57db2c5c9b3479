"""Account data API: ``export`` (download my data) and ``me/delete/`` (delete my account)."""

from django.contrib.auth import logout
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import DataExport
from accounts.ratelimits import password_check_allowed, password_check_retry_after
from accounts.selectors.data import data_export_get_for_user, data_export_list_for_user
from accounts.services.data import account_delete, data_export_request
from core.api.schema import ErrorSerializer
from core.http import AuthenticatedRequest, signed_in_user


class DataExportSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="Short-lived signed URL of the ZIP once the export is ready; null before."
    )
    size = serializers.IntegerField(source="file.size", allow_null=True, read_only=True, default=None)

    class Meta:
        model = DataExport
        fields = ["id", "status", "created_at", "finished_at", "size", "download_url"]
        read_only_fields = fields

    def get_download_url(self, export: DataExport) -> str | None:
        if export.status != DataExport.Status.READY or export.file is None:
            return None
        return export.file.storage.url(export.file.key)


class DataExportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Download my data: POST asks for a ZIP of everything (built in the background, the user
    is notified); GET shows its status and, once ready, a signed download URL."""

    request: AuthenticatedRequest

    serializer_class = DataExportSerializer
    filterset_fields = ["status"]
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[DataExport]:
        if getattr(self, "swagger_fake_view", False):
            return DataExport.objects.none()
        return data_export_list_for_user(user=self.request.user)

    def get_object(self) -> DataExport:
        return data_export_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=None, responses={202: DataExportSerializer})
    def create(self, request: Request) -> Response:
        export = data_export_request(user=signed_in_user(request))
        return Response(DataExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)


class AccountDeleteApi(APIView):
    """Delete my account (password required): identity anonymised, private content removed,
    shared records kept as "Deleted user". The session token stops working. Password checks
    are limited like failed sign-ins: past the limit, 429 with Retry-After (a correct
    password too)."""

    class InputSerializer(serializers.Serializer):
        password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    @extend_schema(
        request=InputSerializer,
        responses={
            204: None,
            429: OpenApiResponse(ErrorSerializer, description="Too many password checks; see Retry-After."),
        },
        operation_id="accounts_me_delete",
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not password_check_allowed(request, user=request.user):
            raise Throttled(
                wait=password_check_retry_after(request, user=request.user),
                detail="Too many password attempts. Try again later.",
            )
        account_delete(user=request.user, password=data.validated_data["password"])
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
