"""Stored files in Django admin: search, filters, changes and deletions through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import StoredFile
from accounts.tests.factories import AdminFactory, StoredFileFactory, UserFactory

from .file_samples import nothing_stored, stored_keys

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/storedfile/"


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def test_changelist_searches_by_name_and_uploader_email(admin_client):
    StoredFileFactory(original_name="tax-return.pdf", uploaded_by=UserFactory(email="finder@example.com"))
    StoredFileFactory(original_name="holiday.png")
    text = admin_client.get(CHANGELIST, {"q": "tax-return"}).content.decode()
    assert "tax-return.pdf" in text
    assert "holiday.png" not in text
    text = admin_client.get(CHANGELIST, {"q": "finder@example"}).content.decode()
    assert "tax-return.pdf" in text
    assert "holiday.png" not in text


def test_changelist_filters_by_type_visibility_and_expiry(admin_client):
    now = timezone.now()
    StoredFileFactory(original_name="expired.txt", expires_at=now - timedelta(hours=1))
    StoredFileFactory(original_name="later.txt", expires_at=now + timedelta(hours=1))
    StoredFileFactory(original_name="forever.png", mime_type="image/png", is_public=True)

    def names(**params) -> set[str]:
        text = admin_client.get(CHANGELIST, params).content.decode()
        return {name for name in ("expired.txt", "later.txt", "forever.png") if name in text}

    assert names(expiry="expired") == {"expired.txt"}
    assert names(expiry="later") == {"later.txt"}
    assert names(expiry="never") == {"forever.png"}
    assert names(mime_type="image/png") == {"forever.png"}
    assert names(is_public__exact="1") == {"forever.png"}


def test_changelist_queries_do_not_grow_with_rows(admin_client, count_queries):
    StoredFileFactory.create_batch(2)
    few = count_queries(lambda: admin_client.get(CHANGELIST))
    StoredFileFactory.create_batch(20)
    assert count_queries(lambda: admin_client.get(CHANGELIST)) == few


def test_no_add_and_no_plain_bulk_delete(admin_client):
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    StoredFileFactory()  # actions show only with rows
    text = admin_client.get(CHANGELIST).content.decode()
    assert 'value="delete_selected"' not in text
    assert 'value="delete_files"' in text


def test_delete_action_removes_rows_and_objects(admin_client, django_capture_on_commit_callbacks):
    owner = UserFactory()
    files = StoredFileFactory.create_batch(2, uploaded_by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST, {"action": "delete_files", "_selected_action": [str(file.pk) for file in files]}, follow=True
        )
    assert "2 files deleted." in response.content.decode()
    assert nothing_stored(owner)


def test_delete_from_the_change_page_removes_the_object(admin_client, django_capture_on_commit_callbacks):
    stored = StoredFileFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{CHANGELIST}{stored.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert nothing_stored(stored.uploaded_by)


def test_change_page_moves_the_object_when_made_public(admin_client, django_capture_on_commit_callbacks):
    stored = StoredFileFactory()
    url = f"{CHANGELIST}{stored.pk}/change/"
    assert admin_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"tags": '["checked"]', "is_public": "on", "expires_at_0": "", "expires_at_1": ""}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    stored.refresh_from_db()
    assert (stored.tags, stored.is_public) == (["checked"], True)
    assert stored_keys(stored.uploaded_by) == {"private": [], "public": [stored.key]}


def test_change_page_refuses_a_past_expiry(admin_client):
    stored = StoredFileFactory()
    response = admin_client.post(
        f"{CHANGELIST}{stored.pk}/change/",
        {"tags": "[]", "expires_at_0": "2020-01-01", "expires_at_1": "10:00:00"},
    )
    assert response.status_code == 200
    assert "The expiry must be in the future." in response.content.decode()
    assert StoredFile.objects.get(pk=stored.pk).expires_at is None
