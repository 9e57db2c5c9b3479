"""Goals from "Mentoring" in a real browser (issue 18): the mentee starts a goal with their
mentor at once (it goes to the mentor), the mentor sends it back from the approvals list with
a reason, the mentee reads the reason and sends it again, withdraws it, archives and restores
it — each step answered in words; axe on every page, no CSP violation."""

import pytest
from playwright.sync_api import expect

from accounts.tests.browser import assert_accessible, csp_violations, path_pattern, sign_in
from accounts.tests.factories import DEFAULT_PASSWORD
from growth.models import Goal
from mentorship.tests.factories import MentorshipSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_start_decline_with_a_reason_send_again_withdraw_archive_and_restore(signed_in_page) -> None:
    page, mentee = signed_in_page
    violations = csp_violations(page)
    mentor = MentorshipSessionFactory(mentee=mentee, status="COMPLETED").mentor

    page.goto("/grow/goals/")
    form = page.locator("main form")
    form.get_by_label("Who do you want to become?").fill("I want to become a writer who writes daily")
    form.get_by_label("Title").fill("Write daily")
    form.get_by_label("Mentor (optional)").select_option(label=mentor.display_name)
    assert_accessible(page)
    form.get_by_role("button", name="Start now").click()
    expect(page.get_by_text(f"Sent to {mentor.display_name} for approval")).to_be_visible()
    goal = Goal.objects.get(user=mentee)
    assert goal.status == Goal.Status.PENDING_APPROVAL

    page.context.clear_cookies()
    sign_in(page, mentor.email, DEFAULT_PASSWORD)
    page.goto("/grow/goals/approvals/")
    page.get_by_text("Send “Write daily” back with a reason").click()
    assert_accessible(page)
    page.get_by_label("What should change? Your mentee sees this.").fill("One paragraph a day to begin with.")
    page.get_by_role("button", name="Send it back").click()
    expect(page).to_have_url(path_pattern("/grow/goals/approvals/"))
    expect(page.get_by_role("status").filter(has_text="Sent back to")).to_be_visible()
    expect(page.get_by_text("No goal is waiting for your approval.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, mentee.email, DEFAULT_PASSWORD)
    page.goto(f"/grow/goals/{goal.pk}/")
    expect(page.get_by_role("heading", name=f"{mentor.display_name} sent this goal back")).to_be_visible()
    expect(page.get_by_text("One paragraph a day to begin with.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Ask my mentor to approve").click()
    expect(page.get_by_text("Sent to")).to_be_visible()
    expect(page.get_by_text("One paragraph a day to begin with.")).to_have_count(0)
    page.get_by_role("button", name="Withdraw the request").click()
    expect(page.get_by_text("Withdrawn: the goal is a draft again.")).to_be_visible()
    page.get_by_role("button", name="Archive").click()
    expect(page.get_by_text("Archived: nothing is lost")).to_be_visible()
    page.get_by_role("button", name="Restore").click()
    expect(page.get_by_text("Restored: the goal is back as it was (Draft).")).to_be_visible()
    assert Goal.objects.get(pk=goal.pk).status == Goal.Status.DRAFT
    assert violations == []
