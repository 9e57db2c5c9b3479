"""Profiles API: /api/v1/accounts/profiles/ (+ make-default)."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import CUSTOM_FIELDS_MAX_BYTES, Profile
from accounts.selectors.profiles import profile_get_for_user, profile_list_for_user
from accounts.services.profiles import profile_create, profile_delete, profile_make_default, profile_update
from core.http import AuthenticatedRequest, signed_in_user


class ProfileSerializer(serializers.ModelSerializer):
    custom_fields = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text=f"Any JSON object of at most {CUSTOM_FIELDS_MAX_BYTES // 1024} KB.",
    )

    class Meta:
        model = Profile
        fields = ["id", "name", "type", "custom_fields", "is_default", "created_at", "updated_at"]
        read_only_fields = ["id", "is_default", "created_at", "updated_at"]


class ProfileCreateSerializer(ProfileSerializer):
    is_default = serializers.BooleanField(
        required=False, default=False, help_text="Make it the default (the first profile always is)."
    )

    class Meta(ProfileSerializer.Meta):
        read_only_fields = ["id", "created_at", "updated_at"]


class ProfileViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in user's profiles. Exactly one is the default; the first one is."""

    request: AuthenticatedRequest

    serializer_class = ProfileSerializer
    filterset_fields = ["type", "is_default"]
    ordering_fields = ["created_at", "name"]
    search_fields = ["name"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Profile]:
        if getattr(self, "swagger_fake_view", False):
            return Profile.objects.none()
        return profile_list_for_user(user=self.request.user)

    def get_object(self) -> Profile:
        return profile_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=ProfileCreateSerializer, responses={201: ProfileSerializer})
    def create(self, request: Request) -> Response:
        data = ProfileCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = profile_create(user=signed_in_user(request), **data.validated_data)
        return Response(ProfileSerializer(profile).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        profile = self.get_object()
        data = ProfileSerializer(profile, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        profile = profile_update(profile=profile, data=data.validated_data)
        return Response(ProfileSerializer(profile).data)

    def destroy(self, request: Request, pk: str) -> Response:
        profile_delete(profile=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=ProfileSerializer)
    @action(detail=True, methods=["post"], url_path="make-default")
    def make_default(self, request: Request, pk: str) -> Response:
        """Make this profile the default; the previous default stops being one."""
        return Response(ProfileSerializer(profile_make_default(profile=self.get_object())).data)
