"""Mentorship's entries in the private calendar feed (the feed itself — token, page, API — is
accounts', tested in accounts/tests/test_calendar.py): what it holds, cancelled and moved
items with a higher SEQUENCE, `.ics` downloads of sessions and events; everything parses
with icalendar; the feed's queries do not grow with mentorship's entries."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services.calendar import calendar_feed_get_or_create
from accounts.tests.factories import UserFactory
from core.calendar import calendar_feed_ics
from mentorship.models import MentorshipSession
from mentorship.services.events import event_cancel
from mentorship.services.sessions import session_cancel, session_confirm, session_reschedule
from mentorship.tests.factories import EventAttendanceFactory, EventFactory, MentorshipSessionFactory

pytestmark = pytest.mark.django_db

CONFIRMED = MentorshipSession.Status.CONFIRMED


def _feed_path(user) -> str:
    return reverse("calendar-feed", kwargs={"token": calendar_feed_get_or_create(user=user).token})


def _vevents(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(vevent["uid"]): vevent for vevent in calendar.walk("VEVENT")}


def test_feed_holds_confirmed_sessions_and_my_events_without_a_session(client):
    user = UserFactory()
    as_mentee = MentorshipSessionFactory(mentee=user, status=CONFIRMED)
    as_mentor = MentorshipSessionFactory(mentor=user, status=CONFIRMED, start_at=timezone.now() + timedelta(days=2))
    MentorshipSessionFactory(mentee=user, start_at=timezone.now() + timedelta(days=3))  # pending: not in the feed
    registered = EventAttendanceFactory(user=user).event
    EventAttendanceFactory(user=user, status="waitlisted")  # waiting: not in the feed
    hosted = EventFactory(host=user)
    EventFactory()  # someone else's
    response = client.get(_feed_path(user))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    vevents = _vevents(response.content)
    expected = {f"{obj.pk}@ascend" for obj in (as_mentee, as_mentor, registered, hosted)}
    assert set(vevents) == expected
    vevent = vevents[f"{as_mentee.pk}@ascend"]
    assert vevent["status"] == "CONFIRMED"
    assert vevent.decoded("dtstart") == as_mentee.start_at
    assert vevent.decoded("dtstart").utcoffset() == timedelta(0)
    assert vevent["sequence"] == as_mentee.sequence
    assert "dtstamp" in vevent
    assert as_mentee.mentor.display_name in str(vevent["summary"])


def test_cancelled_event_goes_out_cancelled_with_a_higher_sequence(client):
    user = UserFactory()
    event = EventAttendanceFactory(user=user).event
    path = _feed_path(user)
    before = _vevents(client.get(path).content)[f"{event.pk}@ascend"]
    event_cancel(user=event.host, event=event, reason="Snow")
    after = _vevents(client.get(path).content)[f"{event.pk}@ascend"]
    assert before["status"] == "CONFIRMED"
    assert after["status"] == "CANCELLED"
    assert after["sequence"] > before["sequence"]


def test_confirmed_then_cancelled_session_goes_out_cancelled_with_a_higher_sequence_for_30_days(client):
    user = UserFactory()
    session = MentorshipSessionFactory(mentee=user)
    path = _feed_path(user)
    assert f"{session.pk}@ascend" not in _vevents(client.get(path).content)  # pending: not yet
    session_confirm(session=session, user=session.mentor)
    before = _vevents(client.get(path).content)[f"{session.pk}@ascend"]
    session.refresh_from_db()
    session_cancel(session=session, user=user, reason="Flu")
    after = _vevents(client.get(path).content)[f"{session.pk}@ascend"]
    assert before["status"] == "CONFIRMED"
    assert after["status"] == "CANCELLED"
    assert after["sequence"] > before["sequence"]
    later = timezone.now() + timedelta(days=31)
    assert f"{session.pk}@ascend" not in _vevents(calendar_feed_ics(user=user, now=later))


def test_a_moved_session_keeps_its_uid_with_the_new_time_and_a_higher_sequence(client):
    user = UserFactory()
    session = MentorshipSessionFactory(mentee=user, status=CONFIRMED)
    path = _feed_path(user)
    before = _vevents(client.get(path).content)[f"{session.pk}@ascend"]
    new_start = session.start_at + timedelta(days=1, hours=3)
    session_reschedule(session=session, user=session.mentor, start_at=new_start, duration_minutes=30)
    after = _vevents(client.get(path).content)[f"{session.pk}@ascend"]
    assert (after["status"], after.decoded("dtstart"), after.decoded("dtend")) == (
        "CONFIRMED",
        new_start,
        new_start + timedelta(minutes=30),
    )
    assert after["sequence"] > before["sequence"]
    client.force_login(user)
    download = client.get(reverse("mentorship:session-ics", kwargs={"pk": session.pk})).content
    assert _vevents(download)[f"{session.pk}@ascend"].decoded("dtstart") == new_start


def test_feed_queries_do_not_grow(client, count_queries):
    user = UserFactory()
    MentorshipSessionFactory(mentee=user, status=CONFIRMED)
    EventAttendanceFactory(user=user)
    path = _feed_path(user)
    few = count_queries(lambda: client.get(path))
    for days in range(2, 8):
        MentorshipSessionFactory(mentor=user, status=CONFIRMED, start_at=timezone.now() + timedelta(days=days))
        EventAttendanceFactory(user=user, event=EventFactory(is_virtual=True))
        EventFactory(host=user)
    assert count_queries(lambda: client.get(path)) == few


def test_session_ics_for_its_two_parties_only(client):
    session = MentorshipSessionFactory(status=CONFIRMED)
    url = reverse("mentorship:session-ics", kwargs={"pk": session.pk})
    for party in (session.mentor, session.mentee):
        client.force_login(party)
        response = client.get(url)
        assert response.status_code == 200
        [vevent] = _vevents(response.content).values()
        assert vevent["uid"] == f"{session.pk}@ascend"
        assert "https://meet.example/session" in str(vevent["description"])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_event_ics_for_anyone_with_the_link_only_for_seats(client):
    event = EventFactory(is_virtual=True)
    url = reverse("mentorship:event-ics", kwargs={"pk": event.pk})
    anonymous = _vevents(client.get(url).content)[f"{event.pk}@ascend"]
    assert "meet.example" not in anonymous.to_ical().decode()
    seated = EventAttendanceFactory(event=event).user
    client.force_login(seated)
    mine = _vevents(client.get(url).content)[f"{event.pk}@ascend"]
    assert "https://meet.example/event" in mine.to_ical().decode()


def test_a_sessions_ics_reads_only_what_it_shows_in_one_query(django_assert_num_queries):
    """The file from the lean query is the file of the fully loaded session, for both parties,
    in person with a venue and cancelled with a reason alike."""
    from mentorship.selectors.calendar import calendar_session_get_for_user, session_ics
    from mentorship.tests.factories import VenueFactory

    in_person = MentorshipSessionFactory(
        status=CONFIRMED, type=MentorshipSession.Type.IN_PERSON, venue=VenueFactory(), meeting_link="", topic="Demos"
    )
    cancelled = MentorshipSessionFactory(status=CONFIRMED, topic="Mixing")
    session_cancel(session=cancelled, user=cancelled.mentee, reason="Travelling")
    for session in (in_person, cancelled):
        full = MentorshipSession.objects.select_related("mentor", "mentee", "venue").get(pk=session.pk)
        for party in (full.mentor, full.mentee):
            with django_assert_num_queries(1):
                lean = calendar_session_get_for_user(user=party, session_id=session.pk)
                body = session_ics(session=lean, user=party)
            assert body == session_ics(session=full, user=party)
