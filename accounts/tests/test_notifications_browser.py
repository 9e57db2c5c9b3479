"""Notifications in a real browser (Debian's Chromium through Playwright, live server):
HTMX marks read in place and updates the navigation badge; the pages pass axe-core."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Notification
from accounts.tests.browser import assert_accessible
from accounts.tests.factories import NotificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mark_read_and_mark_all_read_in_place(signed_in_page) -> None:
    page, user = signed_in_page
    first = NotificationFactory(user=user, title="Session confirmed")
    NotificationFactory(user=user, title="Badge earned")
    NotificationFactory(user=user, title="Certificate issued")

    page.goto("/account/notifications/")
    # The person's menu button carries the unread count (on a phone the bar's bell does).
    nav_link = page.locator("header .account-menu > summary")
    expect(nav_link).to_have_accessible_name("Account (3 unread)")
    assert_accessible(page)

    # Keyboard: focus the button and press Enter; HTMX swaps the item, the page stays.
    page.get_by_role("button", name="Mark read “Session confirmed”").focus()
    page.keyboard.press("Enter")
    item = page.locator(f"#notification-{first.pk}")
    expect(item.locator(".notification-state")).to_be_focused()
    expect(nav_link).to_have_accessible_name("Account (2 unread)")
    assert page.url.endswith("/account/notifications/")
    assert Notification.objects.get(pk=first.pk).is_read

    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("status")).to_have_text("2 notifications marked as read.")
    expect(nav_link).to_have_accessible_name("Account")
    expect(page.get_by_role("button", name=re.compile("^Mark read"))).to_have_count(0)
    assert not Notification.objects.filter(user=user, is_read=False).exists()


def test_preferences_page_is_accessible_and_saves(signed_in_page) -> None:
    page, user = signed_in_page
    page.goto("/account/settings/notifications/")
    assert_accessible(page)

    checkbox = page.get_by_role("group", name="Growth").get_by_role("checkbox", name="Habit reminder")
    expect(checkbox).to_be_checked()
    checkbox.uncheck()
    page.get_by_role("button", name="Save e-mail preferences").click()

    expect(page.get_by_text("Your e-mail preferences are saved.")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Habit reminder")).not_to_be_checked()
    expect(page.get_by_role("checkbox", name="Badge earned")).to_be_checked()
    assert user.notification_preferences.get(type="habit_reminder").email is False
