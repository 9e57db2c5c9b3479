"""The audit log records every change to the local apps' models — from pages, the API and
admin — with actor, action, target, field changes, IP address and user agent, and never
stores secrets or therapy content."""

import pytest
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts import audit
from accounts.models import AuditLogEntry, Profile, User
from accounts.selectors.audit import audit_entry_changes
from accounts.services.notifications import notification_send
from accounts.services.profiles import profile_create
from accounts.tests.factories import DEFAULT_PASSWORD, AdminFactory, UserFactory

pytestmark = pytest.mark.django_db

LOCAL_APPS = ("accounts", "learning", "mentorship", "growth", "therapy")
# Local models that are deliberately not audited, each with its reason in accounts.audit.
NOT_AUDITED = {"accounts.AuditLogEntry", "core.OutboxMessage", "learning.StripeEvent"}
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AuditTest/1.0"
PHONE = "AscendApp/2.3 (iPhone; iOS 19)"


def _entries_for(obj, action_name: str) -> list[AuditLogEntry]:
    return list(
        AuditLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk), action_name=action_name
        ).order_by("timestamp")
    )


def _only_entry(obj, action_name: str) -> AuditLogEntry:
    entries = _entries_for(obj, action_name)
    assert len(entries) == 1, [entry.changes for entry in entries]
    return entries[0]


# --- coverage ------------------------------------------------------------------------------
def test_every_model_of_the_local_apps_is_audited():
    """Fails when a model of a local app is not registered with django-auditlog."""
    missing = [
        model._meta.label
        for label in LOCAL_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in NOT_AUDITED and not auditlog.contains(model)
    ]
    assert missing == []
    assert set(audit.AUDIT_EXCLUDED_MODELS) == NOT_AUDITED
    assert not auditlog.contains(AuditLogEntry)


def test_models_outside_the_local_apps_are_not_audited():
    assert not auditlog.contains(Group)
    assert not auditlog.contains(ContentType)


def test_every_audited_model_has_action_names():
    names = audit.audit_action_names()
    for model in audit.audited_models():
        for verb in ("created", "updated", "deleted"):
            assert f"{model._meta.model_name}.{verb}" in names
    assert "profile.updated" in names
    assert not any(name.endswith(".accessed") for name in names)


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("password", True),
        ("reset_token", True),
        ("totp_secret", True),
        ("session_key", True),
        ("recovery_codes", True),
        ("otp", True),
        ("key", False),
        ("email", False),
        ("is_pinned", False),
        ("tokens_used_label", False),
    ],
)
def test_secret_field_names(name, secret):
    assert audit.is_secret_field(name) is secret


# --- a profile edit in a page, through the API and in admin --------------------------------
def test_profile_edit_in_a_page_is_recorded_with_ip_and_user_agent(client, user):
    profile = profile_create(user=user, name="Me", custom_fields={"city": "Lagos"})
    client.force_login(user)
    response = client.post(
        f"/account/profiles/{profile.pk}/",
        {
            "name": "Studio me",
            "type": "professional",
            "fields-TOTAL_FORMS": "1",
            "fields-INITIAL_FORMS": "1",
            "fields-0-key": "city",
            "fields-0-value": "Accra",
        },
        HTTP_USER_AGENT=BROWSER,
        REMOTE_ADDR="198.51.100.23",
    )
    assert response.status_code == 302
    entry = _entries_for(profile, "profile.updated")[-1]  # the first one made it the default
    assert entry.actor == user
    assert entry.actor_email == user.email
    assert entry.remote_addr == "198.51.100.23"
    assert entry.user_agent == BROWSER
    assert entry.object_repr == "Studio me (Professional)"
    assert audit_entry_changes(entry=entry) == {
        "name": {"from": "Me", "to": "Studio me"},
        "type": {"from": "personal", "to": "professional"},
        "custom_fields": {"from": {"city": "Lagos"}, "to": {"city": "Accra"}},
    }


