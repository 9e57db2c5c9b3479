"""Reads of the career assessment and the chat history: the question bank, the keywords the
engine scores, the learner's assessments and their turns, chats grouped by session."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import Count, Max, Min, Prefetch, QuerySet
from django_filters import rest_framework as filters

from learning.assessment_engine import KeywordEntry, SubcategoryEntry
from learning.assessment_llm import CatalogCategory
from learning.models import Assessment, AssessmentQuestion, CareerKeyword, CareerProfile, Category, ChatMessage

if TYPE_CHECKING:
    from accounts.models import User


def assessment_question_list_active() -> list[AssessmentQuestion]:
    """The active questions of the bank, in the order they are asked. One query."""
    return list(AssessmentQuestion.objects.filter(is_active=True).order_by("order", "created_at", "id"))


def career_keyword_entries() -> list[KeywordEntry]:
    """Every keyword with its subcategory and category, for the engine. One query."""
    return [
        KeywordEntry(
            keyword=keyword.keyword,
            weight=keyword.weight,
            subcategory_id=keyword.subcategory_id,
            subcategory_name=keyword.subcategory.name,
            category_id=category.pk,
            category_name=category.name,
            subcategory_order=keyword.subcategory.order,
        )
        for keyword in CareerKeyword.objects.filter(subcategory__parent__isnull=False)
        .select_related("subcategory__parent")
        .order_by("subcategory__parent__name", "subcategory__name", "keyword")
        if (category := keyword.subcategory.parent) is not None  # always: the query keeps only those
    ]


def career_subcategory_entries() -> list[SubcategoryEntry]:
    """Every subcategory with its category and the order staff gave it (also those without
    keywords), so the keyword engine fills its three places in that order. One query."""
    return [
        SubcategoryEntry(
            subcategory_id=sub.pk,
            name=sub.name,
            order=sub.order,
            category_id=category.pk,
            category_name=category.name,
        )
        for sub in Category.objects.filter(parent__isnull=False).select_related("parent").order_by("order", "name")
        if (category := sub.parent) is not None  # always: the query keeps only those
    ]


def assessment_catalog() -> list[CatalogCategory]:
    """The categories that have subcategories, each with them (by order, then name): what
    the language-model engine may recommend. One query."""
    catalog: dict[Any, tuple[str, list[tuple[Any, str]]]] = {}
    for sub in (
        Category.objects.filter(parent__isnull=False)
        .select_related("parent")
        .order_by("parent__order", "parent__name", "order", "name")
    ):
        if sub.parent is not None:  # always: the query keeps only those
            catalog.setdefault(sub.parent_id, (sub.parent.name, []))[1].append((sub.pk, sub.name))
    return [
        CatalogCategory(id=pk, name=name, subcategories=tuple(children)) for pk, (name, children) in catalog.items()
    ]


class AssessmentFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Assessment.Status.choices, help_text="Only assessments in this status.")

    class Meta:
        model = Assessment
        fields = ["status"]


def assessment_list_for_user(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Assessment]:
    """The user's assessments, newest first, with the recommended category. One query.
    Invalid ``filters`` are ignored here (the API validates them with its filterset)."""
    queryset = Assessment.objects.filter(user=user).select_related("recommended_category").order_by("-created_at", "id")
    if filters:
        filterset = AssessmentFilter(filters, queryset=queryset)
        if filterset.is_valid():
            queryset = filterset.qs
    return queryset


def assessment_list_with_choices(queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """``queryset`` with each assessment's ``selected_subcategories`` (by name) prefetched:
    one more query however many."""
    return queryset.prefetch_related(Prefetch("selected_subcategories", queryset=Category.objects.order_by("name")))


def assessment_history_for_user(*, user: User) -> QuerySet[Assessment]:
    """The user's completed assessments, newest first, each with its recommended category
    and the subcategories the learner chose after it (``selected_subcategories``: a retake
    keeps the earlier choices). Two queries however many."""
    return assessment_list_with_choices(assessment_list_for_user(user=user).filter(status=Assessment.Status.COMPLETED))


def assessment_get_for_user(*, user: User, assessment_id: UUID | str) -> Assessment | None:
    """One of the user's own assessments; another user's is ``None``."""
    return assessment_list_for_user(user=user).filter(pk=assessment_id).first()


def assessment_in_progress_for_user(*, user: User) -> Assessment | None:
    """The user's latest unfinished assessment, if any."""
    return assessment_list_for_user(user=user).filter(status=Assessment.Status.IN_PROGRESS).first()


