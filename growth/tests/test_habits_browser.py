"""Habits in a real browser (Debian's Chromium through Playwright, live server): create a
two-minute habit, tick it off on the dashboard with HTMX, see the streak, open the year
heatmap; axe-core checks the habit list, the habit page, goals, reflections and todos."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.browser import assert_accessible, csp_violations, path_pattern
from growth.models import Goal, Habit, HabitCompletion
from growth.services.habits import habit_create
from growth.tests.factories import GoalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_a_habit_tick_it_on_the_dashboard_and_open_its_heatmap(signed_in_page) -> None:
    page, user = signed_in_page
    goal = GoalFactory(user=user, title="Become a reader", status=Goal.Status.ACTIVE)

    page.goto("/grow/habits/new/")
    assert_accessible(page)
    form = page.locator("main form")
    form.get_by_label("Goal").select_option(label="Become a reader")
    form.get_by_label(re.compile(r"^Habit:?$")).fill("Read one page")
    form.get_by_label("Duration (minutes)").fill("5")
    form.get_by_label("Cue: when").fill("after dinner")
    form.get_by_role("button", name="Add the habit").click()
    expect(page.get_by_text(re.compile(r"Make it a two-minute habit: shrink it"))).to_be_visible()
    expect(page.locator("main form").get_by_label("Cue: when")).to_have_value("after dinner")
    page.locator("main form").get_by_label("Duration (minutes)").fill("2")
    page.locator("main form").get_by_role("button", name="Add the habit").click()
    habit = Habit.objects.get(user=user)
    expect(page).to_have_url(path_pattern(f"/grow/habits/{habit.pk}/"))
    assert habit.goal_id == goal.pk

    page.goto("/dashboard/")
    panel = page.get_by_role("article", name="Today's habits")
    panel.get_by_role("button", name="Tick “Read one page” off").click()
    expect(panel.get_by_role("button", name="Undo today's tick of “Read one page”")).to_be_visible()
    expect(panel.get_by_text("1 day in a row")).to_be_visible()
    expect(page).to_have_url(path_pattern("/dashboard/"))  # swapped in place
    assert HabitCompletion.objects.filter(habit=habit).count() == 1
    assert_accessible(page)

    panel.get_by_role("link", name="Read one page").click()
    expect(page).to_have_url(path_pattern(f"/grow/habits/{habit.pk}/"))
    expect(
        page.get_by_role("img", name=re.compile(r"Year heatmap of “Read one page”.*done 1 of 1 period"))
    ).to_be_visible()
    page.get_by_text("The year month by month, as a table").click()
    expect(page.get_by_role("rowheader").first).to_be_visible()
    assert_accessible(page)


def test_growth_pages_pass_axe(signed_in_page) -> None:
    page, user = signed_in_page
    goal = GoalFactory(user=user, title="Become a writer", status=Goal.Status.ACTIVE)
    for path in ("/grow/habits/", f"/grow/goals/{goal.pk}/", "/grow/goals/", "/grow/reflections/", "/grow/todos/"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)


def test_a_tick_on_the_habit_page_updates_every_figure_and_celebrates(signed_in_page) -> None:
    """Issue 18: after a tick the page showed "Longest 0 / 0.0 %" beside a 1-day streak until
    reloaded. Now every figure changes with the tick (on the habit list, its rate), a first tick is celebrated in words
    (role="status") with a little motion, none for people who asked for less, and no
    inline style or script is needed (CSP)."""
    page, user = signed_in_page
    violations = csp_violations(page)
    goal = GoalFactory(user=user, title="Become a reader", status=Goal.Status.ACTIVE)
    habit = habit_create(user=user, goal=goal, title="Read one page")

    page.goto(f"/grow/habits/{habit.pk}/")
    stats = page.locator(f"#habit-stats-{habit.pk}")
    expect(stats.locator("dd").nth(0)).to_have_text("0")
    page.get_by_role("button", name="Tick “Read one page” off").click()
    expect(page.get_by_role("button", name="Undo today's tick of “Read one page”")).to_be_visible()
    celebration = page.get_by_role("status").filter(has_text="Your first tick!")
    expect(celebration).to_be_visible()
    expect(page.get_by_text("1 day in a row")).to_be_visible()
    expect(stats.locator("dd").nth(0)).to_have_text("1")
    expect(stats.locator("dd").nth(1)).to_have_text("100.0 %")
    expect(stats.locator("dd").nth(2)).to_have_text("1")
    expect(
        page.get_by_role("img", name=re.compile(r"Year heatmap of “Read one page”.*done 1 of 1 period"))
    ).to_be_visible()
    expect(page.locator(f"#habit-completions-{habit.pk}")).to_contain_text("1 in a row")
    expect(page).to_have_url(path_pattern(f"/grow/habits/{habit.pk}/"))  # swapped in place
    assert page.locator(".celebration").evaluate("node => getComputedStyle(node).animationName") == "celebrate-pop"
    page.emulate_media(reduced_motion="reduce")
    assert page.locator(".celebration").evaluate("node => getComputedStyle(node).animationName") == "none"
    assert_accessible(page)

    page.get_by_role("button", name="Undo today's tick of “Read one page”").click()
    expect(stats.locator("dd").nth(1)).to_have_text("0.0 %")
    expect(page.locator(f"#habit-completions-{habit.pk}")).to_contain_text("Not ticked off yet.")
    assert HabitCompletion.objects.filter(habit=habit).count() == 0

    page.goto("/grow/habits/")  # the list's rate changes with its tick too
    rate = page.locator(f"#habit-rate-{habit.pk}")
    expect(rate).to_have_text("0.0 %")
    page.get_by_role("button", name="Tick “Read one page” off").click()
    expect(rate).to_have_text("100.0 %")
    assert violations == []
