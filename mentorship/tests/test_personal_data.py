"""Your data: mentorship exports what is yours and, on erasure, keeps the others' history."""

import pytest

from core.registry import personal_data
from learning.tests.factories import CategoryFactory
from mentorship.models import (
    MentorProfile,
    MentorSessionNote,
    MentorshipSession,
    Review,
    SessionFeedback,
    UserCategory,
)
from mentorship.tests.factories import (
    MentorSessionNoteFactory,
    MentorshipSessionFactory,
    ReviewFactory,
    SessionFeedbackFactory,
)

pytestmark = pytest.mark.django_db


def _handlers():
    return [handler for handler in personal_data.all() if handler.models[0].startswith("mentorship.")]


def test_erasing_a_mentee_keeps_the_mentors_history_and_cancels_upcoming_sessions():
    feedback = SessionFeedbackFactory(is_anonymous=False)
    mentee, mentor = feedback.mentee, feedback.mentor
    upcoming = MentorshipSessionFactory(mentor=mentor, mentee=mentee, topic="My private worries")
    ReviewFactory(author=mentee, target=mentor)
    exported = {handler.key: handler.export(mentee) for handler in _handlers() if handler.export}
    assert exported["mentorship_sessions"][0]["topic"]
    assert exported["session_feedback"]["given"][0]["rating"] == feedback.rating

    for handler in sorted(_handlers(), key=lambda h: h.order):
        if handler.erase:
            handler.erase(mentee)

    upcoming.refresh_from_db()
    feedback.refresh_from_db()
    assert upcoming.status == MentorshipSession.Status.CANCELLED
    assert upcoming.topic == ""
    assert (feedback.is_anonymous, feedback.what_went_well, feedback.rating) == (True, "", 5)
    assert Review.objects.filter(author=mentee).exists()  # shared record, shown as "Deleted user"


def test_erasing_a_mentor_removes_their_role_notes_and_interests():
    note = MentorSessionNoteFactory()
    mentor = note.mentor
    UserCategory.objects.create(user=mentor, category=CategoryFactory())
    for handler in _handlers():
        if handler.erase:
            handler.erase(mentor)
    assert not MentorProfile.objects.filter(user=mentor).exists()
    assert not MentorSessionNote.objects.filter(pk=note.pk).exists()
    assert not UserCategory.objects.filter(user=mentor).exists()
    assert MentorshipSession.objects.filter(pk=note.session_id).exists()
    assert SessionFeedback.objects.count() == 0


def test_a_mentors_export_never_ties_anonymous_feedback_to_its_session_or_mentee():
    from datetime import date

    feedback = SessionFeedbackFactory(is_anonymous=True, released_on=date(2026, 12, 7))
    waiting = SessionFeedbackFactory(
        is_anonymous=True, mentor=feedback.mentor, session__mentor=feedback.mentor, what_went_well="waiting-words"
    )
    session, mentee, mentor = feedback.session, feedback.mentee, feedback.mentor
    # As an anonymous feedback left it before issue 14: the session carries the rating.
    session.rating, session.feedback_submitted, session.feedback_submitted_at = (
        feedback.rating,
        True,
        feedback.created_at,
    )
    session.save()
    exported = {handler.key: handler.export(mentor) for handler in _handlers() if handler.export}
    raw = str(exported)
    for secret in (str(session.pk), str(mentee.pk), mentee.email):
        if secret == str(session.pk):
            # The session itself is the mentor's history, but carries no rating there.
            assert exported["mentorship_sessions"][0]["rating"] is None
            assert secret not in str(exported["session_feedback"])
        else:
            assert secret not in raw
    [received] = exported["session_feedback"]["received"]  # the waiting one is not there yet
    assert received["session_id"] is None
    assert received["rating"] == feedback.rating
    assert (received["mentee"], received["written_on"], received["release_week"]) == (None, None, "2026-12-07")
    assert "waiting-words" not in raw
    assert str(waiting.mentee.pk) not in raw


def test_erasing_a_person_tells_their_events_attendees_and_gives_their_seat_to_the_first_waiting():
    from datetime import timedelta

    from django.utils import timezone

    from accounts.tests.factories import UserFactory
    from accounts.tests.records import notifications
    from mentorship.models import EventAttendance
    from mentorship.notifications import MentorshipNotification
    from mentorship.services.events import event_register
    from mentorship.tests.factories import EventFactory

    leaving, waiting, guest = UserFactory(), UserFactory(), UserFactory()
    full = EventFactory(max_attendees=1, start_at=timezone.now() + timedelta(hours=3))
    event_register(user=leaving, event=full)
    event_register(user=waiting, event=full)
    hosted = EventFactory(host=leaving, start_at=timezone.now() + timedelta(hours=2))
    event_register(user=guest, event=hosted)

    for handler in sorted(_handlers(), key=lambda h: h.order):
        if handler.erase:
            handler.erase(leaving)

    assert EventAttendance.objects.get(event=full, user=waiting).status == EventAttendance.Status.REGISTERED
    assert notifications().filter(user=waiting, type=MentorshipNotification.EVENT_WAITLIST_PROMOTED).exists()
    hosted.refresh_from_db()
    assert hosted.status == hosted.Status.CANCELLED
    assert notifications().filter(user=guest, type=MentorshipNotification.EVENT_CANCELLED).exists()
