"""Models of therapy, one module per area."""

from .journal import FEELING_MAX_LENGTH, NOTE_MAX_LENGTH, Feeling, JournalEntry
from .messages import MESSAGE_MAX_LENGTH, Message
from .profiles import Specialization, TherapistProfile
from .relationships import TherapyRelationship
from .sessions import TherapySession

__all__ = [
    "FEELING_MAX_LENGTH",
    "MESSAGE_MAX_LENGTH",
    "NOTE_MAX_LENGTH",
    "Feeling",
    "JournalEntry",
    "Message",
    "Specialization",
    "TherapistProfile",
    "TherapyRelationship",
    "TherapySession",
]
