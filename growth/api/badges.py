"""Badges API: /api/v1/growth/badges/ — the signed-in user's badges (read only)."""

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, serializers, viewsets
from rest_framework.filters import OrderingFilter

from core.http import AuthenticatedRequest
from growth.api.common import UUID_PATTERN
from growth.models import Badge
from growth.selectors.badges import BadgeFilter, badge_list_for_user


class BadgeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Badge
        fields = ["id", "type", "level", "title", "description", "icon", "metadata", "earned_at"]
        read_only_fields = fields


class BadgeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your badges, latest first (awarded by tasks; never twice per type and level)."""

    request: AuthenticatedRequest

    serializer_class = BadgeSerializer
    lookup_value_regex = UUID_PATTERN
    filterset_class = BadgeFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["earned_at", "type", "level"]

    def get_queryset(self) -> QuerySet[Badge]:
        if getattr(self, "swagger_fake_view", False):
            return Badge.objects.none()
        return badge_list_for_user(user=self.request.user)
