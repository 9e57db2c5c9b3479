"""Models of mentorship, one module per area."""

from .availability import TimeOff, WeeklyHours
from .events import SEATED, SEATS_TAKEN, Event, EventAttendance
from .profiles import MenteePreference, MentorProfile, UserCategory
from .sessions import (
    SESSION_NO_MENTEE_OVERLAP,
    SESSION_NO_MENTOR_OVERLAP,
    MentorSessionNote,
    MentorshipSession,
    Review,
    SessionFeedback,
)
from .venues import Venue

__all__ = [
    "SEATED",
    "SEATS_TAKEN",
    "SESSION_NO_MENTEE_OVERLAP",
    "SESSION_NO_MENTOR_OVERLAP",
    "Event",
    "EventAttendance",
    "MenteePreference",
    "MentorProfile",
    "MentorSessionNote",
    "MentorshipSession",
    "Review",
    "SessionFeedback",
    "TimeOff",
    "UserCategory",
    "Venue",
    "WeeklyHours",
]