def assessment_messages(*, assessment: Assessment) -> QuerySet[ChatMessage]:
    """The turns of ``assessment``'s chat, oldest first."""
    return ChatMessage.objects.filter(
        user_id=assessment.user_id,
        session_id=assessment.session_id,
        session_type=ChatMessage.SessionType.ASSESSMENT,
    ).order_by("created_at", "id")


def assessment_choice_subcategories(*, assessment: Assessment) -> list[Category]:
    """The subcategories a completed assessment offers to choose from: those of the
    recommended category, the recommended ones first (in their rank), then by name."""
    if assessment.recommended_category_id is None:
        return []
    rank = {item["subcategory_id"]: index for index, item in enumerate(assessment.recommendations)}
    subcategories = list(Category.objects.filter(parent_id=assessment.recommended_category_id))
    return sorted(subcategories, key=lambda sub: (rank.get(str(sub.pk), len(rank)), sub.name))


def career_profile_get(*, user: User) -> CareerProfile | None:
    """The user's career profile with its category and subcategories, if chosen."""
    return CareerProfile.objects.filter(user=user).select_related("category").prefetch_related("subcategories").first()


class ChatMessageFilter(filters.FilterSet):
    session_type = filters.ChoiceFilter(
        choices=ChatMessage.SessionType.choices, help_text="Only messages of this kind of chat."
    )
    session_id = filters.UUIDFilter(help_text="Only the messages of this chat session.")

    class Meta:
        model = ChatMessage
        fields = ["session_type", "session_id"]


def chat_message_list_for_user(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[ChatMessage]:
    """The user's chat messages, newest first. One query. Invalid ``filters`` are ignored."""
    queryset = ChatMessage.objects.filter(user=user).order_by("-created_at", "-id")
    if filters:
        filterset = ChatMessageFilter(filters, queryset=queryset)
        if filterset.is_valid():
            queryset = filterset.qs
    return queryset


@dataclass(frozen=True)
class ChatSession:
    session_id: UUID
    session_type: str
    started_at: datetime
    last_at: datetime
    message_count: int

    @property
    def session_type_label(self) -> str:
        return str(ChatMessage.SessionType(self.session_type).label)


def chat_session_list_for_user(*, user: User) -> QuerySet[Any]:
    """The user's chat sessions (rows of ``session_id``, ``session_type``, ``started_at``,
    ``last_at``, ``message_count``), the most recently active first. One query; slice it to
    paginate, then load the page's messages with :func:`chat_sessions_with_messages`."""
    return (
        ChatMessage.objects.filter(user=user)
        .values("session_id", "session_type")
        .annotate(started_at=Min("created_at"), last_at=Max("created_at"), message_count=Count("id"))
        .order_by("-last_at", "session_id")
    )


def chat_sessions_with_messages(
    *, user: User, rows: list[dict[str, Any]]
) -> list[tuple[ChatSession, list[ChatMessage]]]:
    """The given session rows, each with its messages oldest first. One query."""
    messages: dict[UUID, list[ChatMessage]] = {}
    session_ids = [row["session_id"] for row in rows]
    for message in ChatMessage.objects.filter(user=user, session_id__in=session_ids).order_by("created_at", "id"):
        messages.setdefault(message.session_id, []).append(message)
    return [(ChatSession(**row), messages.get(row["session_id"], [])) for row in rows]
