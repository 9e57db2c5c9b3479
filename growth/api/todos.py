"""Todos API: /api/v1/growth/todos/ — the signed-in user's own todos (CRUD; another user's is
a 404), filters ``done``, ``goal``, ``priority``, ``due_before``, ``due_after``; ordering."""

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from core.http import AuthenticatedRequest, signed_in_user
from growth.api.common import UUID_PATTERN, GoalBriefSerializer, OwnGoalField
from growth.models import Todo
from growth.selectors.todos import TodoFilter, todo_get_for_user, todo_queryset_for_user
from growth.services.todos import todo_create, todo_delete, todo_set_done, todo_update


class TodoSerializer(serializers.ModelSerializer):
    goal = GoalBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Todo
        fields = ["id", "text", "done", "done_at", "due_date", "priority", "goal", "created_at", "updated_at"]
        read_only_fields = fields


class TodoInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    due_date = serializers.DateField(required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=Todo.Priority.choices, required=False)
    goal = OwnGoalField(help_text="One of your goals (not archived), or null.")
    done = serializers.BooleanField(required=False)


@extend_schema_view(
    create=extend_schema(request=TodoInputSerializer, responses={201: TodoSerializer}),
    partial_update=extend_schema(
        request=TodoInputSerializer, responses=TodoSerializer, description="Change any field; `done` ticks it."
    ),
    update=extend_schema(request=TodoInputSerializer, responses=TodoSerializer),
    destroy=extend_schema(responses={204: None}, description="Delete one of your todos."),
)
class TodoViewSet(viewsets.ModelViewSet):
    """Your todos: open ones first, then by due date, priority (high first) and newest."""

    request: AuthenticatedRequest

    serializer_class = TodoSerializer
    lookup_value_regex = UUID_PATTERN
    filterset_class = TodoFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["due_date", "created_at", "priority_rank", "done"]

    def get_queryset(self) -> QuerySet[Todo]:
        if getattr(self, "swagger_fake_view", False):
            return Todo.objects.none()
        return todo_queryset_for_user(user=self.request.user)

    def _own(self, pk: UUID | str) -> Todo:
        todo = todo_get_for_user(user=self.request.user, todo_id=pk)
        if todo is None:
            raise Http404
        return todo

    def _input(self, request: Request, *, partial: bool) -> dict:
        data = TodoInputSerializer(data=request.data, partial=partial, context={"request": request})
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def create(self, request: Request) -> Response:
        fields = self._input(request, partial=False)
        done = fields.pop("done", False)
        todo = todo_create(user=signed_in_user(request), **fields)
        if done:
            todo = todo_set_done(todo=todo, done=True)
        return Response(TodoSerializer(self._own(todo.pk)).data, status=status.HTTP_201_CREATED)

    def _change(self, request: Request, pk: str, *, partial: bool) -> Response:
        todo = self._own(pk)
        fields = self._input(request, partial=partial)
        done = fields.pop("done", None)
        if fields:
            todo = todo_update(todo=todo, **fields)
        if done is not None:
            todo_set_done(todo=todo, done=done)
        return Response(TodoSerializer(self._own(pk)).data)

    def update(self, request: Request, pk: str) -> Response:
        return self._change(request, pk, partial=False)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self._change(request, pk, partial=True)

    def destroy(self, request: Request, pk: str) -> Response:
        todo_delete(todo=self._own(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
