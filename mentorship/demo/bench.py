"""What ``make bench`` adds to the ``seed_scale`` data set for one of its measures (never
imported by production code): anonymous feedback waiting for the weekly release."""

from typing import Any

from mentorship.models import MentorshipSession, SessionFeedback
from mentorship.selectors.feedback import ANONYMOUS_BATCH_MIN


def anonymous_batches_seed(*, mentors: int, per_mentor: int = ANONYMOUS_BATCH_MIN) -> list[Any]:
    """Anonymous feedback waiting on up to ``mentors`` mentors, ``per_mentor`` each (a full
    batch: one per completed session without feedback, each from a different mentee),
    written in bulk. Returns the ids of the mentors that got a batch."""
    sessions = (
        MentorshipSession.objects.filter(status=MentorshipSession.Status.COMPLETED, feedback__isnull=True)
        .order_by("mentor_id", "start_at")
        .values_list("pk", "mentor_id", "mentee_id")
    )
    chosen: dict[Any, dict[Any, Any]] = {}  # mentor → mentee → session
    for session_id, mentor_id, mentee_id in sessions.iterator():
        batch = chosen.setdefault(mentor_id, {})
        if len(batch) < per_mentor:
            batch.setdefault(mentee_id, session_id)
    full = [mentor_id for mentor_id, batch in chosen.items() if len(batch) >= per_mentor][:mentors]
    SessionFeedback.objects.bulk_create(
        SessionFeedback(
            session_id=session_id,
            mentee_id=mentee_id,
            mentor_id=mentor_id,
            rating=4,
            growth_area="Planning",
            growth_idea="Write the week's three priorities on Monday.",
            what_went_well="Clear questions.",
            what_to_improve="More time for examples.",
            is_anonymous=True,
        )
        for mentor_id in full
        for mentee_id, session_id in chosen[mentor_id].items()
    )
    return full
