"""The notification type registry: every app's types, the same stored values and labels as
before the registry, choices through a callable (a new type needs no migration), one
meaning per key, the system checks, and every type a service sends is registered."""

import ast
import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import models

from accounts import checks
from accounts.models import Notification, NotificationPreference
from accounts.selectors.notifications import notification_preferences_for_user
from accounts.services.notifications import notification_send
from core.registry import (
    NotificationArea,
    NotificationKind,
    notification_areas,
    notification_type_choices,
    notification_types,
    notification_types_register,
)

# The stored values and their labels, in the order of the preferences page: a value must
# never change (rows hold it), and a label changes only on purpose.
EVERY_TYPE = [
    ("system", "Announcements"),
    ("admin_update", "News from the Ascend team"),
    ("data_export_ready", "Your data export is ready"),
    ("enrollment_confirmed", "Enrolment confirmed"),
    ("certificate_issued", "Certificate issued"),
    ("certificate_revoked", "Certificate revoked or reinstated"),
    ("assignment_graded", "Assignment graded"),
    ("submission_received", "Submission to grade"),
    ("payment_update", "Payment update"),
    ("receipt_issued", "Receipt for a payment or a refund"),
    ("pathway_updated", "Career pathway updated by an advisor"),
    ("session_requested", "Session requested"),
    ("session_confirmed", "Session confirmed"),
    ("session_cancelled", "Session cancelled"),
    ("session_rescheduled", "Session moved"),
    ("session_completed", "Session completed"),
    ("session_upcoming", "Session coming up tomorrow"),
    ("session_reminder", "Session reminder"),
    ("feedback_requested", "Feedback open"),
    ("feedback_received", "Feedback received"),
    ("review_received", "Review received"),
    ("event_registered", "Event registration"),
    ("event_waitlist_promoted", "Off the event waitlist"),
    ("event_cancelled", "Event cancelled"),
    ("event_changed", "Event moved or changed place"),
    ("event_reminder", "Event reminder"),
    ("event_seat_released", "Unpaid event seat released"),
    ("mentor_verified", "Mentor profile verified"),
    ("goal_approval_requested", "Goal waiting for approval"),
    ("goal_approved", "Goal approved"),
    ("goal_declined", "Goal sent back by the mentor"),
    ("goal_withdrawn", "Goal approval request withdrawn"),
    ("habit_reminder", "Habit reminder"),
    ("reflection_reminder", "Weekly reflection reminder"),
    ("reflection_shared", "Reflection shared with you"),
    ("reflection_feedback", "Feedback on your reflection"),
    ("badge_earned", "Badge earned"),
    ("therapy_request", "New client request"),
    ("therapy_relationship", "Therapy relationship update"),
    ("therapy_session", "Therapy session update"),
    ("therapist_verified", "Therapist profile verified"),
    ("message_received", "New message"),
    ("therapy_attention", "A client may need your attention"),
]
APPS = ["accounts", "learning", "mentorship", "growth", "therapy"]


class ExtraNotification(models.TextChoices):
    """A type some app might add tomorrow, registered only inside a test."""

    SPACE_LAUNCH = "space_launch", "Space launch"


@pytest.fixture
def extra_type():
    """Registers :class:`ExtraNotification` in its own area for one test, as an app's
    ``ready()`` would, and removes it again."""
    area = NotificationArea("space", "Space", order=60)
    notification_types_register(area=area, types=ExtraNotification)
    yield ExtraNotification.SPACE_LAUNCH
    notification_types.unregister(ExtraNotification.SPACE_LAUNCH.value)
    notification_areas.unregister(area.key)


def test_every_type_keeps_its_stored_value_and_label_in_the_same_order():
    assert [(value, str(label)) for value, label in notification_type_choices()] == EVERY_TYPE


def test_each_app_declares_its_own_types_in_its_notifications_module():
    declared = {app: [member.value for member in choices] for app, choices in checks.notification_declarations()}
    assert list(declared) == APPS
    assert [value for values in declared.values() for value in values] == [value for value, _label in EVERY_TYPE]
    by_area = {kind.key: kind.area for kind in notification_types.all()}
    assert {by_area[value] for value in declared["accounts"]} == {"account"}
    for app in APPS[1:]:
        assert {by_area[value] for value in declared[app]} == {app}


@pytest.mark.parametrize("model", [Notification, NotificationPreference])
def test_the_type_fields_take_their_choices_from_the_registry_through_a_callable(model, extra_type):
    field = model._meta.get_field("type")
    _name, _path, _args, kwargs = field.deconstruct()
    assert kwargs["choices"] is notification_type_choices
    assert [value for value, _label in field.choices] == [value for value, _label in EVERY_TYPE] + [extra_type]


@pytest.mark.django_db
def test_a_new_type_needs_no_migration(extra_type):
    # --check exits non-zero when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_a_new_type_is_sent_stored_and_listed_everywhere(extra_type, user, user_client, client):
    notification = notification_send(user=user, type=extra_type, title="Lift-off", email=False)
    notification.full_clean()
    assert notification.get_type_display() == "Space launch"

    items = notification_preferences_for_user(user=user)
    assert (items[-1].type, items[-1].area, items[-1].label) == ("space_launch", "space", "Space launch")
    api = user_client.put(
        "/api/v1/accounts/notification-preferences/", [{"type": "space_launch", "email": False}], format="json"
    )
    assert api.status_code == 200
    assert {item["type"]: item["email"] for item in api.json()}["space_launch"] is False
    assert user_client.get("/api/v1/accounts/notifications/", {"type": "space_launch"}).json()["count"] == 1
    client.force_login(user)
    page = client.get("/account/settings/notifications/").content.decode()
    assert "<legend>Space</legend>" in page
    assert page.count('type="checkbox"') == len(EVERY_TYPE) + 1


