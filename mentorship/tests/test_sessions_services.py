"""Session services: every booking rule, the whole transition table (allowed and refused),
completion's side effects and the mentor's private notes."""

from datetime import timedelta
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from core.errors import ApplicationError
from mentorship.models import MentorProfile, MentorshipSession
from mentorship.notifications import MentorshipNotification
from mentorship.selectors.sessions import mentor_ids_working_with, mentor_works_with, session_actions_allowed
from mentorship.services.notes import session_note_save
from mentorship.services.sessions import (
    session_book,
    session_cancel,
    session_complete,
    session_confirm,
    session_local_time,
    session_mark_no_show,
    session_quote,
    session_report_mentor_no_show,
    session_reschedule,
)
from mentorship.signals import session_completed
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory, VenueFactory

pytestmark = pytest.mark.django_db
Status = MentorshipSession.Status


def _mentor(**kwargs):
    """A mentor whose sessions are free (paid bookings: test_sessions_payments.py)."""
    defaults = {"base_price_cents": 0, "meeting_link": "https://meet.example/mentor"}
    return MentorProfileFactory(**{**defaults, **kwargs}).user


def _book(mentee, mentor, **kwargs):
    arguments = {
        "mentee": mentee,
        "mentor_id": mentor.pk,
        "type": "virtual",
        "start_at": timezone.now() + timedelta(days=2),
        "duration_minutes": 60,
        **kwargs,
    }
    return session_book(**arguments).session


