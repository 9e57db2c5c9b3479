"""Announcements (seed 002 ``admin_update``): staff write a draft in admin and send it to
everyone or a segment; a task notifies the people in batches, each person once even when
the task runs again; admin shows the progress; bad input is refused and changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Announcement, AnnouncementDelivery, Notification, User
from accounts.services.announcements import (
    announcement_audience_choices,
    announcement_draft_save,
    announcement_queue,
    announcement_send_batch,
)
from accounts.tasks import announcement_send_task
from accounts.tests.factories import AdminFactory, UserFactory
from core.errors import ApplicationError

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/announcement/"


def _announcement(audience: str = "everyone") -> Announcement:
    return announcement_draft_save(
        announcement=None, title="New studio hours", message="Open until 22:00.", audience=audience
    )


def _sending(announcement: Announcement) -> Announcement:
    """Queue it without running the task (its on-commit call is not executed here)."""
    return announcement_queue(announcement=announcement)


def test_batches_notify_everyone_once_and_count_the_progress():
    people = UserFactory.create_batch(5)
    UserFactory(is_active=False)
    announcement = _sending(_announcement())
    assert (announcement.status, announcement.total, announcement.sent_count) == ("sending", 5, 0)

    assert announcement_send_batch(announcement_id=str(announcement.pk), batch_size=2) is True
    announcement.refresh_from_db()
    assert (announcement.status, announcement.sent_count) == ("sending", 2)
    assert announcement_send_batch(announcement_id=str(announcement.pk), batch_size=2) is True
    assert announcement_send_batch(announcement_id=str(announcement.pk), batch_size=2) is False

    announcement.refresh_from_db()
    assert (announcement.status, announcement.sent_count, announcement.total) == ("sent", 5, 5)
    assert announcement.finished_at is not None
    notified = Notification.objects.filter(type="admin_update")
    assert sorted(notified.values_list("user_id", flat=True)) == sorted(person.pk for person in people)
    assert set(notified.values_list("title", "message", "related_id")) == {
        ("New studio hours", "Open until 22:00.", str(announcement.pk))
    }


def test_a_rerun_of_the_task_notifies_nobody_twice():
    UserFactory.create_batch(3)
    announcement = _sending(_announcement())

    for _run in range(3):
        announcement_send_task.apply(args=[str(announcement.pk)])

    assert Notification.objects.filter(type="admin_update").count() == 3
    assert AnnouncementDelivery.objects.filter(announcement=announcement).count() == 3
    announcement.refresh_from_db()
    assert announcement.status == "sent"


def test_a_rerun_in_the_middle_picks_up_where_the_last_batch_ended():
    UserFactory.create_batch(5)
    announcement = _sending(_announcement())
    announcement_send_batch(announcement_id=str(announcement.pk), batch_size=3)

    # The same batch delivered again (a redelivered task) skips the three already told.
    announcement_send_batch(announcement_id=str(announcement.pk), batch_size=3)

    assert Notification.objects.filter(type="admin_update").count() == 5
    assert Notification.objects.filter(type="admin_update").values("user_id").distinct().count() == 5


def test_the_next_batch_is_enqueued_until_everyone_is_told(django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr("accounts.services.announcements.ANNOUNCEMENT_BATCH_SIZE", 2)
    UserFactory.create_batch(5)
    announcement = _announcement()

    with django_capture_on_commit_callbacks(execute=True):
        announcement_queue(announcement=announcement)

    announcement.refresh_from_db()
    assert (announcement.status, announcement.sent_count) == ("sent", 5)
    assert Notification.objects.filter(type="admin_update").count() == 5


def test_a_segment_reaches_only_its_members():
    premium = UserFactory.create_batch(2, membership_tier=User.MembershipTier.PREMIUM)
    UserFactory.create_batch(3, membership_tier=User.MembershipTier.STANDARD)
    announcement = _sending(_announcement("tier:premium"))
    assert announcement.total == 2

    announcement_send_task.apply(args=[str(announcement.pk)])

    assert set(Notification.objects.values_list("user_id", flat=True)) == {person.pk for person in premium}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "   "}, "title"),
        ({"audience": "tier:gold"}, "audience"),
        ({"audience": "nonesuch:1"}, "audience"),
        ({"action_url": "javascript:alert(1)"}, "action_url"),
    ],
)
def test_bad_input_is_refused_and_stores_nothing(fields, field):
    arguments = {"announcement": None, "title": "Hello", "audience": "everyone", **fields}
    with pytest.raises(ValidationError) as refused:
        announcement_draft_save(**arguments)
    assert field in refused.value.message_dict
    assert not Announcement.objects.exists()


def test_an_announcement_is_sent_once_and_is_not_edited_afterwards():
    UserFactory()
    announcement = _sending(_announcement())

    with pytest.raises(ApplicationError):
        announcement_queue(announcement=announcement)
    with pytest.raises(ApplicationError):
        announcement_draft_save(announcement=announcement, title="Changed")
    announcement.refresh_from_db()
    assert announcement.title == "New studio hours"


def test_the_audience_choices_offer_everyone_tiers_roles_and_categories():
    choices = announcement_audience_choices()
    assert choices[0][0] == "everyone"
    groups = {str(label): [value for value, _label in options] for label, options in choices[1:]}
    assert groups["Membership tier"] == ["tier:standard", "tier:premium", "tier:exclusive"]
    assert "mentorship-role:mentor" in groups["Role"]
    assert "learning-role:instructor" in groups["Role"]


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def test_staff_write_a_draft_send_it_from_admin_and_see_the_progress(admin_client, django_capture_on_commit_callbacks):
    UserFactory.create_batch(3, membership_tier=User.MembershipTier.EXCLUSIVE)
    UserFactory(membership_tier=User.MembershipTier.STANDARD)
    assert 'value="tier:exclusive"' in admin_client.get(f"{CHANGELIST}add/").content.decode()

    response = admin_client.post(
        f"{CHANGELIST}add/",
        {
            "title": "Members' evening",
            "message": "Friday at 7.",
            "action_url": "/dashboard/",
            "audience": "tier:exclusive",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    announcement = Announcement.objects.get()
    assert announcement.status == "draft"
    assert "not sent yet" in admin_client.get(CHANGELIST).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST, {"action": "send", "_selected_action": [str(announcement.pk)]}, follow=True
        )

    assert "1 announcement is being sent" in response.content.decode()
    listing = admin_client.get(CHANGELIST).content.decode()
    assert "3 of 3 notified" in listing
    assert "Membership tier: Exclusive" in listing
    assert Notification.objects.filter(type="admin_update", title="Members' evening").count() == 3
    change = admin_client.get(f"{CHANGELIST}{announcement.pk}/change/").content.decode()
    assert 'name="title"' not in change  # sent: a record, not a draft

    again = admin_client.post(CHANGELIST, {"action": "send", "_selected_action": [str(announcement.pk)]}, follow=True)
    assert "was already sent" in again.content.decode()
    assert Notification.objects.filter(type="admin_update").count() == 3


def test_admin_refuses_a_bad_link_and_stores_nothing(admin_client):
    response = admin_client.post(
        f"{CHANGELIST}add/",
        {"title": "Click", "message": "", "action_url": "javascript:alert(1)", "audience": "everyone"},
    )
    assert response.status_code == 200
    assert "must be a path on this site" in response.content.decode()
    assert not Announcement.objects.exists()


def test_the_admin_list_queries_do_not_grow_with_rows(admin_client, count_queries):
    for _n in range(3):
        _announcement()
    few = count_queries(lambda: admin_client.get(CHANGELIST))
    for _n in range(20):
        _sending(_announcement("tier:premium"))
    assert count_queries(lambda: admin_client.get(CHANGELIST)) == few
