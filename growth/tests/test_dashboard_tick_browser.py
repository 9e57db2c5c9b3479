"""A tick on the dashboard in a real browser (Chromium through Playwright, live server):
today's count, the streaks panel, the goal's progress and the badges panel all change with
the tick, without a reload (HTMX out-of-band swaps: no inline script or style, so no CSP
report); an untick takes them back. The dashboard passes axe-core after the swaps."""

import pytest
from playwright.sync_api import expect

from accounts.tests.browser import assert_accessible, csp_violations, path_pattern
from growth.models import Badge, Goal
from growth.selectors.goals import goals_with_progress
from growth.services.habits import habit_create
from growth.tests.factories import GoalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_tick_on_the_dashboard_updates_every_figure_that_depends_on_it(signed_in_page) -> None:
    page, user = signed_in_page
    violations = csp_violations(page)
    goal = GoalFactory(user=user, title="Become a reader", status=Goal.Status.ACTIVE)
    habit_create(user=user, goal=goal, title="Read one page")
    habit_create(user=user, goal=goal, title="Write one line")

    page.goto("/dashboard/")
    today = page.get_by_role("article", name="Today's habits")
    streaks = page.get_by_role("article", name="Streaks")
    goals = page.get_by_role("article", name="Goals")
    badges = page.get_by_role("article", name="Recent badges")
    progress = goals.get_by_role("progressbar", name="Become a reader")
    expect(today).to_contain_text("0 of 2 habits done today")
    expect(streaks).to_contain_text("No streak running")
    expect(progress).to_have_attribute("value", "0")
    expect(badges).to_contain_text("Your first badge is two minutes away.")

    today.get_by_role("button", name="Tick “Read one page” off").click()
    expect(today.get_by_role("status").filter(has_text="Your first tick!")).to_be_visible()
    expect(today).to_contain_text("1 of 2 habits done today")
    expect(streaks.get_by_role("listitem").filter(has_text="Read one page")).to_contain_text("1 day in a row")
    (expected,) = goals_with_progress(goals=Goal.objects.filter(pk=goal.pk).select_related("user"))
    assert expected.progress > 0
    expect(progress).to_have_attribute("value", str(expected.progress))
    expect(goals).to_contain_text(f"{expected.progress} %")
    expect(badges).to_contain_text("First step")
    expect(badges).not_to_contain_text("two minutes away")
    expect(page).to_have_url(path_pattern("/dashboard/"))  # no reload
    assert Badge.objects.filter(user=user).count() == 1
    assert_accessible(page)

    today.get_by_role("button", name="Undo today's tick of “Read one page”").click()
    expect(today).to_contain_text("0 of 2 habits done today")
    expect(streaks).to_contain_text("No streak running")
    expect(progress).to_have_attribute("value", "0")
    expect(badges).to_contain_text("First step")  # earned stays earned
    # The other habit's tick still works after the swaps (its form was not replaced).
    today.get_by_role("button", name="Tick “Write one line” off").click()
    expect(today).to_contain_text("1 of 2 habits done today")
    expect(streaks.get_by_role("listitem").filter(has_text="Write one line")).to_contain_text("1 day in a row")
    assert violations == []
