"""Certificates API: /api/v1/learning/certificates/ (the signed-in holder's own, with a
signed PDF URL) and the public /api/v1/learning/certificates/verify/<number>/.

Another user's certificate is a 404; verification needs no sign-in, gives the number's state
and — only with the certificate's verification code (``?code=``) — its holder, course and
dates; it is rate-limited per client address (429 with ``Retry-After``).
"""

from django.conf import settings
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import ErrorSerializer
from core.http import AuthenticatedRequest
from learning.models import Certificate, Course
from learning.selectors.certificates import (
    CertificateFilter,
    CertificateVerification,
    certificate_get_for_user,
    certificate_list_for_user,
    certificate_pdf_url,
    certificate_verification,
)
from learning.services.certificates import certificate_verify_url
from learning.throttling import CertificateVerifyRateThrottle

NOT_FOUND_DETAIL = "No certificate with this number."
STATE_HELP = "revoked when revoked_at is set; otherwise expired once valid_until has passed; otherwise valid."


class CertificateCourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ["id", "slug", "title"]
        read_only_fields = fields


class CertificateVerificationDetailsSerializer(serializers.ModelSerializer):
    """What the certificate's verification code adds: who holds it, for which course, when."""

    holder_name = serializers.CharField(read_only=True, help_text="The holder's name as printed on the certificate.")
    course_title = serializers.CharField(read_only=True, help_text="The course's title at the time of issue.")
    valid_until = serializers.DateTimeField(read_only=True, allow_null=True, help_text="null: never expires.")
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="null: not revoked.")

    class Meta:
        model = Certificate
        fields = ["holder_name", "course_title", "issued_at", "valid_until", "revoked_at"]
        read_only_fields = fields


class CertificateVerificationSerializer(serializers.Serializer):
    """What anyone may learn about a certificate: its state from the number alone; with its
    verification code, also its details."""

    number = serializers.CharField(source="certificate.number", read_only=True)
    state = serializers.ChoiceField(choices=Certificate.State.choices, read_only=True, help_text=STATE_HELP)
    details = serializers.SerializerMethodField(
        help_text="Holder, course and dates: only with the certificate's verification code (`code`), else null."
    )

    @extend_schema_field(CertificateVerificationDetailsSerializer(allow_null=True))
    def get_details(self, verification: CertificateVerification) -> dict | None:
        if not verification.with_details:
            return None
        return CertificateVerificationDetailsSerializer(verification.certificate).data


class CertificateSerializer(serializers.ModelSerializer):
    """One of the holder's own certificates."""

    state = serializers.ChoiceField(choices=Certificate.State.choices, read_only=True, help_text=STATE_HELP)
    holder_name = serializers.CharField(read_only=True, help_text="The holder's name as printed on the certificate.")
    course_title = serializers.CharField(read_only=True, help_text="The course's title at the time of issue.")
    valid_until = serializers.DateTimeField(read_only=True, allow_null=True, help_text="null: never expires.")
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="null: not revoked.")
    course = CertificateCourseSerializer(read_only=True)
    revoked_reason = serializers.CharField(read_only=True, help_text="Why staff revoked it; empty when not revoked.")
    pdf_url = serializers.SerializerMethodField(
        help_text=(
            "Signed download URL of the PDF, valid for "
            f"{settings.PRIVATE_FILE_URL_MAX_AGE} seconds (fetch the certificate again for a fresh one); "
            "null while the PDF is being prepared."
        )
    )
    pdf_rendered_at = serializers.DateTimeField(read_only=True, allow_null=True)
    verification_url = serializers.SerializerMethodField(
        help_text="The public verification page of this certificate, with its verification code (the page names "
        "the holder and the course; the number alone shows only the state). Share it to prove the certificate."
    )

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "state",
            "course",
            "holder_name",
            "course_title",
            "issued_at",
            "valid_until",
            "revoked_at",
            "revoked_reason",
            "pdf_url",
            "pdf_rendered_at",
            "verification_url",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_pdf_url(self, certificate: Certificate) -> str | None:
        url = certificate_pdf_url(certificate=certificate)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if url is not None and request is not None else url

    @extend_schema_field(OpenApiTypes.URI)
    def get_verification_url(self, certificate: Certificate) -> str:
        return certificate_verify_url(certificate=certificate)


@extend_schema_view(
    list=extend_schema(description="The signed-in user's certificates, newest first (filter by state or course)."),
    retrieve=extend_schema(
        description="One of the signed-in user's certificates, with a fresh signed `pdf_url` once the PDF is "
        "rendered. Another user's certificate is a 404."
    ),
)
class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in user's certificates, newest first; another user's is a 404."""

    request: AuthenticatedRequest

    serializer_class = CertificateSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = CertificateFilter
    ordering_fields = ["issued_at", "number", "course_title"]
    ordering = ["-issued_at"]
    lookup_value_regex = "[0-9a-fA-F-]{36}"

    def get_queryset(self) -> QuerySet[Certificate]:
        if getattr(self, "swagger_fake_view", False):
            return Certificate.objects.none()
        return certificate_list_for_user(user=self.request.user)

    def get_object(self) -> Certificate:
        return certificate_get_for_user(user=self.request.user, pk=self.kwargs["pk"])


class CertificateVerifyApi(APIView):
    """Public verification of a certificate number: valid, revoked or expired; with the
    certificate's verification code also the holder's name, the course and the dates.
    Needs no sign-in; rate-limited per client address."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes = [CertificateVerifyRateThrottle]

    @extend_schema(
        operation_id="learning_certificates_verify",
        parameters=[
            OpenApiParameter(
                "code",
                str,
                required=False,
                description="The certificate's verification code (in the URL printed on it and in its QR code): "
                "adds `details`. A wrong code is a 404.",
            )
        ],
        responses={
            200: CertificateVerificationSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No certificate has this number (and code)."),
            429: OpenApiResponse(
                ErrorSerializer, description="Too many verifications from this address; retry after `Retry-After`."
            ),
        },
        auth=[],
    )
    def get(self, request: Request, number: str) -> Response:
        verification = certificate_verification(number=number, code=request.query_params.get("code"))
        if verification is None:
            return Response({"detail": NOT_FOUND_DETAIL, "code": "not_found"}, status=404)
        return Response(CertificateVerificationSerializer(verification).data)
