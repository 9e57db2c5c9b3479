"""Therapists API: /api/v1/therapy/therapists/ (the directory of verified therapists) and
/api/v1/therapy/therapist-profile/ (your own application or profile)."""

from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import ErrorSerializer
from core.http import AuthenticatedRequest
from therapy.models import Specialization, TherapistProfile
from therapy.selectors.profiles import (
    TherapistFilter,
    therapist_get_verified,
    therapist_list_verified,
    therapist_profile_for_user,
)
from therapy.services.profiles import LANGUAGE_MAX_LENGTH, LANGUAGES_MAX, therapist_profile_save

from .common import UUID_PATTERN, TherapyPartySerializer


class TherapistSerializer(serializers.ModelSerializer):
    """A verified therapist as the directory shows them."""

    user = TherapyPartySerializer(read_only=True)
    specialization_label = serializers.CharField(source="get_specialization_display", read_only=True)

    class Meta:
        model = TherapistProfile
        fields = [
            "id",
            "user",
            "specialization",
            "specialization_label",
            "bio",
            "credentials",
            "languages",
            "accepting_clients",
            "verified_at",
        ]
        read_only_fields = fields


class TherapistViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The directory: verified therapists, by name, filtered by specialization, text
    (`search`: every word in the name, bio or credentials), language and whether they accept
    new clients. Ask one to work with you by creating a relationship."""

    serializer_class = TherapistSerializer
    lookup_value_regex = UUID_PATTERN
    filterset_class = TherapistFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self) -> QuerySet[TherapistProfile]:
        if getattr(self, "swagger_fake_view", False):
            return TherapistProfile.objects.none()
        return therapist_list_verified()

    def get_object(self) -> TherapistProfile:
        profile = therapist_get_verified(therapist_profile_id=self.kwargs["pk"])
        if profile is None:
            raise Http404
        return profile


class TherapistProfileSerializer(serializers.ModelSerializer):
    """Your own application or profile, with its verification status."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    verified_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = TherapistProfile
        fields = [
            "id",
            "specialization",
            "bio",
            "credentials",
            "languages",
            "accepting_clients",
            "status",
            "status_label",
            "rejection_reason",
            "verified_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TherapistProfileInputSerializer(serializers.Serializer):
    specialization = serializers.ChoiceField(choices=Specialization.choices)
    credentials = serializers.CharField(max_length=2000, help_text="Qualifications and licence, checked by staff.")
    bio = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    languages = serializers.ListField(
        child=serializers.CharField(max_length=LANGUAGE_MAX_LENGTH),
        max_length=LANGUAGES_MAX,
        required=False,
        default=list,
    )
    accepting_clients = serializers.BooleanField(required=False, default=True)


class TherapistProfileMeApi(APIView):
    """Your application to work as a therapist (staff verify it before the directory shows
    you)."""

    @extend_schema(
        responses={
            200: TherapistProfileSerializer,
            404: OpenApiResponse(ErrorSerializer, description="You have not applied."),
        },
        operation_id="therapy_therapist_profile_retrieve",
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        profile = therapist_profile_for_user(user=request.user)
        if profile is None:
            raise Http404
        return Response(TherapistProfileSerializer(profile).data)

    @extend_schema(
        request=TherapistProfileInputSerializer,
        responses={200: TherapistProfileSerializer, 201: TherapistProfileSerializer},
        description="Apply (201, pending verification) or edit your application or profile (200). Editing a "
        "rejected application sends it again; changing a verified profile's credentials sends it back to staff.",
        operation_id="therapy_therapist_profile_update",
    )
    def put(self, request: AuthenticatedRequest) -> Response:
        data = TherapistProfileInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        existed = therapist_profile_for_user(user=request.user) is not None
        profile = therapist_profile_save(user=request.user, **data.validated_data)
        return Response(
            TherapistProfileSerializer(profile).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )
