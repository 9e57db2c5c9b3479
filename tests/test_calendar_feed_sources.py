"""The calendar feed is assembled below the apps (core.calendar) from each app's registered
source: a person's feed holds their mentorship sessions and events and their therapy
sessions; a therapy entry says "Therapy session" and where, never the session's title,
notes, the therapist's specialisation or the client's name; the feed (accounts') keeps its
address /calendar/<token>.ics; the queries do not grow with the entries."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services.calendar import calendar_feed_get_or_create
from core.calendar import calendar_feed_ics
from core.registry import calendar_sources
from mentorship.models import MentorshipSession
from mentorship.tests.factories import EventAttendanceFactory, EventFactory, MentorshipSessionFactory
from therapy.models import TherapySession
from therapy.services.sessions import therapy_session_cancel
from therapy.tests.factories import TherapyRelationshipFactory, TherapySessionFactory

pytestmark = pytest.mark.django_db
SECRET_TITLE = "Panic attacks since the divorce"


def _vevents(body: bytes) -> dict[str, icalendar.Event]:
    return {str(v["uid"]): v for v in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def _therapy(status=TherapySession.Status.APPROVED, **kwargs) -> TherapySession:
    return TherapySessionFactory(
        status=status,
        title=SECRET_TITLE,
        shared_notes="shared words",
        private_notes="private words",
        decided_at=timezone.now(),
        **kwargs,
    )


def test_both_apps_contribute_in_order():
    assert [source.key for source in calendar_sources.all()][:2] == ["mentorship", "therapy"]


def test_client_feed_has_therapy_and_mentorship_entries_with_private_therapy_titles(client):
    session = _therapy(place="Room 4, Main St 1")
    user = session.client
    session.therapist.first_name, session.therapist.last_name = "Dora", "Healer"
    session.therapist.save(update_fields=["first_name", "last_name"])
    user.first_name, user.last_name = "Zebulonia", "Privately"
    user.save(update_fields=["first_name", "last_name"])
    mentoring = MentorshipSessionFactory(mentee=user, status=MentorshipSession.Status.CONFIRMED)
    _therapy(status=TherapySession.Status.PENDING, relationship=session.relationship)  # not in a calendar yet
    response = client.get(reverse("calendar-feed", kwargs={"token": calendar_feed_get_or_create(user=user).token}))
    assert response.status_code == 200
    body = response.content.decode()
    vevents = _vevents(response.content)
    assert set(vevents) == {f"{session.pk}@ascend", f"{mentoring.pk}@ascend"}
    entry = vevents[f"{session.pk}@ascend"]
    assert str(entry["summary"]) == "Therapy session"
    assert str(entry["location"]) == "Room 4, Main St 1"
    assert entry.decoded("dtstart") == session.scheduled_at.replace(microsecond=0)
    # Neither the therapist's specialisation and name nor the client's own name: the feed
    # says only what the client chose to share with a calendar app (that a session exists).
    for secret in (SECRET_TITLE, "shared words", "private words", "Anxiety", "anxiety", "Healer", "Dora", "Zebulonia"):
        assert secret not in body
    # The mentorship entry is unchanged: it names the mentor.
    assert mentoring.mentor.display_name in str(vevents[f"{mentoring.pk}@ascend"]["summary"])


def test_therapist_feed_never_names_the_client_and_a_cancellation_stays_cancelled():
    session = _therapy(meeting_link="https://meet.example/room")
    session.client.first_name = "Quentin"
    session.client.save(update_fields=["first_name"])
    therapist = session.therapist
    vevents = _vevents(calendar_feed_ics(user=therapist))
    entry = vevents[f"{session.pk}@ascend"]
    assert str(entry["summary"]) == "Therapy session"
    assert "https://meet.example/room" in str(entry["location"])
    assert "Quentin" not in calendar_feed_ics(user=therapist).decode()
    before = entry["sequence"]
    therapy_session_cancel(session=session, user=session.client, reason="A reason nobody else reads")
    body = calendar_feed_ics(user=therapist)
    entry = _vevents(body)[f"{session.pk}@ascend"]
    assert entry["status"] == "CANCELLED"
    assert entry["sequence"] > before
    assert b"nobody else reads" not in body


def test_a_therapist_not_verified_has_no_therapy_entries():
    session = _therapy()
    profile = session.therapist.therapist_profile
    profile.status = "pending"
    profile.save(update_fields=["status"])
    assert f"{session.pk}@ascend" not in _vevents(calendar_feed_ics(user=session.therapist))
    assert f"{session.pk}@ascend" in _vevents(calendar_feed_ics(user=session.client))


def test_feed_queries_do_not_grow_with_therapy_sessions(client, django_assert_max_num_queries):
    relationship = TherapyRelationshipFactory()
    user = relationship.client
    path = reverse("calendar-feed", kwargs={"token": calendar_feed_get_or_create(user=user).token})
    for day in range(1, 13):
        _therapy(relationship=relationship, scheduled_at=timezone.now() + timedelta(days=day))
    with django_assert_max_num_queries(4):
        response = client.get(path)
    assert len(_vevents(response.content)) == 12


def test_feed_queries_do_not_grow_with_either_apps_entries(client, django_assert_max_num_queries):
    relationship = TherapyRelationshipFactory()
    user = relationship.client
    path = reverse("calendar-feed", kwargs={"token": calendar_feed_get_or_create(user=user).token})

    def add_entries(start_day: int) -> None:
        for day in range(start_day, start_day + 5):
            when = timezone.now() + timedelta(days=day)
            MentorshipSessionFactory(mentee=user, status=MentorshipSession.Status.CONFIRMED, start_at=when)
            EventAttendanceFactory(user=user, event=EventFactory(is_virtual=True, start_at=when))
            TherapySessionFactory(
                relationship=relationship,
                status=TherapySession.Status.APPROVED,
                decided_at=timezone.now(),
                scheduled_at=when + timedelta(hours=3),
            )

    add_entries(1)
    # The feed and its owner, mentorship's sessions and events, therapy's sessions.
    with django_assert_max_num_queries(4):
        few = client.get(path)
    add_entries(10)
    with django_assert_max_num_queries(4):
        many = client.get(path)
    assert (len(_vevents(few.content)), len(_vevents(many.content))) == (15, 30)