def test_registering_a_key_again_is_harmless_but_with_another_meaning_is_an_error():
    kind = notification_types.get("system")
    assert notification_types.register(kind) is kind
    with pytest.raises(ImproperlyConfigured, match="'system' is registered already"):
        notification_types.register(NotificationKind(key="system", label="Something else", area="account", order=1))
    with pytest.raises(ImproperlyConfigured):
        notification_types_register(area=NotificationArea("space", "Space", order=60), types=_SystemAgain)
    assert notification_types.get("system") == kind
    notification_areas.unregister("space")
    with pytest.raises(ImproperlyConfigured, match="'account' is registered already"):
        notification_areas.register(NotificationArea("account", "Accounts", order=10))


class _SystemAgain(models.TextChoices):
    """Another app claiming accounts' value."""

    SYSTEM = "system", "Announcements"


def test_the_checks_pass():
    assert checks.notification_types_check() == []


def test_the_check_fails_for_a_declared_type_that_is_not_registered():
    kind = notification_types.get("badge_earned")
    notification_types.unregister("badge_earned")
    try:
        errors = checks.notification_types_check()
    finally:
        notification_types.register(kind)
    assert [error.id for error in errors] == ["accounts.E011"]
    assert "'badge_earned' (growth.notifications.GrowthNotification.BADGE_EARNED)" in errors[0].msg


def test_the_check_fails_for_a_registered_type_no_app_declares(extra_type):
    assert [error.id for error in checks.notification_types_check()] == ["accounts.E013"]


def test_the_check_fails_for_a_value_two_apps_declare(monkeypatch):
    declarations = checks.notification_declarations()
    monkeypatch.setattr(checks, "notification_declarations", lambda: [*declarations, ("space", _SystemAgain)])
    errors = checks.notification_types_check()
    assert [error.id for error in errors] == ["accounts.E010"]
    assert "accounts.notifications.AccountNotification.SYSTEM" in errors[0].msg


@pytest.mark.django_db
def test_the_database_check_warns_about_stored_types_no_app_registers(user):
    assert checks.notification_types_stored_check(databases=["default"]) == []
    Notification.objects.create(user=user, type="retired_type", title="Old")  # as an old row would be
    NotificationPreference.objects.create(user=user, type="retired_type", email=False)

    warnings = checks.notification_types_stored_check(databases=["default"])

    assert [warning.id for warning in warnings] == ["accounts.W016", "accounts.W016"]
    assert "retired_type" in warnings[0].msg
    assert checks.notification_types_stored_check() == []  # no database given: no query


def _type_arguments(tree: ast.AST) -> list[tuple[str, ast.expr]]:
    """``(called name, value)`` of the ``type=`` argument of every call."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
            found.extend((name, keyword.value) for keyword in node.keywords if keyword.arg == "type")
    return found


def _imported_names(tree: ast.AST) -> dict[str, tuple[str, str]]:
    """``{local name: (module, name)}`` of the ``from … import …`` statements."""
    return {
        alias.asname or alias.name: (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }


def test_every_type_the_code_sends_or_queries_is_registered():
    """A service naming a member of a notifications class that is not registered, or sending
    a literal type no app registers, fails here (and ``notification_send`` refuses it)."""
    notification_classes = {choices for _app, choices in checks.notification_declarations()}
    checked = 0
    for app in APPS:
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
            relative = path.relative_to(settings.BASE_DIR)
            if {"tests", "migrations"} & set(relative.parts):
                continue
            tree = ast.parse(path.read_text())
            imported = _imported_names(tree)
            for called, value in _type_arguments(tree):
                if called == "notification_send" and isinstance(value, ast.Constant):
                    assert notification_types.get(value.value) is not None, f"{relative}: {value.value}"
                    checked += 1
                elif (
                    isinstance(value, ast.Attribute)
                    and isinstance(value.value, ast.Name)
                    and value.value.id in imported
                ):
                    module, name = imported[value.value.id]
                    owner = getattr(importlib.import_module(module), name, None)
                    if owner in notification_classes:
                        member = getattr(owner, value.attr)
                        assert notification_types.get(member.value) is not None, f"{relative}: {member.value}"
                        checked += 1
    assert checked >= 40  # the scan found the services' notifications (42 when written)


def test_every_demo_notification_type_is_registered():
    from accounts.demo.seed import DEMO_NOTIFICATIONS

    kinds = {notification[0] for notifications in DEMO_NOTIFICATIONS.values() for notification in notifications}
    assert kinds
    assert all(notification_types.get(kind) is not None for kind in kinds)


def test_the_api_schema_lists_every_type():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)

    every_value = sorted(value for value, _label in EVERY_TYPE)
    assert sorted(schema["components"]["schemas"]["NotificationTypeEnum"]["enum"]) == every_value
    parameters = schema["paths"]["/api/v1/accounts/notifications/"]["get"]["parameters"]
    assert sorted(next(p for p in parameters if p["name"] == "type")["schema"]["enum"]) == every_value
