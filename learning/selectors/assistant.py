"""Reads of the general assistant ("Ask the assistant", a chat of session type ``general``):
the published courses matching a person's words (learning's source of
:data:`core.registry.assistant_sources`) and a person's assistant conversation."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.registry import AssistantItem
from core.search import query_words, word_match_score
from learning.models import ChatMessage, Course

SUMMARY_MAX_CHARS = 200
# How many messages of a conversation a page shows (the latest; "Earlier messages" pages back).
ASSISTANT_PAGE_MESSAGES = 50


def course_assistant_items(*, query: str, limit: int) -> list[AssistantItem]:
    """At most ``limit`` published courses whose title, description, category or
    subcategory contain the words of ``query``, the best matching first (one query; none
    without a word worth searching for). Drafts are never offered, even to staff."""
    words = query_words(query)
    if not words or limit <= 0:
        return []
    courses = (
        Course.objects.filter(published=True)
        .select_related("category", "subcategory")
        .annotate(
            assistant_score=word_match_score(
                words,
                title_fields=("title", "subcategory__name"),
                other_fields=("description", "category__name"),
            )
        )
        .filter(assistant_score__gt=0)
        .order_by("-assistant_score", "title", "id")[:limit]
    )
    return [
        AssistantItem(
            kind=_("Course"),
            title=course.title,
            url=reverse("learning:course-detail", kwargs={"slug": course.slug}),
            summary=_("%(field)s · %(level)s · about %(hours)s hours — %(description)s")
            % {
                "field": course.subcategory.name if course.subcategory else course.category.name,
                "level": course.get_level_display(),
                "hours": course.estimated_hours,
                "description": Truncator(course.description).chars(SUMMARY_MAX_CHARS),
            },
        )
        for course in courses
    ]


def assistant_session_latest(*, user: Any) -> uuid.UUID | None:
    """The session id of ``user``'s most recent assistant conversation, if any (one query)."""
    return (
        ChatMessage.objects.filter(user_id=user.pk, session_type=ChatMessage.SessionType.GENERAL)
        .order_by("-created_at")
        .values_list("session_id", flat=True)
        .first()
    )


def assistant_messages(*, user: Any, session_id: uuid.UUID) -> QuerySet[ChatMessage]:
    """The messages of ``user``'s assistant conversation ``session_id``, oldest first (one
    query; another person's conversation is empty)."""
    return ChatMessage.objects.filter(
        user_id=user.pk, session_id=session_id, session_type=ChatMessage.SessionType.GENERAL
    ).order_by("created_at", "id")


@dataclass(frozen=True)
class AssistantWindow:
    """Some messages of a conversation, oldest first, and whether earlier ones exist."""

    turns: list[ChatMessage]
    earlier: bool


def _pivot(*, user: Any, session_id: uuid.UUID, message_id: uuid.UUID) -> Subquery:
    return Subquery(assistant_messages(user=user, session_id=session_id).filter(pk=message_id).values("created_at")[:1])


def assistant_messages_window(
    *, user: Any, session_id: uuid.UUID, before: uuid.UUID | None = None, limit: int = ASSISTANT_PAGE_MESSAGES
) -> AssistantWindow:
    """The latest ``limit`` messages of ``user``'s assistant conversation ``session_id`` — or,
    with ``before`` (one of its messages), the ``limit`` before that one — oldest first, and
    whether earlier ones exist. One query, however long the conversation; another person's
    conversation (or message) reads as empty."""
    messages = assistant_messages(user=user, session_id=session_id)
    if before is not None:
        pivot = _pivot(user=user, session_id=session_id, message_id=before)
        messages = messages.filter(Q(created_at__lt=pivot) | Q(created_at=pivot, id__lt=before))
    rows = list(messages.order_by("-created_at", "-id")[: limit + 1])
    return AssistantWindow(turns=rows[:limit][::-1], earlier=len(rows) > limit)


def assistant_messages_from(
    *, user: Any, session_id: uuid.UUID, message_id: uuid.UUID, limit: int = ASSISTANT_PAGE_MESSAGES
) -> list[ChatMessage]:
    """The message ``message_id`` of ``user``'s assistant conversation ``session_id`` and at
    most ``limit`` that came after it, oldest first (what a page that shows it has not seen
    yet). One query; empty when the message is not one of that conversation's."""
    pivot = _pivot(user=user, session_id=session_id, message_id=message_id)
    return list(
        assistant_messages(user=user, session_id=session_id).filter(
            Q(created_at__gt=pivot) | Q(created_at=pivot, id__gte=message_id)
        )[: limit + 1]
    )


def assistant_session_taken(*, user: Any, session_id: uuid.UUID) -> bool:
    """Whether ``session_id`` already belongs to another person's chat or to another kind of
    chat (an assessment) — a new assistant message may not join it (one query)."""
    return (
        ChatMessage.objects.filter(session_id=session_id)
        .exclude(user_id=user.pk, session_type=ChatMessage.SessionType.GENERAL)
        .exists()
    )
