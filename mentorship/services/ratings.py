"""Keeping the mentor's derived figures (rating, ratings count, sessions) up to date."""

from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from core.api.caching import list_cache_bump
from mentorship.models import MentorProfile, MentorshipSession
from mentorship.selectors.ratings import rated_sessions_count, user_rating_compute

# The namespace of the cached mentor directory (mentorship.api.mentors.MentorViewSet).
MENTORS_LIST_NAMESPACE = "mentors"


@transaction.atomic
def mentor_stats_refresh(*, mentor_id: Any) -> MentorProfile | None:
    """Recompute and store the rating, ratings count, the sessions they rest on, completed sessions and completed
    in-person sessions on the MentorProfile of the user ``mentor_id`` (``None`` when that
    user has no profile). Call it inside the transaction of the change that moves them
    (feedback, completion, review): it locks the profile row so concurrent refreshes apply
    one after the other, each on committed data.

    Six queries whether or not a figure moved (the lock, the four figures, one ``UPDATE``
    that changes the row only when a figure differs), so a task refreshing many mentors
    costs the same per mentor every run. The figures are derived — recomputed from the
    feedback and reviews, which the audit log records — so they are written with an
    ``UPDATE`` rather than an audited save; the cached mentor directory is told directly."""
    profile = MentorProfile.objects.select_for_update().filter(user_id=mentor_id).first()
    if profile is None:
        return None
    rating = user_rating_compute(user_id=mentor_id)
    sessions = MentorshipSession.objects.filter(
        mentor_id=mentor_id, status=MentorshipSession.Status.COMPLETED
    ).aggregate(total=Count("pk"), in_person=Count("pk", filter=Q(type=MentorshipSession.Type.IN_PERSON)))
    figures = {
        "rating": rating.rating,
        "review_count": rating.count,
        "rated_sessions": rated_sessions_count(mentor_id=mentor_id),
        "total_sessions": sessions["total"],
        "in_person_sessions": sessions["in_person"],
    }
    now = timezone.now()
    # ``exclude`` of all the figures at once: the row is written only when one of them differs.
    changed = MentorProfile.objects.filter(pk=profile.pk).exclude(**figures).update(**figures, updated_at=now)
    if changed:
        for field, value in figures.items():
            setattr(profile, field, value)
        profile.updated_at = now
        list_cache_bump(MENTORS_LIST_NAMESPACE)
    return profile
