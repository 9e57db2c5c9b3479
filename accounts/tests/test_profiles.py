"""Profiles: several per user, exactly one default, the custom-fields editor; page, API, admin."""

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Profile
from accounts.services.profiles import (
    profile_create,
    profile_default_for_user,
    profile_delete,
    profile_make_default,
    profile_update,
)
from accounts.tests.factories import AdminFactory, ProfileFactory, UserFactory
from core.errors import ApplicationError

pytestmark = pytest.mark.django_db

API = "/api/v1/accounts/profiles/"


def _defaults(user) -> list[str]:
    return list(Profile.objects.filter(user=user, is_default=True).values_list("name", flat=True))


# --- services -----------------------------------------------------------------------------
def test_first_profile_is_default_and_later_ones_are_not():
    user = UserFactory()
    first = profile_create(user=user, name="Me")
    second = profile_create(user=user, name="Work", type=Profile.Type.PROFESSIONAL)
    assert first.is_default
    assert not second.is_default
    assert _defaults(user) == ["Me"]


def test_creating_with_is_default_moves_the_default():
    user = UserFactory()
    profile_create(user=user, name="Me")
    profile_create(user=user, name="Stage", is_default=True)
    assert _defaults(user) == ["Stage"]


def test_make_default_switches_atomically():
    user = UserFactory()
    profile_create(user=user, name="Me")
    work = profile_create(user=user, name="Work")
    profile_make_default(profile=work)
    assert _defaults(user) == ["Work"]
    profile_make_default(profile=work)  # idempotent
    assert _defaults(user) == ["Work"]


def test_database_refuses_two_defaults():
    user = UserFactory()
    profile_create(user=user, name="Me")
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.create(user=user, name="Second default", is_default=True)


def test_default_profile_cannot_be_deleted_but_others_can():
    user = UserFactory()
    me = profile_create(user=user, name="Me")
    work = profile_create(user=user, name="Work")
    with pytest.raises(ApplicationError, match="default"):
        profile_delete(profile=me)
    profile_delete(profile=work)
    assert list(Profile.objects.filter(user=user)) == [me]


@pytest.mark.parametrize(
    ("custom_fields", "message"),
    [
        (["not", "an", "object"], "object"),
        ({"": "no name"}, "name"),
        ({"big": "x" * (64 * 1024)}, "64 KB"),
        ({"nul\x00key": 1}, "NUL"),
        ({"nested": [{"deep": "lone \udc00 surrogate"}]}, "surrogate"),
    ],
)
def test_bad_custom_fields_are_refused_and_nothing_changes(custom_fields, message):
    user = UserFactory()
    profile = profile_create(user=user, name="Me", custom_fields={"keep": "me"})
    with pytest.raises(Exception, match=message):
        profile_update(profile=profile, data={"custom_fields": custom_fields})
    profile.refresh_from_db()
    assert profile.custom_fields == {"keep": "me"}


def test_custom_fields_hold_nested_json_up_to_64_kb():
    user = UserFactory()
    fields = {
        "skills": ["TypeScript", "React"],
        "preferences": {"theme": "dark", "notifications": True},
        "notes": "y" * 60_000,
    }
    profile = profile_create(user=user, name="Work", custom_fields=fields)
    profile.refresh_from_db()
    assert profile.custom_fields == fields


def test_default_for_user_creates_a_personal_profile_once():
    user = UserFactory()
    first = profile_default_for_user(user=user)
    assert first.is_default
    assert first.type == Profile.Type.PERSONAL
    assert profile_default_for_user(user=user) == first


# --- API ----------------------------------------------------------------------------------
def test_api_create_list_update_make_default_delete(user_client, user):
    me = user_client.post(API, {"name": "Me", "type": "personal"}, format="json")
    assert me.status_code == 201, me.content
    assert me.json()["is_default"] is True
    work = user_client.post(
        API,
        {"name": "Work", "type": "professional", "custom_fields": {"jobTitle": "Producer", "skills": ["Mixing"]}},
        format="json",
    )
    assert work.json()["is_default"] is False
    work_id = work.json()["id"]

    listed = user_client.get(API).json()
    assert listed["count"] == 2
    assert [item["name"] for item in listed["results"]] == ["Me", "Work"]

    patched = user_client.patch(f"{API}{work_id}/", {"custom_fields": {"jobTitle": "Engineer"}}, format="json")
    assert patched.json()["custom_fields"] == {"jobTitle": "Engineer"}

    made = user_client.post(f"{API}{work_id}/make-default/")
    assert made.status_code == 200
    assert made.json()["is_default"] is True
    assert _defaults(user) == ["Work"]

    refused = user_client.delete(f"{API}{work_id}/")
    assert refused.status_code == 409
    assert "default" in refused.json()["detail"]
    assert user_client.delete(f"{API}{me.json()['id']}/").status_code == 204


def test_api_bad_custom_fields_is_400_naming_the_field(user_client):
    response = user_client.post(API, {"name": "Big", "custom_fields": {"x": "y" * 70_000}}, format="json")
    assert response.status_code == 400
    assert "custom_fields" in response.json()["errors"]
    assert not Profile.objects.exists()


