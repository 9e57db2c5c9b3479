"""Badge icons (issue 16): every badge type and level names an icon of the sprite — never an
emoji — the awarded badge stores that key, the badges page and panel draw it from the
sprite, the API gives the key, and the migration turns the emoji stored before into keys
(and back)."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.icons import ICON_NAMES
from growth.models import Badge
from growth.services.badges import badge_text, badges_evaluate_for_user
from growth.tests.factories import BadgeFactory, HabitFactory
from growth.views.badges import _all_levels

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)

EXPECTED = {
    Badge.Type.FIRST_STEP: "check-circle",
    Badge.Type.STREAK: "flame",
    Badge.Type.CONSISTENCY: "trending-up",
    Badge.Type.REFLECTION: "pencil",
    Badge.Type.IDENTITY_BUILDER: "compass",
    Badge.Type.MILESTONE: "graduation-cap",
    Badge.Type.SESSION_COMPLETION: "users",
    Badge.Type.MENTOR_VERIFIED: "shield-check",
}


def test_every_badge_type_and_level_has_an_icon_of_the_sprite() -> None:
    assert set(EXPECTED) == set(Badge.Type.values)
    levels = _all_levels()
    assert {badge_type for badge_type, _level in levels} == set(Badge.Type.values)
    for badge_type, level in levels:
        _title, _description, icon = badge_text(badge_type, level)
        assert icon == EXPECTED[badge_type], (badge_type, level)
        assert icon in ICON_NAMES
        assert icon.isascii()


@pytest.mark.django_db
def test_an_awarded_badge_stores_its_icon_key() -> None:
    habit = HabitFactory(current_streak=7, longest_streak=7)
    badges = badges_evaluate_for_user(user_id=habit.user_id, now=NOW)
    assert [(badge.type, badge.level, badge.icon) for badge in badges] == [
        (Badge.Type.FIRST_STEP, 1, "check-circle"),
        (Badge.Type.STREAK, 7, "flame"),
    ]


@pytest.mark.django_db
def test_the_badges_page_draws_earned_and_ahead_badges_from_the_sprite(client) -> None:
    user = UserFactory()
    BadgeFactory(user=user, type=Badge.Type.REFLECTION, level=7, icon="pencil", title="7 reflections")
    client.force_login(user)
    html = client.get(reverse("growth:badge-list")).content.decode()
    assert html.count('<use href="/static/img/icons.svg#pencil">') == 2  # earned 7, 30 still ahead
    for icon in EXPECTED.values():
        assert f"icons.svg#{icon}" in html
    assert ">pencil<" not in html  # the key is never shown as text


@pytest.mark.django_db
def test_the_api_gives_the_icon_key(client) -> None:
    user = UserFactory()
    BadgeFactory(user=user, type=Badge.Type.STREAK, level=7, icon="flame")
    client.force_login(user)
    response = client.get("/api/v1/growth/badges/")
    assert response.status_code == 200
    assert [row["icon"] for row in response.json()["results"]] == ["flame"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_stored_emoji_into_icon_keys_and_back() -> None:
    emoji = {
        "streak": "\U0001f525",
        "consistency": "\U0001f4c8",
        "reflection": "\U0001f4dd",
        "identity_builder": "\U0001f9ed",
        "milestone": "\U0001f393",
        "session_completion": "\U0001f91d",
        "mentor_verified": "\u2705",
    }
    before = [("growth", "0001_initial")]
    after = [("growth", "0002_badge_icon_keys")]
    user = UserFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("growth", "Badge")
        for badge_type, icon in emoji.items():
            old.objects.create(user_id=user.pk, type=badge_type, level=1, title="t", description="d", icon=icon)
        old.objects.create(user_id=user.pk, type="session_completion", level=10, title="t", description="d", icon="?")
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        migrated = executor.loader.project_state(after).apps.get_model("growth", "Badge")
        assert dict(migrated.objects.filter(level=1).values_list("type", "icon")) == {
            badge_type: icon for badge_type, icon in EXPECTED.items() if badge_type in emoji
        }
        # An unexpected stored value takes its type's key too: the icon follows from the type.
        assert migrated.objects.get(level=10).icon == "users"

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        restored = executor.loader.project_state(before).apps.get_model("growth", "Badge")
        assert dict(restored.objects.filter(level=1).values_list("type", "icon")) == emoji
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert set(Badge.objects.values_list("icon", flat=True)) == {
        "flame",
        "trending-up",
        "pencil",
        "compass",
        "graduation-cap",
        "users",
        "shield-check",
    }


@pytest.mark.django_db
def test_a_badge_must_name_an_icon_of_the_sprite() -> None:
    from django.core.exceptions import ValidationError

    badge = BadgeFactory.build(user=UserFactory(), icon="not-an-icon")
    with pytest.raises(ValidationError) as raised:
        badge.full_clean()
    assert "icon" in raised.value.message_dict


@pytest.mark.django_db
def test_a_stored_icon_the_sprite_lacks_does_not_break_the_pages(client) -> None:
    user = UserFactory()
    badge = BadgeFactory(user=user, type=Badge.Type.STREAK, level=1)
    Badge.objects.filter(pk=badge.pk).update(icon="retired-icon")  # written around the validator
    client.force_login(user)

    for url in (reverse("growth:badge-list"), reverse("dashboard")):
        response = client.get(url)
        assert response.status_code == 200
        assert f"#{Badge.FALLBACK_ICON}" in response.content.decode()
