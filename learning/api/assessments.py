"""Career assessment API: /api/v1/learning/assessments/ (+ answer, choose) and the chat
history: /api/v1/learning/chats/.

Your own assessments and chats only; another learner's is a 404. Every turn is a chat
message of the assessment's session. Answering returns 202 with your stored turn: the reply
is written by a task, so poll the assessment (``waiting`` turns false when it is there)."""

from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from core.http import AuthenticatedRequest, signed_in_user
from learning.api.catalog import CategoryRefSerializer
from learning.api.enrollments import UUID_PATTERN
from learning.models import Assessment, CareerProfile, ChatMessage
from learning.selectors.assessments import (
    AssessmentFilter,
    ChatMessageFilter,
    assessment_get_for_user,
    assessment_list_for_user,
    assessment_list_with_choices,
    assessment_messages,
    chat_message_list_for_user,
)
from learning.selectors.chat import chat_waiting
from learning.services.assessments import assessment_answer, assessment_choose, assessment_start


class ChatMessageSerializer(serializers.ModelSerializer):
    metadata = serializers.JSONField(
        read_only=True,
        help_text="For assessment turns: question_number, question_total, question_id; llm_follow_up on the "
        "language model's own questions; on the result: recommendation, subcategories and fallback_reason when "
        "the keyword engine answered in the language model's place.",
    )
    engine = serializers.CharField(
        read_only=True, help_text='What wrote an assistant message: "keyword" or "language-model"; empty on yours.'
    )
    prompt_tokens = serializers.IntegerField(read_only=True, allow_null=True)
    completion_tokens = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = ChatMessage
        fields = [
            "id",
            "session_id",
            "session_type",
            "role",
            "message",
            "metadata",
            "engine",
            "model",
            "prompt_version",
            "prompt_tokens",
            "completion_tokens",
            "created_at",
        ]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    question_id = serializers.UUIDField(allow_null=True, help_text="None for the language model's own questions.")
    question = serializers.CharField()
    answer = serializers.CharField()


class RecommendationSerializer(serializers.Serializer):
    subcategory_id = serializers.UUIDField()
    name = serializers.CharField()
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Which answers matched.")


class AssessmentSerializer(serializers.ModelSerializer):
    recommended_category = CategoryRefSerializer(read_only=True, allow_null=True)
    answers = AnswerSerializer(many=True, read_only=True)
    recommendations = RecommendationSerializer(many=True, read_only=True)
    selected_subcategories = CategoryRefSerializer(
        many=True, read_only=True, help_text="What you chose after this assessment (kept when you retake it)."
    )
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "session_id",
            "status",
            "answers",
            "recommended_category",
            "recommendations",
            "selected_subcategories",
            "engine",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields


class AssessmentDetailSerializer(AssessmentSerializer):
    messages = serializers.SerializerMethodField()
    waiting = serializers.SerializerMethodField(help_text="Whether your last answer still waits for its reply.")

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "messages", "waiting"]
        read_only_fields = fields

    def get_waiting(self, assessment: Assessment) -> bool:
        return chat_waiting(assessment.user, assessment.session_id)

    @extend_schema_field(ChatMessageSerializer(many=True))
    def get_messages(self, assessment: Assessment) -> list[dict[str, object]]:
        # many=True builds a ListSerializer, whose data is a list; the stubs see the child's dict.
        return ChatMessageSerializer(assessment_messages(assessment=assessment), many=True).data  # type: ignore[return-value]


class AnswerInputSerializer(serializers.Serializer):
    text = serializers.CharField(
        allow_blank=True, trim_whitespace=True, help_text="Your answer to the current question (not empty)."
    )


class ChooseInputSerializer(serializers.Serializer):
    subcategory_ids = serializers.ListField(
        child=serializers.UUIDField(), help_text="One to three subcategories of one category."
    )


class CareerProfileSerializer(serializers.ModelSerializer):
    category = CategoryRefSerializer(read_only=True)
    subcategories = CategoryRefSerializer(many=True, read_only=True)
    assessment = serializers.UUIDField(source="assessment_id", read_only=True, allow_null=True)

    class Meta:
        model = CareerProfile
        fields = ["category", "subcategories", "assessment", "updated_at"]
        read_only_fields = fields


@extend_schema_view(
    create=extend_schema(
        request=None,
        responses={201: AssessmentDetailSerializer},
        description="Start a new assessment (earlier ones stay in the history): the greeting and the first "
        "question. 409 when the question bank has no active question.",
    ),
)
class AssessmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Your career assessments, newest first; one with its chat turns."""

    request: AuthenticatedRequest

    lookup_value_regex = UUID_PATTERN
    filterset_class = AssessmentFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["created_at", "completed_at"]

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return AssessmentSerializer if self.action == "list" else AssessmentDetailSerializer

    def get_queryset(self) -> QuerySet[Assessment]:
        if getattr(self, "swagger_fake_view", False):
            return Assessment.objects.none()
        return assessment_list_with_choices(assessment_list_for_user(user=self.request.user))

    def get_object(self) -> Assessment:
        assessment = assessment_get_for_user(user=self.request.user, assessment_id=self.kwargs["pk"])
        if assessment is None:
            raise Http404
        return assessment

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        assessment = assessment_start(user=signed_in_user(request))
        return Response(AssessmentDetailSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AnswerInputSerializer,
        responses={202: ChatMessageSerializer},
        description="Answer the current question: 202 with your stored turn. The reply — a follow-up, the next "
        "question, the language model's own question or, at the end, the result — is written by a task: GET the "
        "assessment until `waiting` is false. 400 for an empty answer; 409 when the assessment is completed or "
        "your previous answer still waits for its reply.",
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def answer(self, request: Request, pk: str) -> Response:
        assessment = self.get_object()
        data = AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = assessment_answer(assessment=assessment, text=data.validated_data["text"])
        return Response(ChatMessageSerializer(message).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=ChooseInputSerializer,
        responses={200: CareerProfileSerializer, 404: OpenApiResponse(description="Not your assessment.")},
        description="Choose one to three subcategories of one category: saved as your career profile, onboarding "
        "ends and a pathway is created for each. 409 when the assessment is not completed.",
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def choose(self, request: Request, pk: str) -> Response:
        assessment = self.get_object()
        data = ChooseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = assessment_choose(assessment=assessment, subcategory_ids=data.validated_data["subcategory_ids"])
        return Response(CareerProfileSerializer(profile).data)


class ChatMessageViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your chat history (career assessments, wellness checks, general chats), newest first;
    filter by kind or by session."""

    request: AuthenticatedRequest

    serializer_class = ChatMessageSerializer
    filterset_class = ChatMessageFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[ChatMessage]:
        if getattr(self, "swagger_fake_view", False):
            return ChatMessage.objects.none()
        return chat_message_list_for_user(user=self.request.user)
