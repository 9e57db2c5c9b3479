"""A certificate end to end in a real browser (Debian's Chromium through Playwright, live
server, tasks run in place): enrol → complete every lesson → the certificate appears in My
certificates → its PDF downloads and holds the holder's name → its public verification
page says valid → staff revoke it in admin with a reason → the page says revoked. Every
page passes axe-core."""

import subprocess

import pytest
from django.utils import formats
from playwright.sync_api import Browser, Page, expect

from accounts.tests.browser import assert_accessible, path_pattern, sign_in
from accounts.tests.factories import DEFAULT_PASSWORD, AdminFactory
from learning.models import Certificate
from learning.tests.factories import course_with_lessons

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_revokes(browser: Browser, base_url: str, certificate: Certificate, reason: str) -> None:
    """An admin, in a browser of their own, revokes the certificate from the admin list."""
    admin = AdminFactory()
    context = browser.new_context(base_url=base_url)
    page: Page = context.new_page()
    try:
        sign_in(page, admin.email, DEFAULT_PASSWORD)
        page.goto("/admin/learning/certificate/")
        page.locator(f"input[name=_selected_action][value='{certificate.pk}']").check()
        page.locator("select[name=action]").select_option("revoke_certificates")
        page.get_by_role("button", name="Run").or_(page.get_by_role("button", name="Go")).first.click()
        expect(page.get_by_role("heading", name="Revoke certificates")).to_be_visible()
        page.get_by_label("Reason").fill(reason)
        page.get_by_role("button", name="Revoke certificates").click()
        expect(page.get_by_text("1 certificate changed.")).to_be_visible()
    finally:
        context.close()


def test_earn_download_verify_and_see_a_revoked_certificate(signed_in_page, browser, base_url) -> None:
    page, user = signed_in_page
    course, lessons = course_with_lessons(1, 2, title="Home Studio Basics")

    page.goto(f"/learn/courses/{course.slug}/")
    page.get_by_role("button", name="Enrol for free").click()
    expect(page).to_have_url(path_pattern(f"/learn/courses/{course.slug}/lessons/{lessons[0].pk}/"))
    for lesson in lessons:
        expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
        page.get_by_role("button", name="Mark lesson complete").click()
        if lesson != lessons[-1]:
            page.get_by_role("link", name="Continue with the next lesson").click()
    expect(page.locator("#lesson-completion-status")).to_have_text(
        "Lesson completed — and with it the whole course. Well done!"
    )

    # The certificate was issued and rendered by the tasks the completion queued.
    certificate = Certificate.objects.get(user=user, course=course)
    page.get_by_role("link", name="Your certificate is in My certificates").click()
    expect(page).to_have_url(path_pattern("/learn/certificates/"))
    row = page.get_by_role("row").filter(has_text="Home Studio Basics")
    expect(row).to_contain_text(certificate.number)
    expect(row).to_contain_text("Valid")
    assert_accessible(page)

    with page.expect_download() as download:
        row.get_by_role("link", name=f"Download PDF {certificate.number}").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=30).stdout
    assert user.display_name in " ".join(text.decode().split())

    row.get_by_role("link", name=certificate.number, exact=True).click()
    expect(page).to_have_url(path_pattern(f"/certificates/verify/{certificate.number}/"))
    expect(page.get_by_role("heading", name="This certificate is valid")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text(user.display_name)
    assert_accessible(page)

    staff_revokes(browser, base_url, certificate, reason="Coursework was not the learner's own.")

    page.reload()
    expect(page.get_by_role("heading", name="This certificate was revoked")).to_be_visible()
    certificate.refresh_from_db()
    revoked_on = formats.date_format(certificate.revoked_at, "DATE_FORMAT")  # the learner's zone is UTC
    expect(page.locator(".certificate-verdict header")).to_contain_text(f"Revoked on {revoked_on}")
    expect(page.get_by_text("Coursework was not the learner's own.")).to_have_count(0)
    assert_accessible(page)

    # Anyone can check a number from the form; an unknown one is "not found".
    page.get_by_label("Certificate number").fill("ASC-1999-000001")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Certificate not found")).to_be_visible()
    assert_accessible(page)