def test_profile_edit_through_the_api_with_a_session_token_is_recorded(client, user):
    """The app authenticates with X-Session-Token inside the view, after the middleware:
    the actor is still the signed-in user."""
    profile = profile_create(user=user, name="Me")
    login = client.post(
        "/_allauth/app/v1/auth/login",
        {"email": user.email, "password": DEFAULT_PASSWORD},
        content_type="application/json",
    )
    assert login.status_code == 200, login.content
    token = login.json()["meta"]["session_token"]
    response = client.patch(
        f"/api/v1/accounts/profiles/{profile.pk}/",
        {"name": "On the go"},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
        HTTP_USER_AGENT=PHONE,
        REMOTE_ADDR="2001:db8::42",
    )
    assert response.status_code == 200, response.content
    entry = _entries_for(profile, "profile.updated")[-1]
    assert entry.actor == user
    assert entry.remote_addr == "2001:db8::42"
    assert entry.user_agent == PHONE
    assert audit_entry_changes(entry=entry) == {"name": {"from": "Me", "to": "On the go"}}


def test_profile_edit_in_admin_is_recorded_with_the_staff_member_as_actor(client):
    admin_user = AdminFactory()
    member = UserFactory()
    profile = profile_create(user=member, name="Personal")
    client.force_login(admin_user)
    response = client.post(
        f"/admin/accounts/profile/{profile.pk}/change/",
        {"user": str(member.pk), "name": "Checked", "type": "custom", "custom_fields": '{"a": 1}'},
        HTTP_USER_AGENT=BROWSER,
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = _entries_for(profile, "profile.updated")[-1]
    assert entry.actor == admin_user
    assert entry.remote_addr == "192.0.2.10"
    assert entry.user_agent == BROWSER
    assert audit_entry_changes(entry=entry)["name"] == {"from": "Personal", "to": "Checked"}


def test_profile_create_and_delete_in_pages_are_recorded(client, user):
    client.force_login(user)
    client.post(
        "/account/profiles/",
        {"new-name": "Me", "new-type": "personal", "new-fields-TOTAL_FORMS": "0", "new-fields-INITIAL_FORMS": "0"},
        HTTP_USER_AGENT=BROWSER,
    )
    client.post(
        "/account/profiles/",
        {"new-name": "Spare", "new-type": "custom", "new-fields-TOTAL_FORMS": "0", "new-fields-INITIAL_FORMS": "0"},
    )
    spare = Profile.objects.get(user=user, name="Spare")
    created = _only_entry(spare, "profile.created")
    assert created.actor == user
    assert audit_entry_changes(entry=created)["name"] == {"from": None, "to": "Spare"}
    assert client.post(f"/account/profiles/{spare.pk}/delete/").status_code == 302
    deleted = _only_entry(spare, "profile.deleted")
    assert deleted.actor == user
    assert deleted.object_repr == "Spare (Custom)"


def test_user_settings_page_and_me_api_are_recorded(client, user_client, user):
    client.force_login(user)
    response = client.post(
        "/account/settings/",
        {"first_name": "Ama", "last_name": user.last_name, "timezone": "Africa/Accra", "reminder_time": "07:30"},
        HTTP_USER_AGENT=BROWSER,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page_entry = _entries_for(user, "user.updated")[-1]
    assert page_entry.actor == user
    assert page_entry.user_agent == BROWSER
    changes = audit_entry_changes(entry=page_entry)
    assert changes["first_name"]["to"] == "Ama"
    assert changes["timezone"] == {"from": "UTC", "to": "Africa/Accra"}

    response = user_client.patch("/api/v1/accounts/me/", {"title": "Producer"}, HTTP_USER_AGENT=PHONE)
    assert response.status_code == 200
    api_entry = _entries_for(user, "user.updated")[-1]
    assert api_entry.actor == user
    assert api_entry.user_agent == PHONE
    assert audit_entry_changes(entry=api_entry) == {"title": {"from": "", "to": "Producer"}}


def test_changes_outside_a_request_have_no_actor():
    member = UserFactory()
    entry = _only_entry(member, "user.created")
    assert entry.actor is None
    assert entry.remote_addr is None
    assert entry.user_agent == ""


def test_group_membership_changes_are_recorded(client):
    admin_user = AdminFactory()
    member = UserFactory()
    group = Group.objects.create(name="Reviewers")
    client.force_login(admin_user)
    member.groups.add(group)  # outside a request: no actor, still recorded
    entry = AuditLogEntry.objects.filter(object_pk=str(member.pk), action_name="user.updated").latest()
    assert audit_entry_changes(entry=entry) == {"groups": {"added": ["Reviewers"]}}
    member.groups.remove(group)
    entry = AuditLogEntry.objects.filter(object_pk=str(member.pk), action_name="user.updated").latest()
    assert audit_entry_changes(entry=entry) == {"groups": {"removed": ["Reviewers"]}}


# --- what is never stored -------------------------------------------------------------------
def test_password_change_through_allauth_never_stores_the_hash(client, user):
    client.force_login(user)
    old_hash = user.password
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": DEFAULT_PASSWORD, "password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"},
        HTTP_USER_AGENT=BROWSER,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")
    entry = _entries_for(user, "user.updated")[-1]
    assert entry.actor == user
    assert audit_entry_changes(entry=entry)["password"] == {"from": audit.REDACTED, "to": audit.REDACTED}
    for stored in AuditLogEntry.objects.all():
        text = f"{stored.changes} {stored.serialized_data} {stored.object_repr} {stored.additional_data}"
        for secret in (old_hash, user.password, "a-brand-new-passphrase", DEFAULT_PASSWORD):
            assert secret not in text
        # Any hash-shaped value (algorithm$…) would be a leak too.
        assert "md5$" not in text
        assert "pbkdf2_sha256$" not in text


def test_sign_in_is_not_an_audited_change(client, user):
    before = AuditLogEntry.objects.count()
    response = client.post(reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.last_login is not None
    assert AuditLogEntry.objects.count() == before


@pytest.fixture
def accounts_content_private(monkeypatch):
    """Treat accounts like therapy (content-private) for one test: there is no therapy
    model yet, and the rule is per app."""
    monkeypatch.setattr(audit, "CONTENT_PRIVATE_APPS", ("accounts", "therapy"))


def test_content_private_models_keep_which_fields_changed_but_not_their_content(accounts_content_private, user):
    profile = profile_create(user=user, name="Grief journal", custom_fields={"note": "I felt lost today"})
    profile.name = "Another private title"
    profile.save()
    created = _only_entry(profile, "profile.created")
    updated = _entries_for(profile, "profile.updated")[-1]
    for entry in (created, updated):
        text = f"{entry.changes} {entry.object_repr}"
        assert "Grief journal" not in text
        assert "I felt lost today" not in text
        assert "Another private title" not in text
        assert entry.object_repr == f"profile {profile.pk}"
    assert audit_entry_changes(entry=updated) == {"name": {"from": audit.REDACTED, "to": audit.REDACTED}}
    created_changes = audit_entry_changes(entry=created)
    # Keys stay readable: which person, which record.
    assert created_changes["user"] == {"from": None, "to": str(user.pk)}
    assert created_changes["id"] == {"from": None, "to": str(profile.pk)}
    assert created_changes["custom_fields"] == {"from": audit.REDACTED, "to": audit.REDACTED}


def test_content_private_many_to_many_changes_do_not_name_the_objects(monkeypatch):
    monkeypatch.setattr(audit, "CONTENT_PRIVATE_APPS", ("accounts",))
    member = UserFactory()
    member.groups.add(Group.objects.create(name="Private circle"))
    entry = AuditLogEntry.objects.filter(object_pk=str(member.pk), action_name="user.updated").latest()
    assert audit_entry_changes(entry=entry) == {"groups": {"added": [audit.REDACTED]}}


def test_values_are_hidden_inside_audit_hide_values(user):
    profile = profile_create(user=user, name="Diary", custom_fields={"mood": "low"})
    profile_id = profile.pk
    with audit.audit_hide_values():
        profile.delete()
        user.first_name = "Erased"
        user.save()
    profile.pk = profile_id  # delete() cleared it
    deleted = _only_entry(profile, "profile.deleted")
    assert "Diary" not in f"{deleted.changes} {deleted.object_repr}"
    assert "low" not in str(deleted.changes)
    assert audit_entry_changes(entry=deleted)["user"] == {"from": str(user.pk), "to": None}
    renamed = _entries_for(user, "user.updated")[-1]
    assert audit_entry_changes(entry=renamed)["first_name"] == {"from": audit.REDACTED, "to": audit.REDACTED}
    # Outside the block values are recorded again.
    user.first_name = "Back"
    user.save()
    assert audit_entry_changes(entry=_entries_for(user, "user.updated")[-1])["first_name"]["to"] == "Back"


# --- client address --------------------------------------------------------------------------
def test_forwarded_for_is_ignored_without_a_trusted_proxy(client, user, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client.force_login(user)
    client.post(
        "/account/settings/",
        {"first_name": "X", "timezone": "UTC", "reminder_time": "08:00"},
        HTTP_X_FORWARDED_FOR="6.6.6.6",
        REMOTE_ADDR="10.0.0.5",
    )
    assert _entries_for(user, "user.updated")[-1].remote_addr == "10.0.0.5"


def test_forwarded_for_is_read_behind_the_trusted_proxies(client, user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(user)
    client.post(
        "/account/settings/",
        {"first_name": "Y", "timezone": "UTC", "reminder_time": "08:00"},
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.50:4711",  # forged first entry, real client last
        REMOTE_ADDR="10.0.0.5",
    )
    assert _entries_for(user, "user.updated")[-1].remote_addr == "203.0.113.50"


def test_a_garbled_forwarded_for_falls_back_to_the_socket(client, user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(user)
    client.post(
        "/account/settings/",
        {"first_name": "Z", "timezone": "UTC", "reminder_time": "08:00"},
        HTTP_X_FORWARDED_FOR="unknown",
        REMOTE_ADDR="10.0.0.5",
    )
    assert _entries_for(user, "user.updated")[-1].remote_addr == "10.0.0.5"


def test_user_agent_is_cut_to_the_column(client, user):
    client.force_login(user)
    client.post(
        "/account/settings/",
        {"first_name": "Long", "timezone": "UTC", "reminder_time": "08:00"},
        HTTP_USER_AGENT="A" * 2000,
    )
    assert len(_entries_for(user, "user.updated")[-1].user_agent) == 500


def test_user_registration_options():
    options = audit.registration_options(User)
    assert "last_login" in options["exclude_fields"]
    assert "updated_at" in options["exclude_fields"]
    assert "profiles" in options["exclude_fields"]
    # The password, and the welcome's "what brings you here" (it may tell of wanting therapy).
    assert options["mask_fields"] == ["intents", "password"]
    assert options["m2m_fields"] == {"groups", "user_permissions"}


def test_notification_text_is_never_stored(user):
    """A notification's type and text may tell of therapy: recorded without them."""
    notification = notification_send(
        user=user, type="message_received", title="Thea Therapist sent you a message", message="About Tuesday"
    )
    entry = _only_entry(notification, "notification.created")
    text = f"{entry.changes} {entry.object_repr}"
    for private in ("Thea", "message_received", "About Tuesday"):
        assert private not in text
    assert audit_entry_changes(entry=entry)["user"] == {"from": None, "to": str(user.pk)}
