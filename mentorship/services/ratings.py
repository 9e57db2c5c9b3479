"""Keeping the mentor's derived figures (rating, ratings count, sessions) up to date."""

from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from mentorship.models import MentorProfile, MentorshipSession
from mentorship.selectors.ratings import rated_sessions_count, user_rating_compute


@transaction.atomic
def mentor_stats_refresh(*, mentor_id: Any) -> MentorProfile | None:
    """Recompute and store the rating, ratings count, the sessions they rest on, completed sessions and completed
    in-person sessions on the MentorProfile of the user ``mentor_id`` (``None`` when that
    user has no profile). Call it inside the transaction of the change that moves them
    (feedback, completion, review): it locks the profile row so concurrent refreshes apply
    one after the other, each on committed data. Saves (audited) only when a figure changed."""
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
    changed = [field for field, value in figures.items() if getattr(profile, field) != value]
    if changed:
        for field in changed:
            setattr(profile, field, figures[field])
        profile.save(update_fields=[*changed, "updated_at"])
    return profile
