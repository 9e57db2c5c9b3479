"""The wellness check (DESIGN.md §2): at 50 % of a course the learner is offered a short
check — mood 1–5 and a note — stored as a wellness chat. It never blocks progress."""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from learning.models import ChatMessage, Enrollment
from learning.selectors.progress import WELLNESS_CHECK_AT_PERCENT

WELLNESS_MOOD_MIN = 1
WELLNESS_MOOD_MAX = 5
WELLNESS_NOTE_MAX_LENGTH = 2000


def wellness_check_question(*, course_title: str) -> str:
    """The question the check asks (also the assistant's turn of the stored chat)."""
    return _(
        "You are halfway through “%(course)s”. How are you feeling? Choose a mood from 1 (struggling) "
        "to 5 (great) and, if you like, add a note."
    ) % {"course": course_title}


def _mood_clean(mood: object) -> int:
    if isinstance(mood, bool) or not isinstance(mood, int) or not WELLNESS_MOOD_MIN <= mood <= WELLNESS_MOOD_MAX:
        raise ValidationError(
            {"mood": _("Choose a mood from %(min)d to %(max)d.") % {"min": WELLNESS_MOOD_MIN, "max": WELLNESS_MOOD_MAX}}
        )
    return mood


def _note_clean(note: str) -> str:
    note = note.strip()
    if len(note) > WELLNESS_NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("Keep the note under %(max)d characters.") % {"max": WELLNESS_NOTE_MAX_LENGTH}}
        )
    return note


@transaction.atomic
def wellness_check_answer(*, enrollment: Enrollment, mood: int, note: str = "") -> list[ChatMessage]:
    """Store the learner's answer to the wellness check of ``enrollment`` and mark it answered.

    Saves a wellness chat of two messages sharing one ``session_id``: the question
    (assistant) and the answer (user: the note, metadata ``{"mood", "has_note",
    "course_id", "enrollment_id"}``), then sets ``wellness_check_completed``. A low mood
    offers support (``learning.selectors.wellness.wellness_support_for``; the callers show
    it). ``ValidationError`` for a mood outside 1–5 or an overlong note; ``ApplicationError`` when the check is already
    answered or the course is less than half done. Progress is never affected.
    """
    mood = _mood_clean(mood)
    note = _note_clean(note)
    locked = Enrollment.objects.select_for_update().select_related("course").get(pk=enrollment.pk)
    if locked.wellness_check_completed:
        raise ApplicationError(_("You have already answered the wellness check for this course."))
    if locked.progress_percent < WELLNESS_CHECK_AT_PERCENT:
        raise ApplicationError(
            _("The wellness check opens when you are %(percent)d %% through the course.")
            % {"percent": WELLNESS_CHECK_AT_PERCENT}
        )
    session_id = uuid.uuid4()
    asked_at = timezone.now()
    metadata = {
        "mood": mood,
        "has_note": bool(note),
        "course_id": str(locked.course_id),
        "enrollment_id": str(locked.pk),
    }
    messages = [
        ChatMessage.objects.create(
            user_id=locked.user_id,
            session_id=session_id,
            session_type=ChatMessage.SessionType.WELLNESS,
            role=ChatMessage.Role.ASSISTANT,
            message=wellness_check_question(course_title=locked.course.title),
            metadata={"course_id": metadata["course_id"], "enrollment_id": metadata["enrollment_id"]},
            created_at=asked_at,
        ),
        ChatMessage.objects.create(
            user_id=locked.user_id,
            session_id=session_id,
            session_type=ChatMessage.SessionType.WELLNESS,
            role=ChatMessage.Role.USER,
            message=note or _("Mood %(mood)d of %(max)d.") % {"mood": mood, "max": WELLNESS_MOOD_MAX},
            metadata=metadata,
            # One microsecond later, so the answer always sorts after the question.
            created_at=asked_at + timedelta(microseconds=1),
        ),
    ]
    locked.wellness_check_completed = True
    locked.save()
    enrollment.wellness_check_completed = True
    return messages
