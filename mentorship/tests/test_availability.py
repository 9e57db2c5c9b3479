"""Booking by availability: the mentor's hours, time off and notice (service, page, API),
the free slots (selector, booking page, API — constant queries) and the booking rule that
refuses a time outside them, checked by hand across a daylight-saving change."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from mentorship.models import Event, MentorshipSession, TimeOff, WeeklyHours
from mentorship.selectors.availability import mentor_free_slots
from mentorship.services.availability import availability_set
from mentorship.services.sessions import session_book, session_reschedule
from mentorship.tests.factories import EventFactory, MentorProfileFactory, MentorshipSessionFactory, VenueFactory

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
PARIS = ZoneInfo("Europe/Paris")
Status = MentorshipSession.Status
SLOTS = "/api/v1/mentorship/mentors/{}/slots/"
AVAILABILITY = "/api/v1/mentorship/availability/"


def _profile(*hours, notice=0, zone="America/New_York", **kwargs):
    """A verified, free mentor in ``zone`` with weekly ``hours`` (weekday, "HH:MM", "HH:MM")."""
    profile = MentorProfileFactory(
        user__timezone=zone, base_price_cents=0, meeting_link="https://meet.example/m", **kwargs
    )
    availability_set(
        profile=profile,
        weekly_hours=[
            {"weekday": day, "start_time": time.fromisoformat(start), "end_time": time.fromisoformat(end)}
            for day, start, end in hours
        ],
        time_off=[],
        notice_hours=notice,
    )
    profile.refresh_from_db()
    return profile


def _utc(*args):
    return datetime(*args, tzinfo=UTC)


def _next_weekday(weekday, *, after_days):
    """The first date with ``weekday`` at least ``after_days`` from today (New York)."""
    day = timezone.now().astimezone(NEW_YORK).date() + timedelta(days=after_days)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _at(day, hour, minute=0, zone=NEW_YORK):
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def test_slots_leave_out_sessions_events_and_time_off_across_the_spring_change(django_assert_num_queries):
    # Wednesday 2027-03-10 (EST); New York moves to EDT on Sunday 2027-03-14.
    now = _utc(2027, 3, 10, 12)
    profile = _profile((0, "09:00", "10:00"), (2, "09:00", "10:00"))
    mentor = profile.user
    TimeOff.objects.create(profile=profile, start_date=date(2027, 4, 5), end_date=date(2027, 4, 5))
    MentorshipSessionFactory(mentor=mentor, start_at=_utc(2027, 3, 22, 13), duration_minutes=30)
    MentorshipSessionFactory(mentee=mentor, start_at=_utc(2027, 3, 22, 13, 30), duration_minutes=30)
    MentorshipSessionFactory(
        mentor=mentor, start_at=_utc(2027, 3, 29, 13), status=Status.CANCELLED, cancelled_at=now, duration_minutes=30
    )
    EventFactory(host=mentor, start_at=_utc(2027, 3, 29, 13, 30), duration_minutes=30)
    EventFactory(host=mentor, start_at=_utc(2027, 3, 15, 13), duration_minutes=30, status=Event.Status.CANCELLED)
    with django_assert_num_queries(4):
        slots = mentor_free_slots(profile=profile, duration_minutes=30, days=28, now=now)
    assert slots.has_hours
    assert slots.first_day == date(2027, 3, 10)
    # Now is 07:00 EST: Wednesday's 09:00 EST (14:00 UTC) is still ahead.
    assert list(slots.starts) == [
        _utc(2027, 3, 10, 14),  # Wed 09:00 EST
        _utc(2027, 3, 10, 14, 30),
        _utc(2027, 3, 15, 13),  # Mon 09:00 EDT: the cancelled event does not count
        _utc(2027, 3, 15, 13, 30),
        _utc(2027, 3, 17, 13),
        _utc(2027, 3, 17, 13, 30),
        # Mon 03-22: the mentor's session, then their own session as a mentee.
        _utc(2027, 3, 24, 13),
        _utc(2027, 3, 24, 13, 30),
        _utc(2027, 3, 29, 13),  # the cancelled session frees it; the event takes 09:30
        _utc(2027, 3, 31, 13),
        _utc(2027, 3, 31, 13, 30),
        # Mon 04-05 is off; the 28 days end on Tuesday 04-06.
    ]


def test_no_hours_no_slots_and_any_time_can_be_booked():
    profile = MentorProfileFactory(base_price_cents=0, meeting_link="https://meet.example/m")
    assert not mentor_free_slots(profile=profile, duration_minutes=60).has_hours
    start = (timezone.now() + timedelta(days=3)).replace(hour=3, minute=17, second=0, microsecond=0)
    booked = session_book(
        mentee=UserFactory(), mentor_id=profile.user_id, type="virtual", start_at=start, duration_minutes=60
    )
    assert booked.session.start_at == start


def _book(profile, start, duration=60, **kwargs):
    arguments = {"mentee": UserFactory(), "type": "virtual", **kwargs}
    return session_book(mentor_id=profile.user_id, start_at=start, duration_minutes=duration, **arguments).session


def _refusal(profile, start, duration=60):
    with pytest.raises(ValidationError) as error:
        _book(profile, start, duration)
    return error.value.message_dict["start_at"][0]


def test_a_booking_outside_the_hours_on_a_day_off_inside_the_notice_or_during_an_event_is_refused():
    profile = _profile((0, "09:00", "12:00"), notice=48)
    monday = _next_weekday(0, after_days=3)
    assert "outside" in _refusal(profile, _at(monday, 11, 30))
    assert "outside" in _refusal(profile, _at(monday, 8, 30))
    assert "outside" in _refusal(profile, _at(monday + timedelta(days=1), 10))
    TimeOff.objects.create(profile=profile, start_date=monday + timedelta(days=7), end_date=monday + timedelta(days=7))
    assert "takes no sessions" in _refusal(profile, _at(monday + timedelta(days=7), 10))
    EventFactory(host=profile.user, start_at=_at(monday, 10).astimezone(UTC), duration_minutes=60)
    assert "hosts an event" in _refusal(profile, _at(monday, 10, 30))
    assert not MentorshipSession.objects.exists()
    # Inside the hours, clear of the event: booked. The mentee's own zone does not matter.
    session = _book(profile, _at(monday, 9).astimezone(PARIS))
    assert session.start_at == _at(monday, 9)
    # Inside the 48 hours' notice: refused, even within the hours.
    soon = timezone.now() + timedelta(hours=47)
    profile = _profile(*[(day, "00:00", "23:30") for day in range(7)], notice=48)
    assert "notice" in _refusal(profile, soon.replace(minute=0, second=0, microsecond=0), duration=30)


def test_the_mentee_moves_a_session_within_the_hours_the_mentor_anywhere():
    profile = _profile((0, "09:00", "12:00"))
    monday = _next_weekday(0, after_days=3)
    session = _book(profile, _at(monday, 9))
    with pytest.raises(ValidationError) as error:
        session_reschedule(session=session, user=session.mentee, start_at=_at(monday, 14))
    assert "outside" in error.value.message_dict["start_at"][0]
    session_reschedule(session=session, user=session.mentee, start_at=_at(monday, 10))
    session = session_reschedule(session=session, user=profile.user, start_at=_at(monday, 14))
    assert session.start_at == _at(monday, 14)


@pytest.mark.parametrize(
    ("hours", "time_off", "notice", "key", "words"),
    [
        ([(0, "09:00", "12:00"), (0, "11:00", "13:00")], [], 0, "weekly_hours", "overlaps"),
        ([(0, "09:15", "12:00")], [], 0, "weekly_hours", "half hour"),
        ([(0, "12:00", "09:00")], [], 0, "weekly_hours", "ends after"),
        ([], [(date(2030, 1, 5), date(2030, 1, 4))], 0, "time_off", "before it starts"),
        ([], [(date(2020, 1, 5), date(2020, 1, 6))], 0, "time_off", "already over"),
        ([], [], 24 * 15, "notice_hours", "two weeks"),
    ],
)
def test_bad_availability_is_refused_and_changes_nothing(hours, time_off, notice, key, words):
    profile = _profile((1, "10:00", "11:00"), notice=5)
    with pytest.raises(ValidationError) as error:
        availability_set(
            profile=profile,
            weekly_hours=[
                {"weekday": day, "start_time": time.fromisoformat(a), "end_time": time.fromisoformat(b)}
                for day, a, b in hours
            ],
            time_off=[{"start_date": a, "end_date": b} for a, b in time_off],
            notice_hours=notice,
        )
    assert words in " ".join(error.value.message_dict[key])
    profile.refresh_from_db()
    assert profile.booking_notice_hours == 5
    assert [(row.weekday, row.start_time) for row in WeeklyHours.objects.filter(profile=profile)] == [(1, time(10))]


def test_availability_page_saves_rows_and_shows_errors(client):
    profile = _profile((1, "10:00", "11:00"))
    client.force_login(profile.user)
    url = reverse("mentorship:availability")
    page = client.get(url)
    assert page.status_code == 200
    assert "America/New_York" in page.content.decode()
    assert '<option value="10:00" selected>' in page.content.decode()
    assert '<option value="11:00" selected>' in page.content.decode()
    data = {
        "hours-TOTAL_FORMS": "3",
        "hours-INITIAL_FORMS": "1",
        "hours-0-weekday": "1",
        "hours-0-start_time": "10:00",
        "hours-0-end_time": "11:00",
        "hours-0-DELETE": "on",
        "hours-1-weekday": "0",
        "hours-1-start_time": "09:00",
        "hours-1-end_time": "12:00",
        "hours-2-weekday": "0",
        "hours-2-start_time": "14:00",
        "hours-2-end_time": "17:00",
        "off-TOTAL_FORMS": "1",
        "off-INITIAL_FORMS": "0",
        "off-0-start_date": "2030-01-07",
        "off-0-note": "Holiday",
        "notice_hours": "12",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    rows = WeeklyHours.objects.filter(profile=profile)
    assert [(row.weekday, row.start_time, row.end_time) for row in rows] == [
        (0, time(9), time(12)),
        (0, time(14), time(17)),
    ]
    off = TimeOff.objects.get(profile=profile)
    assert (off.start_date, off.end_date, off.note) == (date(2030, 1, 7), date(2030, 1, 7), "Holiday")
    profile.refresh_from_db()
    assert profile.booking_notice_hours == 12
    bad = client.post(url, {**data, "hours-2-start_time": "11:00"})
    assert bad.status_code == 400
    assert "overlaps" in bad.content.decode()
    assert WeeklyHours.objects.filter(profile=profile).count() == 2


def test_availability_page_and_api_are_for_verified_mentors_only(client, api_client):
    someone = UserFactory()
    client.force_login(someone)
    assert client.get(reverse("mentorship:availability")).status_code == 404
    api_client.force_authenticate(someone)
    assert api_client.get(AVAILABILITY).status_code == 404


def test_booking_page_lists_slots_in_the_mentees_zone_with_the_mentors_beside(client, count_queries):
    profile = _profile(*[(day, "09:00", "17:00") for day in range(7)])
    monday = _next_weekday(0, after_days=2)
    client.force_login(UserFactory(timezone="Europe/Paris"))
    url = reverse("mentorship:session-book", kwargs={"mentor_id": profile.user_id})
    few = count_queries(lambda: client.get(url, {"duration": "30"}))
    for hour in range(12, 17):
        MentorshipSessionFactory(mentor=profile.user, start_at=_at(monday, hour))
        EventFactory(host=profile.user, start_at=_at(monday + timedelta(days=1), hour))
    assert count_queries(lambda: client.get(url, {"duration": "30"})) == few
    page = client.get(url, {"duration": "30"})
    html = page.content.decode()
    local = _at(monday, 9).astimezone(PARIS)
    assert f'data-start="{local:%Y-%m-%dT%H:%M}"' in html
    assert f"{local:%H:%M} <small>(09:00)</small>" in html
    assert "America/New_York" in html
    assert "Europe/Paris" in html
    assert 'name="meeting_link"' not in html
    # The slot's link fills the start (and the length) without scripts.
    filled = client.get(url, {"duration": "30", "start": f"{local:%Y-%m-%dT%H:%M}"}).content.decode()
    assert f'value="{local:%Y-%m-%dT%H:%M}"' in filled


def test_booking_page_says_when_a_mentor_has_not_set_hours(client):
    profile = MentorProfileFactory(meeting_link="https://meet.example/m")
    client.force_login(UserFactory())
    page = client.get(reverse("mentorship:session-book", kwargs={"mentor_id": profile.user_id}))
    assert "has not set weekly hours" in page.content.decode()


def test_booking_page_refuses_a_time_outside_the_hours_with_the_reason(client):
    profile = _profile((0, "09:00", "10:00"))
    monday = _next_weekday(0, after_days=3)
    client.force_login(UserFactory(timezone="America/New_York"))
    url = reverse("mentorship:session-book", kwargs={"mentor_id": profile.user_id})
    data = {"type": "virtual", "start_at": f"{monday:%Y-%m-%d}T11:00", "duration_minutes": "60"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "outside" in response.content.decode()
    assert not MentorshipSession.objects.exists()


def test_slots_api_matches_the_hours_in_the_requesters_zone(api_client, django_assert_max_num_queries):
    profile = _profile((0, "09:00", "11:00"))
    monday = _next_weekday(0, after_days=8)
    api_client.force_authenticate(UserFactory(timezone="Europe/Paris"))
    with django_assert_max_num_queries(8):
        response = api_client.get(SLOTS.format(profile.user_id), {"duration": 60, "from": monday.isoformat()})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["mentor_timezone"], body["timezone"], body["has_hours"]) == ("America/New_York", "Europe/Paris", True)
    assert (body["first_day"], body["last_day"]) == (monday.isoformat(), (monday + timedelta(days=20)).isoformat())
    expected = [
        _at(monday + timedelta(weeks=week), hour, minute)
        for week in range(3)
        for hour, minute in ((9, 0), (9, 30), (10, 0))
    ]
    assert [datetime.fromisoformat(slot["start_at"]) for slot in body["slots"]] == expected
    assert body["slots"][0]["start_at"].endswith(_at(monday, 9).astimezone(PARIS).strftime("%z")[:3] + ":00")
    # The same times the page and the booking accept.
    first = body["slots"][0]["start_at"]
    booked = api_client.post(
        "/api/v1/mentorship/sessions/",
        {
            "mentor": str(profile.user_id),
            "type": "virtual",
            "start_at": first,
            "duration_minutes": 60,
            "meeting_link": "https://evil.example",
        },
        format="json",
    )
    assert booked.status_code == 201, booked.json()
    assert booked.json()["meeting_link"] == "https://meet.example/m"
    after = api_client.get(SLOTS.format(profile.user_id), {"duration": 60, "from": monday.isoformat()}).json()
    assert first not in [slot["start_at"] for slot in after["slots"]]
    assert len(after["slots"]) == 7  # 09:00 and 09:30 overlap the booked hour


def test_slots_api_refuses_bad_input(api_client):
    profile = _profile((0, "09:00", "11:00"))
    api_client.force_authenticate(UserFactory())
    assert api_client.get(SLOTS.format(profile.user_id), {"duration": 5}).status_code == 400
    assert api_client.get(SLOTS.format(profile.user_id), {"from": "soon"}).status_code == 400
    far = (timezone.now() + timedelta(days=400)).date().isoformat()
    assert api_client.get(SLOTS.format(profile.user_id), {"from": far}).status_code == 400
    assert api_client.get(SLOTS.format(UserFactory().pk)).status_code == 404


def test_availability_api_reads_and_replaces(api_client):
    profile = _profile((1, "10:00", "11:00"), notice=3)
    api_client.force_authenticate(profile.user)
    body = api_client.get(AVAILABILITY).json()
    assert body == {
        "timezone": "America/New_York",
        "notice_hours": 3,
        "weekly_hours": [{"weekday": 1, "start_time": "10:00", "end_time": "11:00"}],
        "time_off": [],
    }
    new = {
        "notice_hours": 24,
        "weekly_hours": [{"weekday": 4, "start_time": "13:00", "end_time": "15:30"}],
        "time_off": [{"start_date": "2030-02-01", "end_date": "2030-02-03", "note": "Away"}],
    }
    response = api_client.put(AVAILABILITY, new, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["weekly_hours"] == new["weekly_hours"]
    assert response.json()["time_off"] == new["time_off"]
    bad = api_client.put(
        AVAILABILITY,
        {**new, "weekly_hours": [{"weekday": 4, "start_time": "13:10", "end_time": "15:00"}]},
        format="json",
    )
    assert bad.status_code == 400
    assert WeeklyHours.objects.get(profile=profile).start_time == time(13)


def test_the_slots_endpoint_is_in_the_openapi_schema():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert "get" in paths["/api/v1/mentorship/mentors/{mentor_id}/slots/"]
    assert {"get", "put"} <= set(paths["/api/v1/mentorship/availability/"])


def test_in_person_booking_keeps_its_venue_and_takes_no_link():
    profile = _profile((0, "09:00", "12:00"))
    monday = _next_weekday(0, after_days=3)
    session = _book(profile, _at(monday, 9), type="in_person", venue=VenueFactory())
    assert (session.type, session.meeting_link) == ("in_person", "")


def test_the_mentors_data_export_has_their_availability_and_erasure_removes_it():
    from core.registry import personal_data

    profile = _profile((0, "09:00", "12:00"), notice=6)
    TimeOff.objects.create(profile=profile, start_date=date(2030, 1, 7), end_date=date(2030, 1, 8), note="Away")
    handler = next(handler for handler in personal_data.all() if handler.key == "mentor_profile")
    exported = handler.export(profile.user)
    assert exported["booking_notice_hours"] == 6
    assert exported["weekly_hours"] == [{"weekday": 0, "start_time": "09:00:00", "end_time": "12:00:00"}]
    assert exported["time_off"] == [{"start_date": "2030-01-07", "end_date": "2030-01-08", "note": "Away"}]
    handler.erase(profile.user)
    assert not WeeklyHours.objects.exists()
    assert not TimeOff.objects.exists()
