"""Your data: every user-owned model is exported or erased; the export ZIP; deleting an account."""

import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core.files.storage import storages
from django.utils import timezone

from accounts.models import AuditLogEntry, DataExport, Notification, Profile, User
from accounts.notifications import AccountNotification
from accounts.services.data import account_delete, data_export_build, data_export_request
from accounts.services.notifications import notification_send
from accounts.services.profiles import profile_create
from accounts.tests.audit import audit_entry_text
from accounts.tests.factories import DEFAULT_PASSWORD, AdminFactory, UserFactory
from core.registry import personal_data

pytestmark = pytest.mark.django_db

# Models with a foreign key to the user that are deliberately neither exported nor erased.
NOT_PERSONAL_DATA = {
    "admin.LogEntry": "Django admin's history of staff actions: kept as the record of what staff did",
    "accounts.Announcement": "staff's announcement to many people: its author is kept as the record of what staff sent",
}


def test_every_model_with_a_foreign_key_to_the_user_is_exported_or_erased():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    covered = {label for handler in personal_data.all() for label in handler.models}
    missing = sorted(
        model._meta.label
        for model in apps.get_models()
        if any(field.is_relation and field.related_model is user_model for field in model._meta.fields)
        and model._meta.label not in covered
        and model._meta.label not in NOT_PERSONAL_DATA
    )
    assert missing == [], f"register a PersonalDataHandler (core.registry.personal_data) for {missing}"


def _zip_of(export: DataExport) -> zipfile.ZipFile:
    with export.file.storage.open(export.file.key) as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_export_builds_a_zip_of_json_and_notifies(django_capture_on_commit_callbacks):
    user = UserFactory(first_name="Iris")
    profile_create(user=user, name="Stage", custom_fields={"genre": "jazz"})
    with django_capture_on_commit_callbacks(execute=True):
        export = data_export_request(user=user)
    export.refresh_from_db()

    assert export.status == DataExport.Status.READY
    assert export.file.key.startswith(f"users/{user.pk}/exports/ascend-data-")
    assert export.file.expires_at is not None
    archive = _zip_of(export)
    assert {"account.json", "profiles.json", "notifications.json", "README.txt"} <= set(archive.namelist())
    account = json.loads(archive.read("account.json"))
    assert (account["email"], account["first_name"]) == (user.email, "Iris")
    assert "password" not in account
    assert json.loads(archive.read("profiles.json"))[0]["custom_fields"] == {"genre": "jazz"}

    notification = Notification.objects.get(user=user, type=AccountNotification.DATA_EXPORT_READY)
    assert notification.action_url == f"/account/data/exports/{export.pk}/download/"


def test_export_request_while_one_is_pending_returns_it():
    user = UserFactory()
    first = data_export_request(user=user)  # not committed in this test: stays pending
    assert data_export_request(user=user) == first
    assert DataExport.objects.filter(user=user).count() == 1


def test_download_redirects_the_owner_to_a_signed_url_and_hides_it_from_others(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        export = data_export_request(user=user)
    url = f"/account/data/exports/{export.pk}/download/"

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404

    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 302
    file_response = client.get(response["Location"])
    assert file_response.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(b"".join(file_response.streaming_content))).testzip() is None


