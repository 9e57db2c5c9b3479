"""Notifications API: /api/v1/accounts/notifications/ (+ read, read-all, unread-count) and
/api/v1/accounts/notification-preferences/."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.choices import CallableChoiceIterator
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Notification
from accounts.selectors.notifications import (
    NotificationFilter,
    notification_get_for_user,
    notification_list_for_user,
    notification_preferences_for_user,
    notification_unread_count,
)
from accounts.services.notifications import (
    notification_mark_read,
    notification_preferences_set,
    notifications_mark_all_read,
)
from core.http import AuthenticatedRequest
from core.registry import notification_type_choices


class NotificationSerializer(serializers.ModelSerializer):
    type_label = serializers.CharField(source="get_type_display", read_only=True, help_text="The type in words.")
    action_url = serializers.CharField(
        read_only=True, help_text="Where to go for it: a path on the site (/…) or an http(s) address; may be empty."
    )

    class Meta:
        model = Notification
        fields = [
            "id",
            "type",
            "type_label",
            "title",
            "message",
            "is_read",
            "read_at",
            "related_type",
            "related_id",
            "action_url",
            "created_at",
        ]
        read_only_fields = fields


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0)


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in user's notifications, newest first. Another user's is a 404."""

    request: AuthenticatedRequest

    serializer_class = NotificationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = NotificationFilter

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return notification_list_for_user(user=self.request.user)

    def get_object(self) -> Notification:
        notification = notification_get_for_user(user=self.request.user, notification_id=self.kwargs["pk"])
        if notification is None:
            raise Http404
        return notification

    @extend_schema(request=None, responses=NotificationSerializer, operation_id="accounts_notifications_read")
    @action(detail=True, methods=["post"])
    def read(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Mark this notification read (again is fine: ``read_at`` keeps the first time)."""
        notification = notification_mark_read(user=request.user, notification=self.get_object())
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=CountSerializer, operation_id="accounts_notifications_read_all")
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[], pagination_class=None)
    def read_all(self, request: AuthenticatedRequest) -> Response:
        """Mark all of your unread notifications read; ``count`` is how many changed."""
        return Response({"count": notifications_mark_all_read(user=request.user)})

    @extend_schema(responses=CountSerializer, operation_id="accounts_notifications_unread_count")
    @action(detail=False, methods=["get"], url_path="unread-count", filter_backends=[], pagination_class=None)
    def unread_count(self, request: AuthenticatedRequest) -> Response:
        """How many of your notifications are unread."""
        return Response({"count": notification_unread_count(user=request.user)})


class NotificationPreferenceSerializer(serializers.Serializer):
    # Evaluated for each serializer, so a type registered after start-up is accepted too (DRF
    # takes any iterable; its stubs say Sequence).
    type = serializers.ChoiceField(choices=CallableChoiceIterator(notification_type_choices))  # type: ignore[arg-type]
    # The serializer's metaclass takes declared fields off the class: this never hides Field.label.
    label = serializers.CharField(read_only=True, help_text="The type in words.")  # type: ignore[assignment]
    area = serializers.CharField(read_only=True, help_text="account, learning, mentorship, growth or therapy.")
    area_label = serializers.CharField(read_only=True)
    email = serializers.BooleanField(help_text="Whether an e-mail copy is sent (the notification is always in-app).")


class NotificationPreferenceListSerializer(serializers.ListSerializer):
    child = NotificationPreferenceSerializer()

    def validate(self, attrs: list[dict]) -> list[dict]:
        types = [item["type"] for item in attrs]
        repeated = sorted({value for value in types if types.count(value) > 1})
        if repeated:
            raise serializers.ValidationError(f"Each type may appear once ({', '.join(repeated)} repeats).")
        return attrs


class NotificationPreferencesApi(APIView):
    """Which notification types you also get by e-mail (every type is on until you turn it off)."""

    @extend_schema(
        responses=NotificationPreferenceSerializer(many=True), operation_id="accounts_notification_preferences_list"
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        items = notification_preferences_for_user(user=request.user)
        return Response(NotificationPreferenceSerializer(items, many=True).data)

    @extend_schema(
        request=NotificationPreferenceSerializer(many=True),
        responses=NotificationPreferenceSerializer(many=True),
        operation_id="accounts_notification_preferences_update",
        description="Send `{type, email}` for the types to change; types left out keep their setting. "
        "Answers with every type.",
    )
    def put(self, request: AuthenticatedRequest) -> Response:
        data = NotificationPreferenceListSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notification_preferences_set(
            user=request.user, preferences={item["type"]: item["email"] for item in data.validated_data}
        )
        return self.get(request)
