"""Advising a pathway in a real browser, from the mentor's first click to the learner's
restore: Mentoring › Mentees › the mentee › Advise on the steps, a step added with notes;
the learner sees who advised what and when and puts the earlier steps back. Every page
passes axe-core."""

import pytest
from playwright.sync_api import expect

from accounts.tests.browser import assert_accessible, path_pattern, sign_in
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from learning.selectors.pathways import pathway_get_for_user
from learning.services.pathways import pathway_create
from learning.tests.factories import SubcategoryFactory
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mentor_advises_a_pathway_and_the_learner_restores_it(page) -> None:
    mentor = MentorProfileFactory(user=UserFactory(first_name="Marcus", last_name="Mentor")).user
    learner = UserFactory(first_name="Lena", last_name="Learner")
    MentorshipSessionFactory(mentor=mentor, mentee=learner, completed=True)
    pathway = pathway_create(user=learner, subcategory=SubcategoryFactory(name="Producer"))
    original = pathway.steps.get().title

    sign_in(page, mentor.email, DEFAULT_PASSWORD)
    page.goto("/mentoring/upcoming/")
    page.get_by_role("link", name="Mentees").click()
    expect(page).to_have_url(path_pattern("/mentoring/mentees/"))
    assert_accessible(page)
    page.get_by_role("link", name="Lena Learner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lena Learner")
    assert_accessible(page)
    page.get_by_role("link", name="Advise on the steps").click()
    expect(page).to_have_url(path_pattern(f"/learn/pathways/{pathway.pk}/advise/"))
    page.get_by_role("group", name="Step 2").get_by_label("Title").fill("Finish one beat a week")
    page.get_by_label("Notes for the learner").fill("Finishing teaches more than starting.")
    page.get_by_role("button", name="Save the pathway").click()
    expect(page.get_by_text("The pathway is updated and the learner notified.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, learner.email, DEFAULT_PASSWORD)
    page.goto(f"/learn/pathways/{pathway.pk}/")
    history = page.get_by_role("region", name="Changes to this pathway")
    expect(history).to_contain_text("Marcus Mentor advised new steps")
    expect(history).to_contain_text("Finishing teaches more than starting.")
    expect(page.get_by_text("Finish one beat a week").first).to_be_visible()
    assert_accessible(page)
    history.get_by_role("button", name="Restore the steps from before this change").click()
    expect(page.get_by_text("The earlier version of your steps is back.")).to_be_visible()
    restored = pathway_get_for_user(user=learner, pathway_id=pathway.pk)
    assert restored is not None
    assert [step.title for step in restored.steps.all()] == [original]
    expect(history).to_contain_text("Lena Learner restored an earlier version")
    assert_accessible(page)
