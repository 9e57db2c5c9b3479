"""Moving a session by the mentor's free slots: the reschedule page shows the booking page's
slots fragment (the same selector, the session's own time counted free) in the viewer's
zone with the mentor's beside, a slot's link fills the new start, a typed time stays the
fallback — the mentee's refused outside the hours with the reason, the mentor's anywhere —
a paid session offers its own length only, and the page keeps its queries as sessions grow;
the slots API takes ``?session=`` for the session being moved and refuses anyone else's."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from mentorship.models import MentorshipSession
from mentorship.services.availability import availability_set
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
PARIS = ZoneInfo("Europe/Paris")
SLOTS = "/api/v1/mentorship/mentors/{}/slots/"


def _profile(*hours, price=0):
    profile = MentorProfileFactory(
        user__timezone="America/New_York", base_price_cents=price, meeting_link="https://meet.example/m"
    )
    availability_set(
        profile=profile,
        weekly_hours=[
            {"weekday": day, "start_time": time.fromisoformat(start), "end_time": time.fromisoformat(end)}
            for day, start, end in hours
        ],
        time_off=[],
        notice_hours=0,
    )
    profile.refresh_from_db()
    return profile


def _next_monday(after_days=3):
    day = timezone.now().astimezone(NEW_YORK).date() + timedelta(days=after_days)
    return day + timedelta(days=(0 - day.weekday()) % 7)


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=NEW_YORK).astimezone(UTC)


def _session(profile, start, **kwargs):
    return MentorshipSessionFactory(
        mentor=profile.user, start_at=start, status=MentorshipSession.Status.CONFIRMED, **kwargs
    )


def _url(session):
    return reverse("mentorship:session-reschedule", kwargs={"pk": session.pk})


def _local(instant):
    return f"{instant.astimezone(PARIS):%Y-%m-%dT%H:%M}"


def test_the_mentee_sees_the_mentors_free_times_with_the_sessions_own_time_free(client):
    profile = _profile((0, "09:00", "11:00"))
    monday = _next_monday()
    session = _session(profile, _at(monday, 9), mentee=UserFactory(timezone="Europe/Paris"))
    _session(profile, _at(monday, 10))  # another mentee's hour: taken
    client.force_login(session.mentee)
    html = client.get(_url(session)).content.decode()
    assert 'aria-labelledby="slots-heading"' in html
    offered = [_local(_at(monday, 9))]  # its own hour is free for it; 09:30 and 10:00 clash with the other
    for start in offered:
        assert f'data-start="{start}"' in html
    for taken in (_at(monday, 9, 30), _at(monday, 10)):
        assert f'data-start="{_local(taken)}"' not in html
    assert f"{_at(monday, 9).astimezone(PARIS):%H:%M} <small>(09:00)</small>" in html
    assert "America/New_York" in html
    assert "Europe/Paris" in html
    assert "within" in html  # a typed time must lie within the hours
    assert 'id="reschedule-form"' in html
    assert 'name="duration"' in html  # a free session: other lengths can be shown


def test_a_slots_link_fills_the_new_start_and_moving_there_works(client):
    profile = _profile((0, "09:00", "12:00"))
    monday = _next_monday()
    session = _session(profile, _at(monday, 9), mentee=UserFactory(timezone="Europe/Paris"))
    client.force_login(session.mentee)
    target = _local(_at(monday + timedelta(days=7), 11))
    filled = client.get(_url(session), {"duration": "60", "start": target}).content.decode()
    assert f'value="{target}"' in filled
    response = client.post(_url(session), {"start_at": target, "duration_minutes": "60"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.start_at == _at(monday + timedelta(days=7), 11)
    assert session.status == MentorshipSession.Status.PENDING  # the mentor confirms the new time


def test_a_typed_time_outside_the_hours_is_refused_for_the_mentee_and_allowed_for_the_mentor(client):
    profile = _profile((0, "09:00", "12:00"))
    monday = _next_monday()
    session = _session(profile, _at(monday, 9), mentee=UserFactory(timezone="America/New_York"))
    client.force_login(session.mentee)
    outside = {"start_at": f"{monday:%Y-%m-%d}T15:00", "duration_minutes": "60"}
    response = client.post(_url(session), outside)
    assert response.status_code == 400
    assert "outside" in response.content.decode()
    assert 'aria-labelledby="slots-heading"' in response.content.decode()  # the slots stay offered
    session.refresh_from_db()
    assert session.start_at == _at(monday, 9)

    client.force_login(profile.user)
    page = client.get(_url(session)).content.decode()
    assert "outside your hours" in page
    assert client.post(_url(session), outside).status_code == 302
    session.refresh_from_db()
    assert session.start_at == _at(monday, 15)


def test_a_paid_session_offers_slots_of_its_own_length_only(client):
    profile = _profile((0, "09:00", "12:00"), price=5000)
    monday = _next_monday()
    session = _session(profile, _at(monday, 9), duration_minutes=90, price_cents=7500)
    client.force_login(session.mentee)
    html = client.get(_url(session), {"duration": "30"}).content.decode()
    assert 'name="duration"' not in html  # no other length to choose
    # 90 minutes within 09:00–12:00: 09:00, 09:30, 10:00, 10:30 (its own time counted free) on
    # each of the three Mondays of the three weeks shown.
    assert html.count('class="slot"') == 12
    assert 'data-duration="90"' in html


def test_a_mentor_without_hours_shows_no_slots_to_themselves_and_the_manual_form_stays(client):
    profile = MentorProfileFactory(meeting_link="https://meet.example/m")
    session = _session(profile, timezone.now() + timedelta(days=3))
    client.force_login(profile.user)
    html = client.get(_url(session)).content.decode()
    assert 'aria-labelledby="slots-heading"' not in html
    assert 'id="reschedule-form"' in html
    client.force_login(session.mentee)
    assert "has not set weekly hours" in client.get(_url(session)).content.decode()


def test_a_session_that_cannot_move_shows_no_slots(client):
    profile = _profile((0, "09:00", "12:00"))
    session = MentorshipSessionFactory(
        mentor=profile.user, start_at=_at(_next_monday(), 9), status=MentorshipSession.Status.CANCELLED
    )
    client.force_login(session.mentee)
    html = client.get(_url(session)).content.decode()
    assert 'aria-labelledby="slots-heading"' not in html
    assert 'role="alert"' in html


def test_the_reschedule_page_keeps_its_queries_as_sessions_and_slots_grow(client, count_queries):
    profile = _profile(*[(day, "08:00", "18:00") for day in range(7)])
    monday = _next_monday()
    session = _session(profile, _at(monday, 8))
    client.force_login(session.mentee)
    few = count_queries(lambda: client.get(_url(session)))
    for hour in range(10, 17):
        _session(profile, _at(monday, hour))
        _session(profile, _at(monday + timedelta(days=1), hour))
    assert count_queries(lambda: client.get(_url(session))) == few


def test_the_slots_api_counts_the_moving_sessions_own_time_free_and_refuses_others(api_client):
    profile = _profile((0, "09:00", "10:00"))
    monday = _next_monday(after_days=8)
    mentee = UserFactory(timezone="America/New_York")
    session = _session(profile, _at(monday, 9), mentee=mentee)
    api_client.force_authenticate(mentee)
    query = {"duration": 60, "from": monday.isoformat()}
    plain = api_client.get(SLOTS.format(profile.user_id), query).json()
    starts = [datetime.fromisoformat(slot["start_at"]) for slot in plain["slots"]]
    assert _at(monday, 9) not in starts
    moving = api_client.get(SLOTS.format(profile.user_id), query | {"session": str(session.pk)})
    assert moving.status_code == 200, moving.json()
    starts = [datetime.fromisoformat(slot["start_at"]) for slot in moving.json()["slots"]]
    assert _at(monday, 9) in starts

    others = MentorshipSessionFactory(start_at=_at(monday, 9) + timedelta(days=1))  # not the mentee's
    with_another_mentor = MentorshipSessionFactory(mentee=mentee)
    for wrong in (others.pk, with_another_mentor.pk, "not-an-id"):
        response = api_client.get(SLOTS.format(profile.user_id), query | {"session": str(wrong)})
        assert response.status_code == 400
        assert "session" in response.json()["errors"]
