"""The career assessment in a real browser (Debian's Chromium through Playwright, live
server): a new learner goes from the dashboard's "Find your path" to the assessment, answers
every question in place (HTMX) with the progress shown, is told an empty answer needs
words, finds the recommended fields ticked and chooses, lands on
the pathways and ticks a step, then finds the pathways from the dashboard, My learning and
"Career" (the result, not the finished chat) and retakes it as an explicit choice, the first
choice kept; the assessment pages pass axe-core and the browser reports no
Content-Security-Policy violation on the way."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.tests.browser import assert_accessible, csp_violations, path_pattern, sign_in
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from learning.models import (
    Assessment,
    AssessmentQuestion,
    CareerKeyword,
    CareerPathway,
    PathwayStep,
    PathwayTemplate,
    PathwayTemplateStep,
)
from learning.tests.factories import CategoryFactory, SubcategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_learner_finds_a_path_and_starts_it(page) -> None:
    music = CategoryFactory(name="Music")
    production = SubcategoryFactory(parent=music, name="Music production")
    songwriting = SubcategoryFactory(parent=music, name="Songwriting")
    AssessmentQuestion.objects.create(text="What do you enjoy doing?", order=1)
    AssessmentQuestion.objects.create(text="What would you like to make?", order=2)
    CareerKeyword.objects.create(subcategory=production, keyword="beats", weight=3)
    CareerKeyword.objects.create(subcategory=songwriting, keyword="lyrics", weight=2)
    template = PathwayTemplate.objects.create(subcategory=production, title="Become a producer")
    PathwayTemplateStep.objects.create(template=template, order=1, title="Set up a home studio")
    PathwayTemplateStep.objects.create(template=template, order=2, title="Finish ten beats")
    user = UserFactory(is_new_user=True)
    violations = csp_violations(page)

    sign_in(page, user.email, DEFAULT_PASSWORD)
    panel = page.get_by_role("article", name="Find your path")
    panel.get_by_role("link", name="Take the career assessment").click()
    expect(page).to_have_url(path_pattern("/learn/assessment/"))
    page.get_by_role("button", name="Start the assessment").click()

    chat = page.locator("#assessment-turns")
    expect(chat.get_by_role("listitem").last).to_contain_text("What do you enjoy doing?")
    assert_accessible(page)

    answer = page.get_by_role("textbox", name="Your answer")
    # As when the person drags the box's corner: the browser gives it a style attribute, which
    # htmx must not carry over to the new box it swaps in (the CSP refuses inline styles).
    answer.evaluate("box => { box.style.height = '8rem'; }")
    expect(page.get_by_text("Question 1 of 2")).to_have_count(2)  # on the question and by the box
    answer.fill("   ")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_have_text("Write your answer before sending it.")
    expect(chat.get_by_role("listitem")).to_have_count(2)

    page.get_by_role("textbox", name="Your answer").fill("Making beats in my bedroom")
    page.get_by_role("button", name="Send").click()
    expect(chat.get_by_role("listitem").last).to_contain_text("What would you like to make?")
    expect(chat.get_by_role("listitem").filter(has_text="Making beats in my bedroom")).to_contain_text("You:")
    expect(page.get_by_text("(Question 2 of 2)")).to_be_visible()
    assert page.url.endswith("/learn/assessment/")

    page.get_by_role("textbox", name="Your answer").fill("Songs with my own lyrics")
    page.get_by_role("button", name="Send").click()
    result = page.get_by_role("region", name="Your result")
    expect(result).to_contain_text("Music")
    assert Assessment.objects.get(user=user).status == Assessment.Status.COMPLETED
    assert_accessible(page)

    expect(result.get_by_role("checkbox", name="Music production")).to_be_checked()  # recommended: ticked
    expect(result.get_by_role("checkbox", name="Songwriting")).to_be_checked()
    result.get_by_role("checkbox", name="Songwriting").uncheck()
    result.get_by_role("button", name="Build my pathways").click()
    expect(page).to_have_url(path_pattern("/learn/pathways/"))
    expect(page.get_by_text("Your career profile is saved")).to_be_visible()
    user.refresh_from_db()
    assert user.is_new_user is False

    page.get_by_role("link", name="Become a producer").click()
    page.get_by_role("checkbox", name="Set up a home studio").check()
    expect(page.get_by_text("1 of 2 steps done (50%)")).to_be_visible()
    pathway = CareerPathway.objects.get(user=user)
    assert PathwayStep.objects.filter(pathway=pathway, completed_at__isnull=False).count() == 1

    page.goto("/dashboard/")
    expect(page.get_by_role("article", name="Find your path")).to_have_count(0)
    # Afterwards the pathways are one click away: the dashboard, My learning and "Career".
    pathways_panel = page.get_by_role("article", name="Your career pathways")
    expect(pathways_panel.get_by_role("link", name="Become a producer")).to_be_visible()
    page.goto("/learn/my/")
    expect(
        page.get_by_role("region", name="Your career pathways").get_by_role("link", name="Become a producer")
    ).to_be_visible()
    page.get_by_role("navigation", name="Learn pages").get_by_role("link", name="Career").click()
    expect(page).to_have_url(path_pattern("/learn/assessment/"))
    expect(page.get_by_role("region", name="Your result")).to_contain_text("Music production")
    expect(page.get_by_role("textbox", name="Your answer")).to_have_count(0)  # the chat is not reopened
    expect(
        page.get_by_role("region", name="Your pathways").get_by_role("link", name="Become a producer")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Retake the assessment").click()
    expect(page.get_by_role("textbox", name="Your answer")).to_be_visible()
    assert Assessment.objects.filter(user=user).count() == 2
    assert [c.name for c in Assessment.objects.earliest("created_at").selected_subcategories.all()] == [
        "Music production"
    ]
    # No inline style or script anywhere on the way (htmx's indicator style is off).
    assert not violations, "\n".join(violations)


def test_a_learner_agrees_and_talks_with_the_language_model_replies_arriving_by_polling(
    page, llm_fake, celery_worker
) -> None:
    """With a language model configured: the learner is asked to agree first (the consent
    page brings them back), answers, and each reply — written by the real worker — arrives
    by polling; the model asks a question of its own, then its result comes with the three
    fields ticked and its reasons as sentences."""
    music = CategoryFactory(name="Music")
    for name in ("Producer", "Audio Engineer", "DJ", "Songwriter"):
        SubcategoryFactory(parent=music, name=name)
    AssessmentQuestion.objects.create(text="What do you enjoy doing?", order=1)
    AssessmentQuestion.objects.create(text="What would you like to make?", order=2)
    llm_fake.reply_json(
        {"action": "ask", "question": "Do you play your beats for others?", "category": "", "subcategories": []}
    )
    llm_fake.reply_json(
        {
            "action": "recommend",
            "question": "",
            "category": "Music",
            "subcategories": [
                {"name": "Producer", "reason": "You make beats every day."},
                {"name": "DJ", "reason": "You play them at parties."},
                {"name": "Audio Engineer", "reason": "You care how they sound."},
            ],
        }
    )
    user = UserFactory(is_new_user=True)
    violations = csp_violations(page)

    sign_in(page, user.email, DEFAULT_PASSWORD)
    page.goto("/learn/assessment/")
    page.get_by_role("button", name="Use the language model").click()
    expect(page).to_have_url(path_pattern(reverse("accounts:assistant-consent")))
    page.get_by_role("button", name="I agree to send this to").click()
    expect(page).to_have_url(path_pattern("/learn/assessment/"))
    page.get_by_role("button", name="Start the assessment").click()

    chat = page.locator("#assessment-turns")
    expect(chat.get_by_role("listitem").first).to_contain_text("A language model")
    for text in ("Making beats every day", "Beats for parties"):
        page.get_by_role("textbox", name="Your answer").fill(text)
        page.get_by_role("button", name="Send").click()
        expect(chat.get_by_role("listitem").filter(has_text=text)).to_have_count(1)  # at once
    expect(chat.get_by_role("listitem").last).to_contain_text("Do you play your beats for others?", timeout=15000)
    expect(chat.get_by_role("listitem").last).to_contain_text("(language model)")
    expect(page.get_by_text("Follow-up question 1 (at most 3)")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("textbox", name="Your answer").fill("Yes, at school parties")
    page.get_by_role("button", name="Send").click()
    result = page.get_by_role("region", name="Your result")
    expect(result).to_contain_text("Music", timeout=15000)
    expect(result).to_contain_text("You play them at parties.")
    for name in ("Producer", "DJ", "Audio Engineer"):
        expect(result.get_by_role("checkbox", name=name)).to_be_checked()
    expect(result.get_by_role("checkbox", name="Songwriter")).not_to_be_checked()
    expect(page.get_by_text("Ascend is writing a reply")).to_have_count(0)  # the polling stopped
    assessment = Assessment.objects.get(user=user)
    assert assessment.engine == "language-model"
    assert len(llm_fake.requests) == 2
    assert_accessible(page)
    assert not violations, "\n".join(violations)
