"""The private calendar feed, accounts' since it moved from mentorship: its token (404 once
revoked), its stable address ``/calendar/<token>.ics``, the page in the settings, the API at
``/api/v1/accounts/me/calendar/`` and the former page and API paths, which keep working; the
personal data export and erasure; the move itself (rows, tokens, content type and audit
entries kept). What the feed holds, and its constant queries, are tested with the apps that
contribute entries (mentorship/tests/test_calendar.py, tests/test_calendar_feed_sources.py)."""

import icalendar
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import AuditLogEntry, CalendarFeed
from accounts.services.calendar import calendar_feed_get_or_create
from accounts.tests.factories import CalendarFeedFactory, UserFactory
from core.calendar import calendar_token_new
from core.registry import ACCOUNT_MENU, navigation, personal_data

pytestmark = pytest.mark.django_db

API = "/api/v1/accounts/me/calendar/"
FORMER_API = "/api/v1/mentorship/calendar/"


def _feed_path(user) -> str:
    return reverse("calendar-feed", kwargs={"token": calendar_feed_get_or_create(user=user).token})


def _vevents(body: bytes) -> dict[str, icalendar.Event]:
    return {str(vevent["uid"]): vevent for vevent in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user=user)
    return api


def test_the_feed_keeps_its_short_address_and_serves_without_a_session(client):
    feed = CalendarFeedFactory()
    assert reverse("calendar-feed", kwargs={"token": feed.token}) == f"/calendar/{feed.token}.ics"
    response = client.get(f"/calendar/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-cache" in response["Cache-Control"]
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["prodid"]) == "-//Ascend//Calendar//EN"


def test_unknown_and_revoked_tokens_are_404(client):
    user = UserFactory()
    old = _feed_path(user)
    assert client.get(old).status_code == 200
    rotated = _api(user).post(f"{API}rotate/")
    assert rotated.status_code == 200
    assert client.get(old).status_code == 404
    new = CalendarFeed.objects.get(user=user)
    assert rotated.json()["feed_url"].endswith(f"/calendar/{new.token}.ics")
    assert client.get(reverse("calendar-feed", kwargs={"token": new.token})).status_code == 200
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert client.get(f"/calendar/{'x' * 129}.ics").status_code == 404


def test_the_feed_of_an_account_that_no_longer_signs_in_is_404(client):
    feed = CalendarFeedFactory()
    feed.user.is_active = False
    feed.user.save(update_fields=["is_active"])
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404


def test_calendar_api_creates_the_feed_on_first_use():
    user = UserFactory()
    api = _api(user)
    first = api.get(API).json()
    assert first["feed_url"] == api.get(API).json()["feed_url"]
    assert set(first) == {"feed_url", "rotated_at", "created_at"}
    assert CalendarFeed.objects.filter(user=user).count() == 1
    assert APIClient().get(API).status_code == 401
    assert APIClient().post(f"{API}rotate/").status_code == 401


def test_the_former_api_paths_keep_answering_the_same():
    user = UserFactory()
    api = _api(user)
    assert api.get(FORMER_API).json() == api.get(API).json()
    assert CalendarFeed.objects.filter(user=user).count() == 1
    before = CalendarFeed.objects.get(user=user).token
    rotated = api.post(f"{FORMER_API}rotate/")
    assert rotated.status_code == 200
    after = CalendarFeed.objects.get(user=user).token
    assert after != before
    assert rotated.json()["feed_url"].endswith(f"/calendar/{after}.ics")
    assert APIClient().get(FORMER_API).status_code == 401


