"""Cancelling and moving therapy sessions, and where they take place: the client's
cancellation less than 24 hours before an approved session is recorded as late; either
party moves a session under the time rules of mentorship sessions; the therapist gives a
meeting link or a place. The same rules on the pages and the API; refusals change nothing."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from core.errors import ApplicationError
from therapy.models import TherapySession
from therapy.services.sessions import (
    therapy_session_cancel,
    therapy_session_reschedule,
    therapy_session_where_update,
)
from therapy.tests.factories import TherapySessionFactory

pytestmark = pytest.mark.django_db
Status = TherapySession.Status
API = "/api/v1/therapy/sessions/"


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _approved(hours_ahead: float, **kwargs) -> TherapySession:
    return TherapySessionFactory(
        status=Status.APPROVED,
        scheduled_at=timezone.now() + timedelta(hours=hours_ahead),
        decided_at=timezone.now(),
        **kwargs,
    )


# --- cancel ---------------------------------------------------------------------------------


def test_client_cancels_25_hours_ahead_in_time_and_the_therapist_is_told_the_time_only():
    session = _approved(25)
    cancelled = therapy_session_cancel(session=session, user=session.client, reason="Moving house")
    session.refresh_from_db()
    assert session.status == Status.CANCELLED
    assert session.late_cancellation is False
    assert session.cancelled_by_id == session.client_id
    assert session.cancel_reason == "Moving house"
    assert cancelled.sequence == 1
    (told,) = notifications().filter(user=session.therapist)
    assert "Moving house" not in told.title + told.message
    assert session.title not in told.title + told.message


def test_client_cancels_23_hours_ahead_late_and_the_therapist_hears_it_was_late():
    session = _approved(23)
    therapy_session_cancel(session=session, user=session.client)
    session.refresh_from_db()
    assert (session.status, session.late_cancellation) == (Status.CANCELLED, True)
    (told,) = notifications().filter(user=session.therapist)
    assert "less than 24 hours" in told.title


def test_a_pending_request_or_the_therapist_cancelling_late_is_never_a_late_cancellation():
    pending = TherapySessionFactory(status=Status.PENDING, scheduled_at=timezone.now() + timedelta(hours=2))
    therapy_session_cancel(session=pending, user=pending.client)
    approved = _approved(2)
    therapy_session_cancel(session=approved, user=approved.therapist)
    for session in (pending, approved):
        session.refresh_from_db()
        assert (session.status, session.late_cancellation) == (Status.CANCELLED, False)


@pytest.mark.parametrize("status", [Status.OPEN, Status.CLOSED, Status.REJECTED, Status.CANCELLED])
def test_only_pending_or_approved_sessions_can_be_cancelled(status):
    session = TherapySessionFactory(status=status)
    with pytest.raises(ApplicationError):
        therapy_session_cancel(session=session, user=session.client)
    session.refresh_from_db()
    assert session.status == status


def test_a_started_approved_session_cannot_be_cancelled_and_a_stranger_gets_404():
    session = _approved(-0.5)
    with pytest.raises(ApplicationError):
        therapy_session_cancel(session=session, user=session.client)
    from django.http import Http404

    with pytest.raises(Http404):
        therapy_session_cancel(session=_approved(30), user=UserFactory())
    session.refresh_from_db()
    assert session.status == Status.APPROVED


# --- move -----------------------------------------------------------------------------------


def test_client_moves_an_approved_session_which_is_pending_again_and_reminders_reset():
    session = _approved(72, reminder_24h_sent_at=timezone.now())
    new_time = timezone.now() + timedelta(days=5)
    therapy_session_reschedule(session=session, user=session.client, scheduled_at=new_time)
    session.refresh_from_db()
    assert session.scheduled_at == new_time
    assert (session.status, session.decided_at, session.reminder_24h_sent_at) == (Status.PENDING, None, None)
    assert notifications().filter(user=session.therapist).count() == 1


def test_therapist_moves_an_approved_session_which_stays_approved():
    session = _approved(10)
    new_time = timezone.now() + timedelta(days=2)
    therapy_session_reschedule(session=session, user=session.therapist, scheduled_at=new_time, duration_minutes=60)
    session.refresh_from_db()
    assert (session.status, session.scheduled_at, session.duration_minutes) == (Status.APPROVED, new_time, 60)
    assert notifications().filter(user=session.client).count() == 1


def test_client_cannot_move_an_approved_session_within_24_hours_nothing_changes():
    session = _approved(20)
    before = session.scheduled_at
    with pytest.raises(ApplicationError, match="late"):
        therapy_session_reschedule(
            session=session, user=session.client, scheduled_at=timezone.now() + timedelta(days=3)
        )
    session.refresh_from_db()
    assert (session.status, session.scheduled_at) == (Status.APPROVED, before)


@pytest.mark.parametrize(
    ("delta", "minutes", "field"),
    [
        (timedelta(hours=-1), 50, "scheduled_at"),  # the past
        (timedelta(days=400), 50, "scheduled_at"),  # beyond a year
        (timedelta(days=3), 10, "duration_minutes"),
        (timedelta(days=3), 300, "duration_minutes"),
    ],
)
def test_a_move_follows_the_time_rules(delta, minutes, field):
    from django.core.exceptions import ValidationError

    session = _approved(48)
    with pytest.raises(ValidationError) as error:
        therapy_session_reschedule(
            session=session, user=session.therapist, scheduled_at=timezone.now() + delta, duration_minutes=minutes
        )
    assert field in error.value.message_dict


def test_a_move_onto_another_session_of_either_party_is_refused():
    session = _approved(48)
    other = TherapySessionFactory(
        relationship__client=session.client,
        status=Status.PENDING,
        scheduled_at=timezone.now() + timedelta(days=4),
    )
    with pytest.raises(ApplicationError):
        therapy_session_reschedule(
            session=session, user=session.therapist, scheduled_at=other.scheduled_at + timedelta(minutes=20)
        )
    # Right after it ends is free.
    therapy_session_reschedule(
        session=session, user=session.therapist, scheduled_at=other.scheduled_at + timedelta(minutes=50)
    )


# --- where ----------------------------------------------------------------------------------


def test_therapist_gives_a_link_or_a_place_not_both_and_the_client_cannot():
    from django.core.exceptions import ValidationError

    session = _approved(48)
    with pytest.raises(ValidationError):
        therapy_session_where_update(
            session=session, therapist=session.therapist, meeting_link="https://meet.example/a", place="Room 4"
        )
    with pytest.raises(ValidationError):
        therapy_session_where_update(session=session, therapist=session.therapist, meeting_link="javascript:x")
    with pytest.raises(ApplicationError):
        therapy_session_where_update(session=session, therapist=session.client, place="My kitchen")
    therapy_session_where_update(session=session, therapist=session.therapist, place="Room 4, Main St 1")
    session.refresh_from_db()
    assert (session.meeting_link, session.place) == ("", "Room 4, Main St 1")


# --- pages ----------------------------------------------------------------------------------


def test_client_page_offers_move_and_cancel_and_warns_of_a_late_cancellation():
    session = _approved(5)
    page = _browser(session.client).get(reverse("therapy:session-detail", kwargs={"pk": session.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("therapy:session-cancel", kwargs={"pk": session.pk}) in html
    assert reverse("therapy:session-reschedule", kwargs={"pk": session.pk}) in html
    assert "late cancellation" in html
    assert reverse("therapy:session-where", kwargs={"pk": session.pk}) not in html  # the therapist's form


def test_client_cancels_late_on_the_page_and_reads_it_on_the_session():
    session = _approved(5)
    browser = _browser(session.client)
    response = browser.post(reverse("therapy:session-cancel", kwargs={"pk": session.pk}), {"reason": ""})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.late_cancellation) == (Status.CANCELLED, True)
    page = browser.get(reverse("therapy:session-detail", kwargs={"pk": session.pk})).content.decode()
    assert "a late cancellation" in page


def test_move_page_bad_input_is_400_with_the_error_and_nothing_changes():
    session = _approved(48)
    before = session.scheduled_at
    response = _browser(session.therapist).post(
        reverse("therapy:session-reschedule", kwargs={"pk": session.pk}),
        {"scheduled_at": "2000-01-01T10:00", "duration_minutes": 50},
    )
    assert response.status_code == 400
    assert "future" in response.content.decode()
    session.refresh_from_db()
    assert session.scheduled_at == before


def test_therapist_sets_the_place_on_the_page_and_the_client_sees_it():
    session = _approved(48)
    response = _browser(session.therapist).post(
        reverse("therapy:session-where", kwargs={"pk": session.pk}), {"meeting_link": "", "place": "Room 4"}
    )
    assert response.status_code == 302
    page = _browser(session.client).get(reverse("therapy:session-detail", kwargs={"pk": session.pk}))
    assert "Room 4" in page.content.decode()


def test_stranger_cannot_cancel_on_the_page():
    session = _approved(48)
    response = _browser(UserFactory()).post(reverse("therapy:session-cancel", kwargs={"pk": session.pk}))
    assert response.status_code == 404
    session.refresh_from_db()
    assert session.status == Status.APPROVED


# --- API ------------------------------------------------------------------------------------


def test_api_client_cancels_late_and_the_answer_says_so(api_client):
    session = _approved(3)
    api_client.force_authenticate(session.client)
    response = api_client.post(f"{API}{session.pk}/cancel/", {"reason": "ill"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["late_cancellation"], body["cancel_reason"]) == ("cancelled", True, "ill")
    assert "private_notes" not in body
    again = api_client.post(f"{API}{session.pk}/cancel/", {}, format="json")
    assert again.status_code == 409


def test_api_reschedule_by_either_party_and_refusal_within_24_hours(api_client):
    session = _approved(48)
    new_time = (timezone.now() + timedelta(days=6)).replace(microsecond=0)
    api_client.force_authenticate(session.therapist)
    response = api_client.post(f"{API}{session.pk}/reschedule/", {"scheduled_at": new_time.isoformat()}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    late = _approved(10)
    api_client.force_authenticate(late.client)
    refused = api_client.post(f"{API}{late.pk}/reschedule/", {"scheduled_at": new_time.isoformat()}, format="json")
    assert refused.status_code == 409
    bad = api_client.post(f"{API}{late.pk}/reschedule/", {"scheduled_at": "yesterday"}, format="json")
    assert bad.status_code == 400


def test_api_where_is_the_therapists_and_both_read_it(api_client):
    session = _approved(48)
    api_client.force_authenticate(session.client)
    assert api_client.post(f"{API}{session.pk}/where/", {"place": "x"}, format="json").status_code == 409
    api_client.force_authenticate(session.therapist)
    response = api_client.post(f"{API}{session.pk}/where/", {"meeting_link": "https://meet.example/s"}, format="json")
    assert response.status_code == 200, response.content
    api_client.force_authenticate(session.client)
    assert api_client.get(f"{API}{session.pk}/").json()["meeting_link"] == "https://meet.example/s"


def test_a_session_without_a_link_answers_an_empty_link_and_the_schema_allows_it(api_client):
    """Schemathesis found the schema promising a URI where a session without a link answers
    an empty string: the field is documented as plain text for both shapes."""
    session = _approved(48)
    api_client.force_authenticate(session.client)
    assert api_client.get(f"{API}{session.pk}/").json()["meeting_link"] == ""
    schemas = api_client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    for shape in ("ClientSession", "TherapistSession"):
        link = schemas[shape]["properties"]["meeting_link"]
        assert link["type"] == "string"
        assert "format" not in link


def test_the_therapists_list_marks_a_late_cancellation_in_constant_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = _approved(5)
    therapy_session_cancel(session=first, user=first.client)
    browser = _browser(first.therapist)
    browser.get(reverse("therapy:session-therapist-list"))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        page = browser.get(reverse("therapy:session-therapist-list"))
    assert "(late)" in page.content.decode()
    for hours in range(30, 42):
        _approved(hours, relationship=first.relationship)
    with CaptureQueriesContext(connection) as many:
        page = browser.get(reverse("therapy:session-therapist-list"))
    assert page.status_code == 200
    assert len(many) == len(few)


def test_the_clients_export_carries_the_cancellation_and_where_never_private_notes():
    from core.registry import personal_data

    session = _approved(5, place="Room 4", private_notes="only the therapist")
    therapy_session_cancel(session=session, user=session.client, reason="ill")
    handler = personal_data.get("therapy_sessions")
    assert handler is not None
    (row,) = handler.export(session.client)["as_client"]
    assert (row["status"], row["late_cancellation"], row["cancel_reason"], row["place"]) == (
        "cancelled",
        True,
        "ill",
        "Room 4",
    )
    assert "private_notes" not in row
