"""Wellness check-ins API: /api/v1/learning/wellness/ — the learner's answers over time.

Each answer says how the learner felt halfway through a course; one among the lowest two
moods of the scale carries ``support`` (``core.support``: the lines of the learner's
country, by their time zone), the same as a distressing journal entry in therapy. Only
one's own answers; answering stays ``enrollments/{id}/wellness-check/``.
"""

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers

from core.api.support import SupportSerializer
from core.http import AuthenticatedRequest
from learning.selectors.wellness import WellnessAnswer, wellness_answer_list_for_user, wellness_support_for


class WellnessAnswerSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    answered_at = serializers.DateTimeField()
    mood = serializers.IntegerField(help_text="1 (struggling) to 5 (great).")
    note = serializers.CharField(allow_blank=True)
    course_title = serializers.CharField(allow_blank=True, help_text="Empty when the course is gone.")
    course_slug = serializers.CharField(allow_null=True)
    support = serializers.SerializerMethodField(
        help_text="For a mood among the lowest two: the support lines of your country. Null otherwise."
    )

    @extend_schema_field(SupportSerializer(allow_null=True))
    def get_support(self, answer: WellnessAnswer) -> dict[str, Any] | None:
        support = wellness_support_for(user=self.context["request"].user, mood=answer.mood, with_contacts=False)
        return support.as_dict() if support is not None else None


@extend_schema(description="Your wellness check-ins, newest first; a low one carries `support`.")
class WellnessAnswerListApi(generics.ListAPIView):
    request: AuthenticatedRequest

    serializer_class = WellnessAnswerSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> list[WellnessAnswer]:  # type: ignore[override]
        if getattr(self, "swagger_fake_view", False):
            return []
        return wellness_answer_list_for_user(user=self.request.user)
