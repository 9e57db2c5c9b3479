"""My files and the avatar in a real browser (Debian's Chromium through Playwright, live
server): upload, download through a signed link, delete with confirmation, replace the
photo; the pages pass axe-core."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import StoredFile
from accounts.tests.browser import assert_accessible

from .file_samples import exe_bytes, image_bytes, nothing_stored

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_download_and_delete_a_file(signed_in_page) -> None:
    page, user = signed_in_page
    page.goto("/account/settings/")
    page.locator("aside").get_by_role("link", name="My files").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My files")
    assert_accessible(page)

    page.get_by_label(re.compile(r"^File:?$")).set_input_files(
        files=[{"name": "kitten.png", "mimeType": "image/png", "buffer": exe_bytes()}]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".errorlist")).to_contain_text("detected: application/x-msdownload")
    assert nothing_stored(user)
    assert_accessible(page)

    page.get_by_label(re.compile(r"^File:?$")).set_input_files(
        files=[{"name": "plan.txt", "mimeType": "text/plain", "buffer": b"Practise every day.\n"}]
    )
    page.get_by_label("Tags").fill("music, practice")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_have_text("“plan.txt” is uploaded.")
    row = page.get_by_role("row", name=re.compile("plan.txt"))
    expect(row).to_contain_text("Tags: music, practice")
    expect(row).to_contain_text("Private")

    row.get_by_role("link", name="Download plan.txt").click()
    expect(page).to_have_url(re.compile(r"/account/files/private/[^/]+/$"))
    expect(page.locator("body")).to_have_text("Practise every day.")

    page.goto("/account/files/")
    page.get_by_role("row", name=re.compile("plan.txt")).get_by_role("link", name="Delete plan.txt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete file")
    assert_accessible(page)
    page.get_by_role("button", name="Delete “plan.txt”").click()
    expect(page.get_by_role("status")).to_have_text("“plan.txt” is deleted.")
    expect(page.get_by_text("You have not uploaded any file yet.")).to_be_visible()
    assert not StoredFile.objects.filter(uploaded_by=user).exists()


def test_replace_and_remove_the_photo_on_the_settings_page(signed_in_page, tmp_path) -> None:
    page, user = signed_in_page
    photo = tmp_path / "me.jpg"
    photo.write_bytes(image_bytes((900, 600), "JPEG"))
    page.goto("/account/settings/")
    expect(page.get_by_text("You have no photo yet.")).to_be_visible()
    page.get_by_label("New photo").set_input_files(photo)
    page.get_by_role("button", name="Upload photo").click()
    expect(page.get_by_role("status")).to_have_text("Your photo is updated.")
    expect(page.get_by_role("img", name="Your current photo")).to_be_attached()
    assert_accessible(page)
    user.refresh_from_db()
    assert user.avatar.name.endswith("/avatar.jpg")

    page.get_by_role("button", name="Remove photo").click()
    expect(page.get_by_role("status")).to_have_text("Your photo is removed.")
    user.refresh_from_db()
    assert not user.avatar
