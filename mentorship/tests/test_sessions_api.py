"""Sessions API: booking and preview, actions (200 / 409 / 404), feedback and notes, the
anonymous-feedback guarantees on the raw JSON, constant query counts."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from mentorship.models import MentorshipSession, SessionFeedback, Venue
from mentorship.tests.factories import (
    MentorProfileFactory,
    MentorSessionNoteFactory,
    MentorshipSessionFactory,
    SessionFeedbackFactory,
    VenueFactory,
    anonymous_feedback_from_others,
)

pytestmark = pytest.mark.django_db
SESSIONS = "/api/v1/mentorship/sessions/"
FEEDBACK = "/api/v1/mentorship/feedback/"
Status = MentorshipSession.Status


def _booking(mentor, **kwargs):
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    return {
        "mentor": str(mentor.pk),
        "type": "virtual",
        "start_at": start.isoformat(),
        "duration_minutes": 45,
        **kwargs,
    }


def test_preview_shows_the_breakdown_and_saves_nothing(api_client):
    mentor = MentorProfileFactory(base_price_cents=9000, meeting_link="https://meet.example/m").user
    api_client.force_authenticate(UserFactory())
    venue = VenueFactory(partnership_tier=Venue.Tier.SILVER)
    preview = api_client.post(
        f"{SESSIONS}preview/", _booking(mentor, type="in_person", venue=str(venue.pk)), format="json"
    )
    assert preview.status_code == 200, preview.json()
    body = preview.json()
    # 45 minutes of 90.00 = 67.50; in person −20.25 = 47.25; silver −9.45 = 37.80
    assert (body["price_cents"], body["price"], body["currency"]) == (3780, "37.80", "USD")
    assert [line["amount_cents"] for line in body["lines"]] == [6750, -2025, -945]
    assert "45 minutes" in body["lines"][0]["label"]
    assert not MentorshipSession.objects.exists()


def test_free_booking_is_pending_with_no_checkout(api_client):
    mentor = MentorProfileFactory(base_price_cents=0, meeting_link="https://meet.example/m").user
    api_client.force_authenticate(UserFactory())
    response = api_client.post(SESSIONS, _booking(mentor, topic="Beats"), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["role"], body["price"], body["meeting_link"], body["checkout_url"]) == (
        "PENDING",
        "mentee",
        "0.00",
        "https://meet.example/m",
        None,
    )
    assert (body["price_lines"], body["payment_status"], body["cancel_refund"]["rule"]) == ([], None, "")
    assert body["actions"] == ["reschedule", "cancel"]


def test_start_with_offset_is_kept_as_the_instant(api_client):
    mentor = MentorProfileFactory(base_price_cents=0, meeting_link="https://meet.example/m").user
    api_client.force_authenticate(UserFactory())
    start = (timezone.now() + timedelta(days=5)).replace(microsecond=0, second=0, minute=0)
    local = start.astimezone(timezone.get_fixed_timezone(-300))  # UTC−5
    response = api_client.post(SESSIONS, _booking(mentor, start_at=local.isoformat()), format="json")
    assert response.status_code == 201
    assert MentorshipSession.objects.get().start_at == start


def test_overlap_is_409_and_bad_input_400(api_client):
    mentor = MentorProfileFactory(base_price_cents=0, meeting_link="https://meet.example/m").user
    api_client.force_authenticate(UserFactory())
    assert api_client.post(SESSIONS, _booking(mentor), format="json").status_code == 201
    response = api_client.post(SESSIONS, _booking(mentor), format="json")
    assert response.status_code == 409
    assert "already" in response.json()["detail"]
    assert api_client.post(SESSIONS, _booking(mentor, venue=str(VenueFactory().pk)), format="json").status_code == 400
    assert api_client.post(SESSIONS, _booking(UserFactory()), format="json").status_code == 400
    assert MentorshipSession.objects.count() == 1


def test_actions_and_404_for_outsiders(api_client):
    session = MentorshipSessionFactory()
    api_client.force_authenticate(UserFactory())
    assert api_client.get(f"{SESSIONS}{session.pk}/").status_code == 404
    assert api_client.post(f"{SESSIONS}{session.pk}/confirm/").status_code == 404
    api_client.force_authenticate(session.mentee)
    response = api_client.post(f"{SESSIONS}{session.pk}/confirm/")
    assert response.status_code == 409
    assert "Only the mentor" in response.json()["detail"]
    api_client.force_authenticate(session.mentor)
    assert api_client.post(f"{SESSIONS}{session.pk}/confirm/").json()["status"] == "CONFIRMED"
    assert api_client.post(f"{SESSIONS}{session.pk}/complete/").status_code == 409
    response = api_client.post(f"{SESSIONS}{session.pk}/cancel/", {"reason": "Travel"}, format="json")
    assert (response.json()["status"], response.json()["cancel_reason"], response.json()["cancelled_by"]) == (
        "CANCELLED",
        "Travel",
        "mentor",
    )


def test_reschedule_moves_the_session_with_its_offset_and_answers_400_404_409(api_client):
    session = MentorshipSessionFactory(status=Status.CONFIRMED, confirmed_at=timezone.now())
    url = f"{SESSIONS}{session.pk}/reschedule/"
    new_start = (session.start_at + timedelta(days=2)).replace(microsecond=0)
    local = new_start.astimezone(timezone.get_fixed_timezone(330))  # UTC+5:30
    api_client.force_authenticate(UserFactory())
    assert api_client.post(url, {"start_at": local.isoformat()}, format="json").status_code == 404
    api_client.force_authenticate(session.mentee)
    bad = api_client.post(url, {"start_at": local.isoformat(), "duration_minutes": 500}, format="json")
    assert (bad.status_code, list(bad.json()["errors"])) == (400, ["duration_minutes"])
    past = api_client.post(url, {"start_at": (timezone.now() - timedelta(hours=1)).isoformat()}, format="json")
    assert (past.status_code, past.json()["errors"]) == (400, {"start_at": ["Choose a start time in the future."]})
    session.refresh_from_db()
    assert (session.status, session.sequence) == (Status.CONFIRMED, 0)
    response = api_client.post(url, {"start_at": local.isoformat(), "duration_minutes": 30}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["duration_minutes"], body["actions"]) == ("PENDING", 30, ["reschedule", "cancel"])
    session.refresh_from_db()
    assert (session.start_at, session.end_at) == (new_start, new_start + timedelta(minutes=30))
    busy = MentorshipSessionFactory(mentor=session.mentor, start_at=new_start + timedelta(days=1))
    clash = api_client.post(url, {"start_at": busy.start_at.isoformat()}, format="json")
    assert clash.status_code == 409
    assert "already has a session" in clash.json()["detail"]
    session_cancelled = MentorshipSessionFactory(
        mentee=session.mentee, status=Status.CANCELLED, cancelled_at=timezone.now()
    )
    refused = api_client.post(
        f"{SESSIONS}{session_cancelled.pk}/reschedule/", {"start_at": local.isoformat()}, format="json"
    )
    assert refused.status_code == 409
    assert "can be moved" in refused.json()["detail"]


def test_no_show_after_start(api_client):
    session = MentorshipSessionFactory(status=Status.CONFIRMED, start_at=timezone.now() - timedelta(minutes=5))
    api_client.force_authenticate(session.mentor)
    assert api_client.post(f"{SESSIONS}{session.pk}/no-show/").json()["status"] == "NO_SHOW"


def test_notes_are_the_mentors_alone(api_client):
    session = MentorshipSessionFactory()
    url = f"{SESSIONS}{session.pk}/notes/"
    api_client.force_authenticate(session.mentor)
    assert api_client.get(url).json()["updated_at"] is None
    response = api_client.put(url, {"summary": "S", "private_notes": "secret-note"}, format="json")
    assert response.status_code == 200
    assert api_client.get(url).json()["private_notes"] == "secret-note"
    for other in (session.mentee, UserFactory()):
        api_client.force_authenticate(other)
        assert api_client.get(url).status_code == 404
        assert api_client.put(url, {"summary": "x"}, format="json").status_code == 404
    api_client.force_authenticate(session.mentee)
    assert "secret-note" not in api_client.get(f"{SESSIONS}{session.pk}/").content.decode()


def _completed(hours_ago: float):
    # Names no other factory person can share: the anonymity checks look for them as substrings.
    return MentorshipSessionFactory(
        mentee=UserFactory(first_name="Zephyrine", last_name="Quillfeather"),
        status=Status.COMPLETED,
        start_at=timezone.now() - timedelta(hours=hours_ago + 1),
        completed_at=timezone.now() - timedelta(hours=hours_ago),
    )


FEEDBACK_BODY = {
    "rating": 4,
    "growth_area": "Mixing",
    "growth_idea": "Reference tracks",
    "what_went_well": "Concrete tips",
    "what_to_improve": "Longer session",
}


def test_feedback_window_once_and_only_the_mentee(api_client):
    early, late, ok = _completed(2), _completed(24 * 7 + 1), _completed(30)
    api_client.force_authenticate(early.mentee)
    response = api_client.post(f"{SESSIONS}{early.pk}/feedback/", FEEDBACK_BODY, format="json")
    assert response.status_code == 409
    assert "opens" in response.json()["detail"]
    api_client.force_authenticate(late.mentee)
    response = api_client.post(f"{SESSIONS}{late.pk}/feedback/", FEEDBACK_BODY, format="json")
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]
    api_client.force_authenticate(ok.mentor)
    assert api_client.post(f"{SESSIONS}{ok.pk}/feedback/", FEEDBACK_BODY, format="json").status_code == 403
    api_client.force_authenticate(ok.mentee)
    assert (
        api_client.post(f"{SESSIONS}{ok.pk}/feedback/", {**FEEDBACK_BODY, "rating": 6}, format="json").status_code
        == 400
    )
    assert api_client.post(f"{SESSIONS}{ok.pk}/feedback/", FEEDBACK_BODY, format="json").status_code == 201
    assert api_client.post(f"{SESSIONS}{ok.pk}/feedback/", FEEDBACK_BODY, format="json").status_code == 409
    ok.refresh_from_db()
    assert (ok.rating, ok.feedback_submitted) == (4, True)
    assert str(ok.mentor.mentor_profile.__class__.objects.get(user=ok.mentor).rating) == "4.0"
    api_client.force_authenticate(ok.mentor)
    assert api_client.get(f"{SESSIONS}{ok.pk}/feedback/").json()["mentee"]["id"] == str(ok.mentee.pk)


def test_anonymous_feedback_never_identifies_the_mentee_to_the_mentor(api_client, django_capture_on_commit_callbacks):
    from django.core import mail

    from accounts.tests.records import notifications
    from mentorship.services.feedback import feedback_anonymous_release

    session = _completed(30)
    mentee = session.mentee
    api_client.force_authenticate(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            f"{SESSIONS}{session.pk}/feedback/",
            {**FEEDBACK_BODY, "what_went_well": "anon-marker-words", "is_anonymous": True},
            format="json",
        )
    assert response.status_code == 201
    # It reaches the mentor with a weekly batch of at least 3 from 3 mentees.
    anonymous_feedback_from_others(mentor=session.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_anonymous_release() == 3
    identifiers = [str(mentee.pk), mentee.email, mentee.display_name, mentee.first_name, mentee.last_name]
    api_client.force_authenticate(session.mentor)
    feedback_list = api_client.get(FEEDBACK).content.decode()
    feedback_id = SessionFeedback.objects.get(session=session).pk
    feedback_one = api_client.get(f"{FEEDBACK}{feedback_id}/").content.decode()
    assert "anon-marker-words" in feedback_list
    assert "anon-marker-words" in feedback_one
    for raw in (feedback_list, feedback_one):
        for identifier in identifiers:
            assert identifier not in raw
        assert str(session.pk) not in raw  # not tied to the session either
    assert api_client.get(f"{SESSIONS}{session.pk}/feedback/").status_code == 404
    for raw in (api_client.get(SESSIONS).content.decode(), api_client.get(f"{SESSIONS}{session.pk}/").content.decode()):
        assert "anon-marker-words" not in raw
    detail = api_client.get(f"{SESSIONS}{session.pk}/").json()
    assert (detail["rating"], detail["feedback_submitted"]) == (None, False)
    notification = notifications().get(user=session.mentor, type="feedback_received")
    text = f"{notification.title} {notification.message} {notification.action_url} {notification.related_id}"
    for identifier in [*identifiers, str(session.pk)]:
        assert identifier not in text
    for message in mail.outbox:
        if session.mentor.email in message.to:
            for identifier in identifiers:
                assert identifier not in message.subject + message.body
    # the mentee still sees their own feedback with the session
    api_client.force_authenticate(mentee)
    assert api_client.get(f"{SESSIONS}{session.pk}/feedback/").json()["session"] == str(session.pk)


def test_session_list_filters(api_client):
    mentor = MentorProfileFactory().user
    MentorshipSessionFactory(mentor=mentor)
    as_mentee = MentorshipSessionFactory(mentee=mentor, start_at=timezone.now() + timedelta(days=4))
    api_client.force_authenticate(mentor)
    assert api_client.get(SESSIONS).json()["count"] == 2
    rows = api_client.get(SESSIONS, {"role": "mentee"}).json()["results"]
    assert [row["id"] for row in rows] == [str(as_mentee.pk)]
    assert api_client.get(SESSIONS, {"status": "CONFIRMED"}).json()["count"] == 0


def test_list_endpoints_keep_a_constant_query_count(api_client, count_queries):
    mentor = MentorProfileFactory().user
    api_client.force_authenticate(mentor)

    slots = itertools.count()

    def add(n: int) -> None:
        for _ in range(n):
            i = next(slots)
            session = MentorshipSessionFactory(mentor=mentor, start_at=timezone.now() + timedelta(days=2, hours=2 * i))
            MentorSessionNoteFactory(session=session, mentor=mentor)
            SessionFeedbackFactory(
                mentor=mentor,
                session__mentor=mentor,
                session__start_at=timezone.now() - timedelta(days=2, hours=2 * i),
                is_anonymous=bool(i % 2),
            )

    add(1)
    few = (count_queries(lambda: api_client.get(SESSIONS)), count_queries(lambda: api_client.get(FEEDBACK)))
    add(6)
    many = (count_queries(lambda: api_client.get(SESSIONS)), count_queries(lambda: api_client.get(FEEDBACK)))
    assert few == many