def test_the_schema_documents_the_new_paths_and_the_former_ones_as_deprecated(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert not paths[API]["get"].get("deprecated", False)
    assert not paths[f"{API}rotate/"]["post"].get("deprecated", False)
    assert paths[FORMER_API]["get"]["deprecated"] is True
    assert paths[f"{FORMER_API}rotate/"]["post"]["deprecated"] is True
    assert API in paths[FORMER_API]["get"]["description"]


def test_calendar_page_shows_the_address_and_replaces_it(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("accounts:calendar"))
    assert page.status_code == 200
    token = CalendarFeed.objects.get(user=user).token
    content = page.content.decode()
    assert token in content
    assert f'href="{reverse("accounts:calendar")}" aria-current="page"' in content  # in the settings' menu
    response = client.post(reverse("accounts:calendar-rotate"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:calendar")
    assert CalendarFeed.objects.get(user=user).token != token
    assert client.get(reverse("accounts:calendar-rotate")).status_code == 405


def test_the_page_asks_visitors_to_sign_in(client):
    response = client.get(reverse("accounts:calendar"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not CalendarFeed.objects.exists()


def test_the_pages_former_addresses_lead_to_the_settings(client):
    user = UserFactory()
    client.force_login(user)
    moved = client.get("/calendar/")
    assert (moved.status_code, moved["Location"]) == (301, reverse("accounts:calendar"))
    token = calendar_feed_get_or_create(user=user).token
    rotate = client.post("/calendar/rotate/")
    # 308: the browser repeats the POST (with its CSRF token) at the new address.
    assert (rotate.status_code, rotate["Location"]) == (308, reverse("accounts:calendar-rotate"))
    assert CalendarFeed.objects.get(user=user).token == token  # only the new address rotates
    assert client.get("/calendar/rotate/").status_code == 405


def test_the_persons_menu_links_to_the_page_for_members_only(client):
    item = navigation.get("calendar")
    assert (item.url_name, item.section) == ("accounts:calendar", ACCOUNT_MENU)
    link = f'href="{reverse("accounts:calendar")}"'
    assert link not in client.get(reverse("home")).content.decode()
    client.force_login(UserFactory())
    assert link in client.get(reverse("dashboard")).content.decode()


def test_personal_data_exports_that_a_feed_exists_never_its_token_and_erases_it():
    feed = CalendarFeedFactory()
    [handler] = [handler for handler in personal_data.all() if handler.key == "calendar_feed"]
    assert handler.models == ("accounts.CalendarFeed",)
    exported = handler.export(feed.user)
    assert exported == {"rotated_at": feed.rotated_at.isoformat()}
    assert feed.token not in str(exported)
    assert handler.export(UserFactory()) is None
    handler.erase(feed.user)
    assert not CalendarFeed.objects.filter(user=feed.user).exists()


def test_a_token_is_long_and_the_database_refuses_a_short_one():
    assert len(CalendarFeedFactory().token) >= 43
    assert len(calendar_token_new()) >= 43
    CalendarFeedFactory().full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarFeed.objects.create(user=UserFactory(), token="short")


BEFORE_MOVE = [("accounts", "0016_user_assistant_consent"), ("mentorship", "0009_reminders_by_the_core_task")]


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_every_feed_its_token_its_content_type_and_its_audit_entries(client):
    user = UserFactory()
    token = calendar_token_new()
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0016_user_assistant_consent")])
    try:
        old_apps = executor.loader.project_state(BEFORE_MOVE).apps
        old_feed = old_apps.get_model("mentorship", "CalendarFeed").objects.create(user_id=user.pk, token=token)
        # Reversed, the content type went back to mentorship with the model.
        content_type = ContentType.objects.get(app_label="mentorship", model="calendarfeed")
        entry = AuditLogEntry.objects.create(
            content_type=content_type,
            object_pk=str(old_feed.pk),
            object_repr=f"Calendar feed of {user}",
            action=AuditLogEntry.Action.CREATE,
            action_name="calendarfeed.created",
        )
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        ContentType.objects.clear_cache()
    feed = CalendarFeed.objects.get(user=user)
    assert (feed.pk, feed.token) == (old_feed.pk, token)
    assert client.get(f"/calendar/{token}.ics").status_code == 200
    entry = AuditLogEntry.objects.get(pk=entry.pk)
    assert (entry.content_type.app_label, entry.content_type.model_class()) == ("accounts", CalendarFeed)
    assert not ContentType.objects.filter(app_label="mentorship", model="calendarfeed").exists()
    # The renamed check constraint still holds.
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarFeed.objects.filter(pk=feed.pk).update(token="short")


def test_staff_give_feeds_a_new_address_from_the_admin_and_the_old_ones_stop_working(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    feeds = [CalendarFeedFactory(), CalendarFeedFactory()]
    untouched = CalendarFeedFactory()
    old_paths = [f"/calendar/{feed.token}.ics" for feed in feeds]
    client.force_login(staff)
    response = client.post(
        reverse("admin:accounts_calendarfeed_changelist"),
        {"action": "rotate_selected", "_selected_action": [feed.pk for feed in feeds]},
        follow=True,
    )
    assert response.status_code == 200
    assert "2 feeds have a new address" in response.content.decode()
    for path in old_paths:
        assert client.get(path).status_code == 404
    for feed in feeds:
        feed.refresh_from_db()
        assert feed.rotated_at is not None
        assert client.get(f"/calendar/{feed.token}.ics").status_code == 200
    assert client.get(f"/calendar/{untouched.token}.ics").status_code == 200
    # The new token is never shown to staff.
    page = client.get(reverse("admin:accounts_calendarfeed_change", args=[feeds[0].pk])).content.decode()
    assert feeds[0].token not in page


def test_staff_who_may_only_view_feeds_cannot_rotate_them(client):
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_calendarfeed"))
    feed = CalendarFeedFactory()
    token = feed.token
    client.force_login(staff)
    changelist = reverse("admin:accounts_calendarfeed_changelist")
    assert "rotate_selected" not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "rotate_selected", "_selected_action": [feed.pk]})
    feed.refresh_from_db()
    assert feed.token == token
