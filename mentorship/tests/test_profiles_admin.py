"""Admin: verify and reject mentors through the services; venues take their tier's terms;
sessions are for reading (the services change them)."""

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory
from accounts.tests.records import notifications
from mentorship.models import MentorProfile, Venue
from mentorship.notifications import MentorshipNotification
from mentorship.tests.factories import MentorProfileFactory, ReviewFactory, VenueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def test_verify_action(admin_client):
    pending = MentorProfileFactory(status=MentorProfile.Status.PENDING)
    url = reverse("admin:mentorship_mentorprofile_changelist")
    response = admin_client.post(url, {"action": "verify_mentors", "_selected_action": [str(pending.pk)]})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == MentorProfile.Status.VERIFIED
    assert pending.verified_by is not None
    assert notifications().filter(user=pending.user, type=MentorshipNotification.MENTOR_VERIFIED).exists()


def test_reject_action_asks_for_a_note(admin_client):
    profile = MentorProfileFactory()
    url = reverse("admin:mentorship_mentorprofile_changelist")
    data = {"action": "reject_mentors", "_selected_action": [str(profile.pk)]}
    page = admin_client.post(url, data)
    assert page.status_code == 200
    assert b"Note for the applicant" in page.content
    assert admin_client.post(url, {**data, "apply": "1", "note": ""}).status_code == 200
    profile.refresh_from_db()
    assert profile.status == MentorProfile.Status.VERIFIED
    assert admin_client.post(url, {**data, "apply": "1", "note": "Portfolio, please."}).status_code == 302
    profile.refresh_from_db()
    assert (profile.status, profile.review_note) == (MentorProfile.Status.REJECTED, "Portfolio, please.")


def test_venue_admin_sets_partner_and_discount_from_the_tier(admin_client):
    data = {
        "name": "Hub",
        "type": "co_working",
        "address": "1 Main St",
        "city": "Atlanta",
        "country": "USA",
        "capacity": "30",
        "amenities": "[]",
        "partnership_tier": "silver",
    }
    assert admin_client.post(reverse("admin:mentorship_venue_add"), data).status_code == 302
    venue = Venue.objects.get(name="Hub")
    assert (venue.is_partner, venue.discount_percentage) == (True, 20)
    change = reverse("admin:mentorship_venue_change", args=[venue.pk])
    assert admin_client.post(change, {**data, "partnership_tier": ""}).status_code == 302
    venue.refresh_from_db()
    assert (venue.is_partner, venue.discount_percentage) == (False, 0)


def test_changelists_open_with_constant_queries(admin_client, count_queries):
    MentorProfileFactory()
    VenueFactory()
    ReviewFactory()
    names = ("mentorprofile", "venue", "review")
    few = [count_queries(lambda n=n: admin_client.get(reverse(f"admin:mentorship_{n}_changelist"))) for n in names]
    for _ in range(4):
        MentorProfileFactory()
        VenueFactory()
        ReviewFactory()
    many = [count_queries(lambda n=n: admin_client.get(reverse(f"admin:mentorship_{n}_changelist"))) for n in names]
    assert many == few


def test_mentor_change_form_opens(admin_client):
    profile = MentorProfileFactory()
    assert admin_client.get(reverse("admin:mentorship_mentorprofile_change", args=[profile.pk])).status_code == 200


def test_staff_see_sessions_but_change_them_only_through_the_services(admin_client):
    from mentorship.tests.factories import MentorshipSessionFactory

    session = MentorshipSessionFactory(topic="Admin-visible topic")
    changelist = admin_client.get(reverse("admin:mentorship_mentorshipsession_changelist"))
    assert changelist.status_code == 200
    url = reverse("admin:mentorship_mentorshipsession_change", args=[session.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b"Admin-visible topic" in page.content
    assert b'name="_save"' not in page.content
    moved = session.start_at.replace(year=session.start_at.year + 1)
    admin_client.post(url, {"start_at_0": moved.date().isoformat(), "start_at_1": "10:00", "status": "CANCELLED"})
    delete = admin_client.post(reverse("admin:mentorship_mentorshipsession_delete", args=[session.pk]), {"post": "yes"})
    assert delete.status_code == 403
    session.refresh_from_db()
    assert (session.start_at.year, session.status) == (moved.year - 1, "PENDING")