def test_data_page_requests_an_export(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/account/data/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/data/exports/", follow=True)
    assert "We are preparing your data" in response.content.decode()
    assert DataExport.objects.get(user=user).status == DataExport.Status.READY


def test_account_delete_with_wrong_password_changes_nothing(client):
    user = UserFactory(first_name="Kept")
    client.force_login(user)
    response = client.post("/account/data/delete/", {"password": "wrong", "confirm": "on"})
    assert response.status_code == 400
    assert "That is not your current password." in response.content.decode()
    user.refresh_from_db()
    assert (user.is_active, user.first_name, user.erased_at) == (True, "Kept", None)


def test_account_delete_needs_the_confirmation_box(client):
    user = UserFactory()
    client.force_login(user)
    assert client.post("/account/data/delete/", {"password": DEFAULT_PASSWORD}).status_code == 400
    assert User.objects.get(pk=user.pk).erased_at is None


def test_account_delete_anonymises_identity_removes_private_content_and_signs_out(client):
    user = UserFactory(first_name="Gone", last_name="Soon", bio="About me", skills=["Piano"])
    email = user.email
    profile_create(user=user, name="Me")
    notification_send(user=user, type=AccountNotification.SYSTEM, title="Hello")
    client.force_login(user)
    client.post("/account/settings/", {"first_name": "Edited", "timezone": "UTC", "reminder_time": "08:00"})
    audit_entries = AuditLogEntry.objects.filter(actor=user).count()

    response = client.post("/account/data/delete/", {"password": DEFAULT_PASSWORD, "confirm": "on"}, follow=True)

    assert "Your account is deleted" in response.content.decode()
    user.refresh_from_db()
    assert user.erased_at is not None
    assert not user.is_active
    assert not user.has_usable_password()
    assert email not in user.email
    assert (user.first_name, user.last_name, user.bio, user.skills) == ("", "", "", [])
    assert user.display_name == "Deleted user"
    assert not Profile.objects.filter(user=user).exists()
    assert not Notification.objects.filter(user=user).exists()
    assert AuditLogEntry.objects.filter(actor=user).count() >= audit_entries  # append-only: kept
    assert client.get("/dashboard/").status_code == 302
    assert client.post("/accounts/login/", {"login": email, "password": DEFAULT_PASSWORD}).status_code == 200


def test_account_delete_service_refuses_wrong_password():
    user = UserFactory()
    with pytest.raises(Exception, match="current password"):
        account_delete(user=user, password="nope")
    assert User.objects.get(pk=user.pk).erased_at is None


def test_api_export_and_delete(api_client, django_capture_on_commit_callbacks):
    user = UserFactory()
    login = api_client.post(
        "/_allauth/app/v1/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json"
    )
    token = login.json()["meta"]["session_token"]
    headers = {"HTTP_X_SESSION_TOKEN": token}

    with django_capture_on_commit_callbacks(execute=True):
        created = api_client.post("/api/v1/accounts/export/", **headers)
    assert created.status_code == 202
    detail = api_client.get(f"/api/v1/accounts/export/{created.json()['id']}/", **headers).json()
    assert detail["status"] == "ready"
    assert detail["download_url"]
    assert api_client.get("/api/v1/accounts/export/", **headers).json()["count"] == 1

    wrong = api_client.post("/api/v1/accounts/me/delete/", {"password": "nope"}, format="json", **headers)
    assert wrong.status_code == 400
    assert "password" in wrong.json()["errors"]

    deleted = api_client.post("/api/v1/accounts/me/delete/", {"password": DEFAULT_PASSWORD}, format="json", **headers)
    assert deleted.status_code == 204
    assert api_client.get("/api/v1/accounts/me/", **headers).status_code == 401
    assert User.objects.get(pk=user.pk).erased_at is not None


def test_api_other_users_export_is_404(user_client):
    other = DataExport.objects.create(user=UserFactory())
    assert user_client.get(f"/api/v1/accounts/export/{other.pk}/").status_code == 404


def test_api_export_list_queries_do_not_grow(user_client, user, count_queries, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        data_export_request(user=user)
    few = count_queries(lambda: user_client.get("/api/v1/accounts/export/"))
    for _ in range(5):
        DataExport.objects.create(user=user)
    assert count_queries(lambda: user_client.get("/api/v1/accounts/export/")) == few


def test_private_export_objects_live_in_private_storage(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        export = data_export_request(user=user)
    export.refresh_from_db()
    assert storages["private"].exists(export.file.key)


def test_account_delete_leaves_no_erased_value_in_the_audit_log():
    user = UserFactory(first_name="Zephyrine", email="zephyrine@example.com")
    profile_create(user=user, name="Zephyrine's stage", custom_fields={"secret": "Zephyrine"})
    started = timezone.now()
    account_delete(user=user, password=DEFAULT_PASSWORD)
    erasure_entries = AuditLogEntry.objects.filter(timestamp__gte=started)
    assert {"profile.deleted", "user.updated"} <= set(erasure_entries.values_list("action_name", flat=True))
    for entry in erasure_entries:
        assert "Zephyrine" not in str(entry.changes)
        assert "zephyrine@example.com" not in str(entry.changes)


def test_erasure_through_the_api_pseudonymises_every_earlier_audit_entry(client, api_client):
    """Completeness for the audit log: after ``POST /api/v1/accounts/me/delete/`` no entry —
    in the table or in the manager's API — holds the person's e-mail (old or current),
    names, race, ethnicity, IP address or user agent. The entries stay (append-only), and
    what staff did keeps the staff member's own address."""
    user = UserFactory(
        email="quenby.old@example.com", first_name="Quenby", last_name="Vossberg", race="Quorlish", ethnicity="Vantar"
    )
    own_ip, own_agent, staff_ip = "198.51.100.77", "QuenbyPhone/9.1", "192.0.2.10"
    client.force_login(user)
    settings_page = {"first_name": "Quenbyx", "timezone": "Europe/Berlin", "reminder_time": "08:00"}
    client.post("/account/settings/", settings_page, REMOTE_ADDR=own_ip, HTTP_USER_AGENT=own_agent)
    client.post(
        "/account/profiles/",
        {
            "new-name": "Quenby stage",
            "new-type": "personal",
            "new-fields-TOTAL_FORMS": "0",
            "new-fields-INITIAL_FORMS": "0",
        },
        REMOTE_ADDR=own_ip,
        HTTP_USER_AGENT=own_agent,
    )
    staff = AdminFactory()
    client.force_login(staff)
    user.refresh_from_db()
    user.email = "quenby.voss@example.com"
    user.save()  # an e-mail change, as admin would record it
    EmailAddress.objects.filter(user=user).update(email=user.email)
    profile = Profile.objects.get(user=user, name="Quenby stage")
    checked = client.post(
        f"/admin/accounts/profile/{profile.pk}/change/",
        {"user": str(user.pk), "name": "Quenby checked", "type": "custom", "custom_fields": "{}"},
        REMOTE_ADDR=staff_ip,
    )
    assert checked.status_code == 302
    staff_profile = profile_create(user=staff, name="Staff desk")
    before = AuditLogEntry.objects.count()
    about_them = AuditLogEntry.objects.filter(object_pk=str(user.pk)).count()
    assert about_them >= 3
    assert AuditLogEntry.objects.filter(remote_addr=own_ip).exists()

    login = api_client.post(
        "/_allauth/app/v1/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json"
    )
    token = login.json()["meta"]["session_token"]
    deleted = api_client.post(
        "/api/v1/accounts/me/delete/",
        {"password": DEFAULT_PASSWORD},
        format="json",
        HTTP_X_SESSION_TOKEN=token,
        REMOTE_ADDR=own_ip,
        HTTP_USER_AGENT=own_agent,
    )
    assert deleted.status_code == 204

    traces = ("quenby", "vossberg", "quorlish", "vantar", own_ip, own_agent.lower())
    entries = list(AuditLogEntry.objects.all())
    assert len(entries) >= before  # append-only: pseudonymised, not deleted
    assert AuditLogEntry.objects.filter(object_pk=str(user.pk)).count() >= about_them
    for entry in entries:
        stored = audit_entry_text(entry)
        for trace in traces:
            assert trace not in stored, (trace, entry.action_name, stored)
    api_client.force_authenticate(AdminFactory())
    listing = json.dumps(api_client.get("/api/v1/accounts/audit-logs/", {"page_size": 500}).json()).lower()
    for trace in traces:
        assert trace not in listing, trace
    # What staff did stays theirs (their address too); other people's rows keep their values.
    staff_edit = AuditLogEntry.objects.get(actor=staff, object_pk=str(profile.pk), action_name="profile.updated")
    assert staff_edit.remote_addr == staff_ip
    assert staff_edit.changes["name"] == ["[redacted]", "[redacted]"]
    staff_created = AuditLogEntry.objects.get(object_pk=str(staff_profile.pk), action_name="profile.created")
    assert staff_created.changes["name"] == [None, "Staff desk"]


def test_failed_export_leaves_no_orphaned_object(monkeypatch):
    user = UserFactory()
    export = DataExport.objects.create(user=user)

    def broken_notification(**kwargs):
        raise RuntimeError("notification service down")

    monkeypatch.setattr("accounts.services.data.notification_send", broken_notification)
    with pytest.raises(RuntimeError):
        data_export_build(export_id=str(export.pk))
    export.refresh_from_db()
    assert export.status == DataExport.Status.PENDING
    _, names = storages["private"].listdir(f"users/{user.pk}/exports/")
    assert names == []
