"""Reads of the wellness check: the learner's answers over time, and what a low mood offers
them — the support of ``core.support``, the very rule and lines a distressing journal entry
shows in therapy, with the people they work with (their mentor, their therapist)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.support import SupportResources, support_for, support_needed
from learning.models import ChatMessage, Course
from learning.services.wellness import WELLNESS_MOOD_MAX, WELLNESS_MOOD_MIN

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class WellnessAnswer:
    """One answer to a wellness check: when, the mood (1–5), the note ("" when none) and the
    course it was asked in (its title "" and slug ``None`` when the course is gone)."""

    id: Any
    answered_at: datetime
    mood: int
    note: str
    course_title: str
    course_slug: str | None

    @property
    def is_low(self) -> bool:
        return wellness_support_needed(mood=self.mood)


def wellness_support_needed(*, mood: int) -> bool:
    """Whether ``mood`` is among the lowest two of the wellness scale (``core.support``'s rule)."""
    return support_needed(mood=mood, mood_range=(WELLNESS_MOOD_MIN, WELLNESS_MOOD_MAX))


def wellness_support_for(*, user: User, mood: int, with_contacts: bool = True) -> SupportResources | None:
    """The support resources for ``user`` after a check-in of ``mood`` — the lines of their
    country and, with ``with_contacts``, the people they work with
    (``core.registry.support_contacts``) — when the mood is among the lowest two of the
    scale; ``None`` otherwise."""
    return support_for(
        user=user, mood=mood, mood_range=(WELLNESS_MOOD_MIN, WELLNESS_MOOD_MAX), with_contacts=with_contacts
    )


def wellness_answer_list_for_user(*, user: User, limit: int | None = None) -> list[WellnessAnswer]:
    """``user``'s answers to wellness checks, newest first (the latest ``limit`` when given),
    with the course each was asked in. Two queries whatever the rows."""
    rows = ChatMessage.objects.filter(
        user_id=user.pk, session_type=ChatMessage.SessionType.WELLNESS, role=ChatMessage.Role.USER
    ).order_by("-created_at", "-id")
    answers = list(rows[:limit] if limit is not None else rows)
    course_ids = {row.metadata.get("course_id") for row in answers if row.metadata.get("course_id")}
    courses = {str(course.pk): course for course in Course.objects.filter(pk__in=course_ids).only("title", "slug")}
    result = []
    for row in answers:
        mood = row.metadata.get("mood")
        if not isinstance(mood, int):
            continue
        course = courses.get(str(row.metadata.get("course_id")))
        result.append(
            WellnessAnswer(
                id=row.pk,
                answered_at=row.created_at,
                mood=mood,
                # Answers stored before "has_note" was kept show their message as it is.
                note=row.message if row.metadata.get("has_note", True) else "",
                course_title=course.title if course else "",
                course_slug=course.slug if course else None,
            )
        )
    return result
