"""Therapy sessions in a real browser: the client opens an approved session starting in a
few hours, reads that cancelling now is late, cancels, and the page says it was a late
cancellation; the therapist gives a meeting link and moves a session to another time (typed
in their own zone). Every page passes axe-core."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.browser import assert_accessible
from therapy.models import TherapySession
from therapy.tests.factories import TherapistProfileFactory, TherapyRelationshipFactory, TherapySessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_client_cancels_late_from_the_session_page(signed_in_page) -> None:
    page, user = signed_in_page
    relationship = TherapyRelationshipFactory(client=user)
    session = TherapySessionFactory(
        relationship=relationship,
        status=TherapySession.Status.APPROVED,
        decided_at=timezone.now(),
        scheduled_at=timezone.now() + timedelta(hours=5),
        place="Room 4, Main St 1",
    )
    page.goto(f"/therapy/sessions/{session.pk}/")
    expect(page.get_by_text("Room 4, Main St 1")).to_be_visible()
    expect(page.get_by_text("cancelling now is recorded as a late cancellation")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason (optional)").fill("A rehearsal moved")
    page.get_by_role("button", name="Cancel late").click()
    expect(page.get_by_text("The session is cancelled.")).to_be_visible()
    expect(page.get_by_text("a late cancellation (less than 24 hours ahead)")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel late")).to_have_count(0)
    assert_accessible(page)
    session.refresh_from_db()
    assert (session.status, session.late_cancellation) == (TherapySession.Status.CANCELLED, True)


def test_therapist_moves_a_session_and_says_where(signed_in_page) -> None:
    page, user = signed_in_page
    TherapistProfileFactory(user=user)
    relationship = TherapyRelationshipFactory(therapist=user)
    session = TherapySessionFactory(
        relationship=relationship,
        status=TherapySession.Status.APPROVED,
        decided_at=timezone.now(),
        scheduled_at=timezone.now() + timedelta(days=3),
    )
    zone = ZoneInfo(user.timezone or "UTC")
    new_local = timezone.localtime(timezone.now() + timedelta(days=6), zone).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    page.goto(f"/therapy/sessions/{session.pk}/")
    assert_accessible(page)
    page.get_by_label("Meeting link").fill("https://meet.example.com/room-7")
    page.get_by_role("button", name="Save where").click()
    expect(page.get_by_text("Where the session takes place is saved.")).to_be_visible()
    page.get_by_label("New time").fill(new_local.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Move the session").click()
    expect(page.get_by_text("The session is moved. The other person is told.")).to_be_visible()
    assert_accessible(page)
    session.refresh_from_db()
    assert session.scheduled_at == new_local
    assert session.meeting_link == "https://meet.example.com/room-7"
    assert session.status == TherapySession.Status.APPROVED
