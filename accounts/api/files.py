"""Stored files API: /api/v1/accounts/files/ (multipart upload) and the avatar at
/api/v1/accounts/me/avatar/. Thin: parse, call a service, shape the answer."""

from django.conf import settings
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import StoredFile
from accounts.selectors.files import StoredFileFilter, file_download_url, file_get_for_user, file_list_for_user
from accounts.services.avatars import avatar_remove, avatar_set
from accounts.services.files import file_delete, file_update, file_upload
from core.http import AuthenticatedRequest, signed_in_user

from .serializers import MeSerializer, TagListField

_LIMITS = (
    f"At most {settings.FILE_UPLOAD_MAX_BYTES} bytes; the type is detected from the content, not the name, "
    f"and must be one of: {', '.join(settings.FILE_UPLOAD_ALLOWED_TYPES)}."
)


class StoredFileSerializer(serializers.ModelSerializer):
    """A stored file's metadata and where to download it."""

    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    url = serializers.SerializerMethodField(
        help_text=(
            "Download URL. For a private file it is signed and expires after "
            f"{settings.PRIVATE_FILE_URL_MAX_AGE} seconds: fetch the file again for a fresh one."
        )
    )

    class Meta:
        model = StoredFile
        fields = [
            "id",
            "original_name",
            "mime_type",
            "size",
            "tags",
            "is_public",
            "expires_at",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, file: StoredFile) -> str:
        url = file_download_url(file=file)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class FileUploadSerializer(serializers.Serializer):
    # Empty files reach the service, which refuses them with the same message everywhere.
    file = serializers.FileField(allow_empty_file=True, use_url=False, help_text=_LIMITS)
    tags = TagListField(required=False, help_text="Short labels; repeat the field for several.")
    is_public = serializers.BooleanField(
        required=False, default=False, help_text="Public files have a plain URL anyone can open."
    )
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Deleted after this time (must be in the future)."
    )


class FileUpdateSerializer(serializers.Serializer):
    tags = TagListField(required=False)
    is_public = serializers.BooleanField(
        required=False, help_text="Changing it moves the file to the public or the private storage."
    )
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="In the future, or null for no expiry."
    )


class FileViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in user's stored files (expired ones are gone). Upload as
    multipart/form-data; another user's file is a 404."""

    request: AuthenticatedRequest

    serializer_class = StoredFileSerializer
    parser_classes = [MultiPartParser, JSONParser]
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = StoredFileFilter
    ordering_fields = ["created_at", "original_name", "size"]
    ordering = ["-created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[StoredFile]:
        if getattr(self, "swagger_fake_view", False):
            return StoredFile.objects.none()
        return file_list_for_user(user=self.request.user)

    def get_object(self) -> StoredFile:
        return file_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request={"multipart/form-data": FileUploadSerializer}, responses={201: StoredFileSerializer})
    def create(self, request: Request) -> Response:
        data = FileUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stored = file_upload(
            user=signed_in_user(request),
            uploaded_file=data.validated_data["file"],
            tags=data.validated_data.get("tags"),
            is_public=data.validated_data["is_public"],
            expires_at=data.validated_data["expires_at"],
        )
        return Response(self.get_serializer(stored).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"application/json": FileUpdateSerializer}, responses=StoredFileSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        stored = self.get_object()
        data = FileUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        stored = file_update(file=stored, data=data.validated_data)
        return Response(self.get_serializer(stored).data)

    def destroy(self, request: Request, pk: str) -> Response:
        file_delete(file=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class AvatarUploadSerializer(serializers.Serializer):
    avatar = serializers.FileField(
        allow_empty_file=True,
        use_url=False,
        help_text=(
            f"An image of at most {settings.AVATAR_MAX_BYTES} bytes; it is turned upright, resized to "
            f"fit {settings.AVATAR_SIZE}×{settings.AVATAR_SIZE} pixels and stored as a JPEG without metadata."
        ),
    )


class AvatarApi(APIView):
    """The signed-in user's avatar: a JPEG, PNG, GIF or WebP image, stored resized as a
    public JPEG under their default profile; its URL is ``avatar_url`` on ``me``."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": AvatarUploadSerializer},
        responses=MeSerializer,
        operation_id="accounts_me_avatar_update",
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = AvatarUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = avatar_set(user=request.user, uploaded_file=data.validated_data["avatar"])
        return Response(MeSerializer(user, context={"request": request}).data)

    @extend_schema(request=None, responses={204: None}, operation_id="accounts_me_avatar_destroy")
    def delete(self, request: AuthenticatedRequest) -> Response:
        avatar_remove(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