def test_api_custom_fields_postgresql_cannot_store_are_400_and_nothing_is_created(user_client, user):
    body = '{"name": "Odd", "custom_fields": {"a\\u0000b": {"c": "\\udb15"}}}'
    response = user_client.post(API, body, content_type="application/json")
    assert response.status_code == 400
    assert "custom_fields" in response.json()["errors"]
    assert not Profile.objects.filter(user=user, name="Odd").exists()


def test_api_other_users_profile_is_404(user_client):
    other = ProfileFactory()
    for response in (
        user_client.get(f"{API}{other.pk}/"),
        user_client.patch(f"{API}{other.pk}/", {"name": "Mine now"}, format="json"),
        user_client.post(f"{API}{other.pk}/make-default/"),
        user_client.delete(f"{API}{other.pk}/"),
        user_client.get(f"{API}not-a-uuid/"),
    ):
        assert response.status_code == 404
    other.refresh_from_db()
    assert other.name != "Mine now"


def test_api_list_queries_do_not_grow(user_client, user, count_queries):
    profile_create(user=user, name="Me")
    few = count_queries(lambda: user_client.get(API))
    ProfileFactory.create_batch(15, user=user)
    assert count_queries(lambda: user_client.get(API)) == few


# --- pages --------------------------------------------------------------------------------
def test_page_creates_profile_with_custom_fields(client, user):
    client.force_login(user)
    response = client.post(
        "/account/profiles/",
        {
            "new-name": "Work",
            "new-type": "professional",
            "new-fields-TOTAL_FORMS": "3",
            "new-fields-INITIAL_FORMS": "0",
            "new-fields-0-key": "jobTitle",
            "new-fields-0-value": "Producer",
            "new-fields-1-key": "skills",
            "new-fields-1-value": '["Mixing", "Mastering"]',
            "new-fields-2-key": "",
            "new-fields-2-value": "",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.is_default
    assert profile.custom_fields == {"jobTitle": "Producer", "skills": ["Mixing", "Mastering"]}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"0-key": "a", "0-value": "1", "1-key": "a", "1-value": "2"}, "appear once"),
        ({"0-key": "", "0-value": "orphan"}, "field name"),
        ({"0-key": "broken", "0-value": "[1, 2"}, "not valid"),
    ],
)
def test_page_custom_field_editor_rejects_bad_rows_and_saves_nothing(client, user, rows, message):
    profile = profile_create(user=user, name="Me", custom_fields={"keep": "me"})
    client.force_login(user)
    data = {"name": "Renamed", "type": "personal", "fields-TOTAL_FORMS": "2", "fields-INITIAL_FORMS": "1"}
    data.update({f"fields-{key}": value for key, value in rows.items()})
    response = client.post(f"/account/profiles/{profile.pk}/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    profile.refresh_from_db()
    assert (profile.name, profile.custom_fields) == ("Me", {"keep": "me"})


def test_page_edit_shows_json_values_as_json(client, user):
    profile = profile_create(user=user, name="Me", custom_fields={"skills": ["A", "B"], "title": "Dr"})
    client.force_login(user)
    text = client.get(f"/account/profiles/{profile.pk}/").content.decode()
    assert "[&quot;A&quot;, &quot;B&quot;]" in text
    assert 'value="Dr"' in text


def test_page_make_default_and_refused_delete(client, user):
    me = profile_create(user=user, name="Me")
    work = profile_create(user=user, name="Work")
    client.force_login(user)
    client.post(f"/account/profiles/{work.pk}/default/")
    assert _defaults(user) == ["Work"]
    response = client.post(f"/account/profiles/{work.pk}/delete/", follow=True)
    assert "make another profile the default first" in response.content.decode()
    client.post(f"/account/profiles/{me.pk}/delete/")
    assert list(Profile.objects.filter(user=user)) == [work]


def test_pages_of_another_users_profile_are_404(client, user):
    other = ProfileFactory()
    client.force_login(user)
    assert client.get(f"/account/profiles/{other.pk}/").status_code == 404
    assert client.post(f"/account/profiles/{other.pk}/default/").status_code == 404
    assert client.post(f"/account/profiles/{other.pk}/delete/").status_code == 404
    assert Profile.objects.filter(pk=other.pk).exists()


def test_profile_list_page_queries_do_not_grow(client, user, count_queries):
    profile_create(user=user, name="Me")
    client.force_login(user)
    few = count_queries(lambda: client.get("/account/profiles/"))
    ProfileFactory.create_batch(15, user=user)
    assert count_queries(lambda: client.get("/account/profiles/")) == few


# --- admin --------------------------------------------------------------------------------
def test_admin_adds_first_profile_as_default_and_edits_through_service(client):
    client.force_login(AdminFactory())
    member = UserFactory()
    response = client.post(
        "/admin/accounts/profile/add/",
        {
            "user": str(member.pk),
            "name": "Personal",
            "type": "personal",
            "custom_fields": "{}",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    profile = Profile.objects.get(user=member)
    assert profile.is_default
    response = client.post(
        f"/admin/accounts/profile/{profile.pk}/change/",
        {
            "user": str(member.pk),
            "name": "Renamed",
            "type": "custom",
            "custom_fields": '{"a": 1}',
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.name, profile.custom_fields, profile.is_default) == ("Renamed", {"a": 1}, True)
    assert client.get("/admin/accounts/profile/").status_code == 200