def test_booking_free_virtual_uses_mentors_link_and_notifies_mentor(django_capture_on_commit_callbacks):
    mentor, mentee = _mentor(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        session = _book(mentee, mentor, topic="Mixing")
    assert session.status == Status.PENDING
    assert session.requested_at is not None
    assert session.meeting_link == "https://meet.example/mentor"
    assert session.price_cents == 0
    assert session.end_at - session.start_at == timedelta(minutes=60)
    notification = notifications().get(user=mentor, type=MentorshipNotification.SESSION_REQUESTED)
    assert mentee.display_name in notification.title


def test_booking_in_person_needs_a_venue_and_takes_no_link():
    mentor, mentee = _mentor(), UserFactory()
    with pytest.raises(ValidationError) as error:
        _book(mentee, mentor, type="in_person")
    assert "venue" in error.value.message_dict
    session = _book(mentee, mentor, type="in_person", venue=VenueFactory())
    assert (session.type, session.meeting_link) == (MentorshipSession.Type.IN_PERSON, "")


def test_virtual_with_a_mentor_without_a_link_is_refused_in_person_is_not():
    mentor = _mentor(meeting_link="")
    with pytest.raises(ValidationError) as error:
        _book(UserFactory(), mentor)
    assert "meeting link" in error.value.message_dict["type"][0]
    assert _book(UserFactory(), mentor, type="in_person", venue=VenueFactory()).meeting_link == ""


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_at": timezone.now() - timedelta(minutes=1)}, "start_at"),
        ({"start_at": timezone.now() + timedelta(days=400)}, "start_at"),
        ({"duration_minutes": 10}, "duration_minutes"),
        ({"duration_minutes": 241}, "duration_minutes"),
        ({"type": "phone"}, "type"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(overrides, field):
    with pytest.raises(ValidationError) as error:
        _book(UserFactory(), _mentor(), **overrides)
    assert field in error.value.message_dict
    assert not MentorshipSession.objects.exists()


def test_only_verified_mentors_and_nobody_books_themselves():
    pending = MentorProfileFactory(status=MentorProfile.Status.PENDING, verified_at=None).user
    with pytest.raises(ValidationError):
        _book(UserFactory(), pending)
    mentor = _mentor()
    with pytest.raises(ValidationError) as error:
        _book(mentor, mentor)
    assert "yourself" in str(error.value)
    assert not MentorshipSession.objects.exists()


@pytest.mark.parametrize("status", [Status.PENDING, Status.CONFIRMED])
def test_overlap_with_an_active_session_of_mentor_or_mentee_is_409(status):
    mentor, mentee = _mentor(), UserFactory()
    start = timezone.now() + timedelta(days=2)
    MentorshipSessionFactory(mentor=mentor, start_at=start, status=status)
    with pytest.raises(ApplicationError, match="already has a session"):
        _book(mentee, mentor, start_at=start + timedelta(minutes=30))
    MentorshipSessionFactory(mentee=mentee, start_at=start + timedelta(hours=5), status=status)
    with pytest.raises(ApplicationError, match="You already have a session"):
        _book(mentee, _mentor(), start_at=start + timedelta(hours=5, minutes=59))
    assert MentorshipSession.objects.count() == 2


def test_cancelled_or_adjacent_sessions_do_not_block():
    mentor = _mentor()
    start = timezone.now() + timedelta(days=2)
    MentorshipSessionFactory(mentor=mentor, start_at=start, status=Status.CANCELLED)
    MentorshipSessionFactory(mentor=mentor, start_at=start + timedelta(hours=1), status=Status.CONFIRMED)
    assert _book(UserFactory(), mentor, start_at=start).pk  # ends exactly when the next begins


def test_quote_saves_nothing():
    quote = session_quote(
        mentee=UserFactory(),
        mentor_id=_mentor(base_price_cents=10000).pk,
        type="in_person",
        venue=VenueFactory(),
        start_at=timezone.now() + timedelta(days=1),
        duration_minutes=30,
    )
    assert quote.price_cents == 3500  # half an hour of 100.00, 30 % off in person
    assert [line.amount_cents for line in quote.lines] == [5000, -1500]
    assert not MentorshipSession.objects.exists()


NOW = timezone.now()
BEFORE = NOW + timedelta(hours=3)  # a start still ahead
AFTER = NOW - timedelta(hours=1)  # a start gone by

# (status, start, action, by, allowed)
TRANSITIONS = [
    (Status.PENDING, BEFORE, "confirm", "mentor", True),
    (Status.PENDING, BEFORE, "confirm", "mentee", False),
    (Status.PENDING, AFTER, "confirm", "mentor", False),
    (Status.PENDING, BEFORE, "cancel", "mentor", True),
    (Status.PENDING, BEFORE, "cancel", "mentee", True),
    (Status.PENDING, AFTER, "cancel", "mentee", True),
    (Status.PENDING, BEFORE, "reschedule", "mentor", True),
    (Status.PENDING, BEFORE, "reschedule", "mentee", True),
    (Status.PENDING, AFTER, "reschedule", "mentee", False),
    (Status.PENDING, AFTER, "complete", "mentor", False),
    (Status.PENDING, AFTER, "no_show", "mentor", False),
    (Status.CONFIRMED, BEFORE, "confirm", "mentor", False),
    (Status.CONFIRMED, BEFORE, "cancel", "mentor", True),
    (Status.CONFIRMED, BEFORE, "cancel", "mentee", True),
    (Status.CONFIRMED, AFTER, "cancel", "mentee", False),
    (Status.CONFIRMED, AFTER, "cancel", "mentor", False),
    (Status.CONFIRMED, BEFORE, "reschedule", "mentor", True),
    (Status.CONFIRMED, BEFORE, "reschedule", "mentee", True),
    (Status.CONFIRMED, AFTER, "reschedule", "mentor", False),
    (Status.CONFIRMED, AFTER, "reschedule", "mentee", False),
    (Status.CONFIRMED, BEFORE, "complete", "mentor", False),
    (Status.CONFIRMED, AFTER, "complete", "mentor", True),
    (Status.CONFIRMED, AFTER, "complete", "mentee", False),
    (Status.CONFIRMED, BEFORE, "no_show", "mentor", False),
    (Status.CONFIRMED, AFTER, "no_show", "mentor", True),
    (Status.CONFIRMED, AFTER, "no_show", "mentee", False),
    (Status.CONFIRMED, AFTER, "mentor_no_show", "mentee", True),
    (Status.CONFIRMED, BEFORE, "mentor_no_show", "mentee", False),
    (Status.CONFIRMED, AFTER, "mentor_no_show", "mentor", False),
    (Status.PENDING, AFTER, "mentor_no_show", "mentee", False),
    *[
        (Status.AWAITING_PAYMENT, BEFORE, action, by, False)
        for action in ("confirm", "reschedule", "complete", "no_show", "mentor_no_show")
        for by in ("mentor", "mentee")
    ],
    (Status.AWAITING_PAYMENT, BEFORE, "cancel", "mentor", False),
    *[
        (status, when, action, by, False)
        for status in (Status.COMPLETED, Status.CANCELLED, Status.NO_SHOW, Status.MENTOR_NO_SHOW)
        for when in (BEFORE, AFTER)
        for action in ("confirm", "reschedule", "cancel", "complete", "no_show", "mentor_no_show")
        for by in ("mentor", "mentee")
    ],
]
SERVICES = {
    "confirm": session_confirm,
    "reschedule": partial(session_reschedule, start_at=NOW + timedelta(days=5)),
    "cancel": session_cancel,
    "complete": session_complete,
    "no_show": session_mark_no_show,
    "mentor_no_show": session_report_mentor_no_show,
}
RESULT = {
    "confirm": Status.CONFIRMED,
    "reschedule": None,  # the status it had; a confirmed session moved by the mentee is pending again
    "cancel": Status.CANCELLED,
    "complete": Status.COMPLETED,
    "no_show": Status.NO_SHOW,
    "mentor_no_show": Status.MENTOR_NO_SHOW,
}


@pytest.mark.parametrize(("status", "start", "action", "by", "allowed"), TRANSITIONS)
def test_transition_table(status, start, action, by, allowed, django_capture_on_commit_callbacks):  # noqa: PLR0917
    price = 5000 if status == Status.AWAITING_PAYMENT else 0
    session = MentorshipSessionFactory(status=status, start_at=start, price_cents=price)
    user = session.mentor if by == "mentor" else session.mentee
    other = session.mentee if by == "mentor" else session.mentor
    assert (action in session_actions_allowed(session=session, user=user, now=timezone.now())) is allowed
    if not allowed:
        with pytest.raises(ApplicationError) as error:
            SERVICES[action](session=session, user=user)
        assert error.value.message  # says why
        session.refresh_from_db()
        assert session.status == status
        assert session.sequence == 0
        return
    with django_capture_on_commit_callbacks(execute=True):
        SERVICES[action](session=session, user=user)
    session.refresh_from_db()
    if action == "reschedule":
        assert session.status == (Status.PENDING if by == "mentee" else status)
    else:
        assert session.status == RESULT[action]
    assert session.sequence == 1
    # the other party hears of it, the one who acted does not (other apps, e.g. badges, may add theirs)
    assert notifications().filter(user=other, type__startswith="session_").exists()
    assert not notifications().filter(user=user, type__startswith="session_").exists()


def test_outsiders_get_404():
    session = MentorshipSessionFactory()
    with pytest.raises(Http404):
        session_confirm(session=session, user=UserFactory())
    with pytest.raises(Http404):
        session_cancel(session=session, user=UserFactory())


def test_complete_refreshes_stats_sends_signal_and_tells_when_feedback_opens(django_capture_on_commit_callbacks):
    session = MentorshipSessionFactory(status=Status.CONFIRMED, start_at=timezone.now() - timedelta(hours=1))
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    session_completed.connect(receiver, dispatch_uid="test-session-completed")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            session_complete(session=session, user=session.mentor)
    finally:
        session_completed.disconnect(dispatch_uid="test-session-completed")
    session.refresh_from_db()
    assert session.completed_at is not None
    assert session.mentor.mentor_profile.total_sessions == 1
    assert received == [
        {
            "signal": session_completed,
            "session_id": session.pk,
            "mentor_id": session.mentor_id,
            "mentee_id": session.mentee_id,
        }
    ]
    notification = notifications().get(user=session.mentee, type=MentorshipNotification.SESSION_COMPLETED)
    assert "feedback" in notification.message


def test_moving_keeps_kind_place_and_price_forgets_the_reminders_and_tells_the_other(
    django_capture_on_commit_callbacks,
):
    session = MentorshipSessionFactory(
        in_person=True,
        status=Status.CONFIRMED,
        mentee=UserFactory(timezone="Asia/Kolkata"),
        reminder_24h_sent_at=timezone.now(),
    )
    old_start = session.start_at
    new_start = old_start + timedelta(days=3, hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        session_reschedule(session=session, user=session.mentor, start_at=new_start, duration_minutes=90)
    session.refresh_from_db()
    assert (session.start_at, session.end_at, session.duration_minutes) == (
        new_start,
        new_start + timedelta(minutes=90),
        90,
    )
    assert (session.status, session.type, session.price_cents, session.sequence) == (
        Status.CONFIRMED,
        MentorshipSession.Type.IN_PERSON,
        0,
        1,
    )
    assert session.venue is not None
    assert (session.reminder_24h_sent_at, session.reminder_1h_sent_at) == (None, None)
    notification = notifications().get(user=session.mentee, type=MentorshipNotification.SESSION_RESCHEDULED)
    assert session.mentor.display_name in notification.title
    assert session_local_time(when=new_start, user=session.mentee) in notification.title
    assert session_local_time(when=old_start, user=session.mentee) in notification.message
    assert "(Asia/Kolkata)" in notification.title
    assert not notifications().filter(user=session.mentor, type=MentorshipNotification.SESSION_RESCHEDULED).exists()


def test_the_mentee_moving_a_confirmed_session_sends_it_back_to_the_mentor(django_capture_on_commit_callbacks):
    session = MentorshipSessionFactory(status=Status.CONFIRMED, confirmed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        session_reschedule(session=session, user=session.mentee, start_at=session.start_at + timedelta(hours=4))
    session.refresh_from_db()
    assert (session.status, session.confirmed_at, session.duration_minutes) == (Status.PENDING, None, 60)
    notification = notifications().get(user=session.mentor, type=MentorshipNotification.SESSION_RESCHEDULED)
    assert "Confirm the new time" in notification.message
    assert "confirm" in session_actions_allowed(session=session, user=session.mentor)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_at": timezone.now() - timedelta(hours=1)}, "start_at"),
        ({"start_at": timezone.now() + timedelta(days=400)}, "start_at"),
        ({"duration_minutes": 300}, "duration_minutes"),
        ({"duration_minutes": 10}, "duration_minutes"),
        ({}, "start_at"),  # the time it has already
    ],
)
def test_a_bad_new_time_is_a_field_error_and_changes_nothing(change, field):
    session = MentorshipSessionFactory(status=Status.CONFIRMED)
    before = (session.start_at, session.end_at, session.duration_minutes)
    with pytest.raises(ValidationError) as error:
        session_reschedule(session=session, user=session.mentor, **{"start_at": session.start_at, **change})
    assert field in error.value.message_dict
    session.refresh_from_db()
    assert (session.start_at, session.end_at, session.duration_minutes, session.sequence) == (*before, 0)
    assert not notifications().exists()


def test_moving_onto_another_session_is_refused_but_onto_its_own_old_slot_is_fine():
    session = MentorshipSessionFactory(status=Status.CONFIRMED)
    busy = MentorshipSessionFactory(mentor=session.mentor, start_at=session.start_at + timedelta(hours=3))
    with pytest.raises(ApplicationError, match="You already have a session"):
        session_reschedule(session=session, user=session.mentor, start_at=busy.start_at + timedelta(minutes=30))
    with pytest.raises(ApplicationError, match="already has a session"):
        session_reschedule(session=session, user=session.mentee, start_at=busy.start_at)
    session_reschedule(session=session, user=session.mentee, start_at=session.start_at + timedelta(minutes=30))
    session.refresh_from_db()
    assert session.start_at == busy.start_at - timedelta(hours=2, minutes=30)
    with pytest.raises(Http404):
        session_reschedule(session=session, user=UserFactory(), start_at=session.start_at + timedelta(days=1))


def test_cancel_keeps_reason_and_who():
    session = MentorshipSessionFactory(status=Status.CONFIRMED)
    session_cancel(session=session, user=session.mentee, reason="  Ill  ")
    session.refresh_from_db()
    assert (session.cancelled_by, session.cancel_reason) == (session.mentee, "Ill")
    with pytest.raises(ValidationError):
        session_cancel(session=MentorshipSessionFactory(), user=session.mentee, reason="x" * 2001)


def test_works_with_counts_confirmed_and_completed_only():
    mentee = UserFactory()
    confirmed = MentorshipSessionFactory(mentee=mentee, status=Status.CONFIRMED)
    completed = MentorshipSessionFactory(
        mentee=mentee, status=Status.COMPLETED, start_at=timezone.now() - timedelta(days=3)
    )
    pending = MentorshipSessionFactory(mentee=mentee, start_at=timezone.now() + timedelta(days=5))
    assert mentor_ids_working_with(user=mentee) == {confirmed.mentor_id, completed.mentor_id}
    assert mentor_works_with(mentor=confirmed.mentor, mentee=mentee)
    assert not mentor_works_with(mentor=pending.mentor, mentee=mentee)
    assert not mentor_works_with(mentor=mentee, mentee=confirmed.mentor)


def test_notes_belong_to_the_mentor_alone():
    session = MentorshipSessionFactory()
    note = session_note_save(session=session, user=session.mentor, summary=" Good ", private_notes="p")
    assert (note.summary, note.private_notes) == ("Good", "p")
    again = session_note_save(session=session, user=session.mentor, summary="Better")
    assert again.pk == note.pk
    assert again.private_notes == ""
    for outsider in (session.mentee, UserFactory()):
        with pytest.raises(Http404):
            session_note_save(session=session, user=outsider, summary="x")
    with pytest.raises(ValidationError):
        session_note_save(session=session, user=session.mentor, growth_focus="x" * 5000)
