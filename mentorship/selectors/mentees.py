"""A mentor's mentees: the people with a confirmed or completed session with them, the
same condition that lets the mentor advise their career pathways
(:func:`mentorship.selectors.profiles.mentor_advises`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, QuerySet

from accounts.selectors.users import user_queryset
from mentorship.models import MentorProfile, MentorshipSession

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class MenteeSummary:
    """A mentee, how many confirmed or completed sessions they had with the mentor, and
    when the latest was."""

    user: User
    sessions: int
    last_session_at: datetime


def _advising_sessions(*, mentor: User) -> QuerySet[MentorshipSession]:
    return MentorshipSession.objects.filter(
        mentor_id=mentor.pk,
        status__in=(MentorshipSession.Status.CONFIRMED, MentorshipSession.Status.COMPLETED),
        mentor__mentor_profile__status=MentorProfile.Status.VERIFIED,
    )


def mentee_list_for_mentor(*, mentor: User, mentee_id: Any = None) -> list[MenteeSummary]:
    """The active people with a confirmed or completed session with the verified mentor
    ``mentor`` (only ``mentee_id`` when given), latest session first. Two queries."""
    sessions = _advising_sessions(mentor=mentor)
    if mentee_id is not None:
        sessions = sessions.filter(mentee_id=mentee_id)
    rows = {
        row["mentee_id"]: row
        for row in sessions.values("mentee_id").annotate(count=Count("pk"), last=Max("start_at")).order_by()
    }
    if not rows:
        return []
    users = user_queryset().filter(pk__in=list(rows), is_active=True)
    mentees = [
        MenteeSummary(user=user, sessions=rows[user.pk]["count"], last_session_at=rows[user.pk]["last"])
        for user in users
    ]
    return sorted(mentees, key=lambda mentee: mentee.last_session_at, reverse=True)


def mentee_get_for_mentor(*, mentor: User, mentee_id: Any) -> MenteeSummary | None:
    """One of the mentor's mentees (see :func:`mentee_list_for_mentor`), else ``None``."""
    found = mentee_list_for_mentor(mentor=mentor, mentee_id=mentee_id)
    return found[0] if found else None
