"""Models of therapy, one module per area."""

from .journal import Feeling, JournalEntry
from .messages import MESSAGE_MAX_LENGTH, Message
from .profiles import Specialization, TherapistProfile
from .relationships import TherapyRelationship
from .sessions import TherapySession

__all__ = [
    "MESSAGE_MAX_LENGTH",
    "Feeling",
    "JournalEntry",
    "Message",
    "Specialization",
    "TherapistProfile",
    "TherapyRelationship",
    "TherapySession",
]
