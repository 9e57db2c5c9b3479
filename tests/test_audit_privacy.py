"""The audit log keeps no private content, and managers do not read therapy entries (issue 14 §2).

- Models that hold what a person wrote are recorded as which fields changed, never their
  values; a registry (each app's ``AppConfig``) says which models are content, and every
  model with free text is either content or declared public, with a reason.
- Entries about therapy (and about models whose text may tell of it) are for superusers
  only: not in the manager's API, page or admin.
- The data migration scrubs what earlier entries already hold.
"""

import importlib
import json

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from accounts import audit
from accounts.models import AuditLogEntry
from accounts.tests.factories import (
    DEFAULT_PASSWORD,
    AdminFactory,
    AuditLogEntryFactory,
    ManagerFactory,
    NotificationFactory,
    UserFactory,
)
from growth.models import Reflection
from growth.tests.factories import ReflectionFactory, TodoFactory
from learning.tests.factories import CertificateFactory
from mentorship.models import MentorSessionNote
from mentorship.tests.factories import (
    MentorProfileFactory,
    MentorSessionNoteFactory,
    ReviewFactory,
    SessionFeedbackFactory,
)
from therapy.tests.factories import JournalEntryFactory, MessageFactory, TherapyRelationshipFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/accounts/audit-logs/"
PAGE = "/account/audit/"
ADMIN = "/admin/accounts/auditlogentry/"
NOTE_WORDS = ("Mariposa-summary", "Mariposa-follow", "Mariposa-focus", "Mariposa-private")
scrub = importlib.import_module("accounts.migrations.0008_audit_scrub_content")


def _entry_texts(body: dict) -> str:
    return json.dumps(body)


# --- the registry ---------------------------------------------------------------------------
def test_every_model_with_free_text_is_content_or_public():
    """Fails when a model of a local app has a free-text field (``audit.free_text_fields``)
    and is neither declared content nor public (on its app's AppConfig, with a reason)."""
    content = audit.declared_models(audit.CONTENT_ATTRIBUTE)
    public = audit.declared_models(audit.PUBLIC_ATTRIBUTE)
    undecided = sorted(
        model._meta.label
        for model in audit.audited_models()
        if audit.free_text_fields(model) and not audit.is_content(model) and model._meta.label not in public
    )
    assert undecided == [], f"declare {undecided} in audit_content_models or audit_public_models of its AppConfig"
    assert not set(content) & set(public)
    assert not {label for label in public if audit.is_content(apps.get_model(label))}
    for label, reason in {**content, **public}.items():
        apps.get_model(label)  # a declaration names a model that exists
        assert reason.strip(), label


def test_the_issue_s_content_models_are_content():
    for label in (
        "mentorship.MentorSessionNote",
        "mentorship.SessionFeedback",
        "mentorship.MentorshipSession",
        "growth.Reflection",
        "growth.Todo",
        "therapy.JournalEntry",
        "therapy.TherapySession",
        "therapy.Message",
        "learning.ChatMessage",
    ):
        assert audit.is_content(apps.get_model(label)), label


@pytest.mark.parametrize(
    ("label", "field", "free"),
    [
        ("growth.Todo", "text", True),
        ("mentorship.MentorSessionNote", "private_notes", True),
        ("accounts.User", "email", False),
        ("accounts.User", "timezone", False),
        ("accounts.User", "password", False),
        ("learning.Course", "slug", False),
        ("learning.Payment", "stripe_checkout_session_id", False),
        ("growth.Reflection", "mood", False),  # choices
        ("growth.Reflection", "gratitude", True),  # a JSON list of written lines
    ],
)
def test_free_text_rule(label, field, free):
    assert (field in audit.free_text_fields(apps.get_model(label))) is free


# --- what managers read ------------------------------------------------------------------------
def test_a_mentor_s_note_is_recorded_without_its_text(api_client):
    note = MentorSessionNoteFactory(
        summary=NOTE_WORDS[0], follow_ups=NOTE_WORDS[1], growth_focus=NOTE_WORDS[2], private_notes=NOTE_WORDS[3]
    )
    note.private_notes = "Mariposa-changed"
    note.save()
    api_client.force_authenticate(ManagerFactory())
    for action in ("mentorsessionnote.created", "mentorsessionnote.updated"):
        response = api_client.get(API, {"action": action})
        assert response.status_code == 200
        results = response.json()["results"]
        assert len(results) == 1, action
        text = _entry_texts(results[0])
        assert "Mariposa" not in text
        assert results[0]["target"]["repr"] == f"mentor session note {note.pk}"
    created = api_client.get(API, {"action": "mentorsessionnote.created"}).json()["results"][0]["changes"]
    assert created["private_notes"] == {"from": audit.REDACTED, "to": audit.REDACTED}
    assert created["mentor"] == {"from": None, "to": str(note.mentor_id)}  # which record, not what it says
    updated = api_client.get(API, {"action": "mentorsessionnote.updated"}).json()["results"][0]["changes"]
    assert updated == {"private_notes": {"from": audit.REDACTED, "to": audit.REDACTED}}


def test_a_reflection_is_recorded_without_mood_score_or_text(api_client, client):
    ReflectionFactory(
        mood=Reflection.Mood.AWFUL,
        mood_score=3,
        text="Mariposa felt low",
        mentor_feedback="Mariposa mentor view",
    )
    manager = ManagerFactory()
    api_client.force_authenticate(manager)
    body = api_client.get(API, {"action": "reflection.created"}).json()["results"]
    assert len(body) == 1
    changes = body[0]["changes"]
    for field in ("mood", "mood_score", "text", "mentor_feedback"):
        assert changes[field] == {"from": audit.REDACTED, "to": audit.REDACTED}, field
    assert "Mariposa" not in _entry_texts(body[0])
    assert "AWFUL" not in _entry_texts(body[0])
    client.force_login(manager)
    page = client.get(PAGE, {"action": "reflection.created"}).content.decode()
    assert "mood_score" in page
    assert "Mariposa" not in page


def test_feedback_and_todos_are_recorded_without_their_text(api_client):
    SessionFeedbackFactory(what_went_well="Mariposa-well", what_to_improve="Mariposa-improve")
    TodoFactory(text="Mariposa call the clinic")
    api_client.force_authenticate(AdminFactory())
    for action in ("sessionfeedback.created", "todo.created"):
        results = api_client.get(API, {"action": action}).json()["results"]
        assert results, action
        assert "Mariposa" not in _entry_texts(results)


def test_therapy_entries_are_for_superusers_only(api_client, client):
    relationship = TherapyRelationshipFactory()
    JournalEntryFactory(client=relationship.client)
    MessageFactory(relationship=relationship)
    therapy_types = [
        ContentType.objects.get_for_model(model).pk for model in apps.get_app_config("therapy").get_models()
    ]
    therapy_entries = AuditLogEntry.objects.filter(content_type_id__in=therapy_types)
    assert therapy_entries.filter(action_name="therapyrelationship.created").exists()
    relationship_entry = therapy_entries.get(action_name="therapyrelationship.created")

    manager = ManagerFactory()
    api_client.force_authenticate(manager)
    listing = api_client.get(API, {"page_size": 200}).json()
    listed_types = {item["target"]["type"] for item in listing["results"]}
    assert not any(name.startswith("therapy.") for name in listed_types), listed_types
    assert api_client.get(API, {"action": "therapyrelationship.created"}).json()["count"] == 0
    assert api_client.get(f"{API}{relationship_entry.pk}/").status_code == 404
    client.force_login(manager)
    page = client.get(PAGE, {"action": "therapyrelationship.created"}).content.decode()
    assert str(relationship_entry.object_pk) not in page
    assert "therapy.therapyrelationship" not in client.get(PAGE).content.decode()
    assert "therapy relationship" not in client.get(ADMIN).content.decode()
    assert client.get(f"{ADMIN}{relationship_entry.pk}/change/").status_code != 200

    admin_user = AdminFactory()
    api_client.force_authenticate(admin_user)
    found = api_client.get(API, {"action": "therapyrelationship.created"}).json()
    assert found["count"] == 1
    assert found["results"][0]["changes"]["client"]["to"] == str(relationship.client_id)
    client.force_login(admin_user)
    assert client.get(f"{ADMIN}{relationship_entry.pk}/change/").status_code == 200
    assert "therapy relationship" in client.get(ADMIN).content.decode()


def test_notification_entries_are_for_superusers_only(api_client):
    """A notification's existence may tell of therapy ("Thea sent you a message")."""
    NotificationFactory()
    api_client.force_authenticate(ManagerFactory())
    assert api_client.get(API, {"action": "notification.created"}).json()["count"] == 0
    api_client.force_authenticate(AdminFactory())
    assert api_client.get(API, {"action": "notification.created"}).json()["count"] == 1


# --- the data migration ----------------------------------------------------------------------
def _legacy_entry(model, obj, changes: dict, monkeypatch) -> AuditLogEntry:
    """An entry as the code before issue 14 stored it: values and the instance's text."""
    with monkeypatch.context() as patch:
        patch.setattr(audit, "is_content", lambda model: False)
        patch.setattr(audit, "is_content_private", lambda model: False)
        return AuditLogEntryFactory(
            content_type=ContentType.objects.get_for_model(model),
            object_pk=str(obj.pk),
            object_repr=f"Mariposa repr {obj.pk}",
            action=AuditLogEntry.Action.CREATE,
            changes=changes,
        )


def test_migration_scrubs_values_already_stored(monkeypatch):
    reflection = ReflectionFactory()
    note = MentorSessionNoteFactory()
    member = UserFactory()
    old_reflection = _legacy_entry(
        Reflection, reflection, {"text": [None, "Mariposa low day"], "mood_score": [None, "3"]}, monkeypatch
    )
    old_note = _legacy_entry(
        MentorSessionNote,
        note,
        {"private_notes": ["Mariposa-a", "Mariposa-b"], "tags": {"type": "m2m", "operation": "add", "objects": ["x"]}},
        monkeypatch,
    )
    assert "Mariposa" in str(AuditLogEntry.objects.get(pk=old_reflection.pk).changes)
    untouched = AuditLogEntryFactory(target=member, changes={"first_name": ["Ada", "Grace"]})

    scrub.scrub_content(apps, None)

    stored = AuditLogEntry.objects.get(pk=old_reflection.pk)
    assert stored.changes == {"text": [None, audit.REDACTED], "mood_score": [None, audit.REDACTED]}
    assert stored.object_repr == f"reflection {reflection.pk}"
    stored_note = AuditLogEntry.objects.get(pk=old_note.pk)
    assert stored_note.changes == {
        "private_notes": [audit.REDACTED, audit.REDACTED],
        "tags": {"type": "m2m", "operation": "add", "objects": [audit.REDACTED]},
    }
    assert "Mariposa" not in f"{stored_note.object_repr} {stored_note.changes}"
    assert AuditLogEntry.objects.get(pk=untouched.pk).changes == {"first_name": ["Ada", "Grace"]}


# --- erasure across the apps -----------------------------------------------------------------
def test_erasing_a_mentor_leaves_no_trace_in_any_app_s_entries(api_client):
    """Their mentor profile (a one-to-one: all values go), a certificate naming them (its
    holder name goes, its course stays) and a review of them by someone else (its text was
    never stored) — through the API's account deletion."""
    mentor = UserFactory(first_name="Ysolde", last_name="Brannagh", race="Ysoldean", ethnicity="Brannic")
    MentorProfileFactory(user=mentor, race="Ysoldean", ethnicity="Brannic", headline="Ysolde teaches mixing")
    certificate = CertificateFactory(user=mentor, holder_name="Ysolde Brannagh", course_title="Mixing 101")
    ReviewFactory(target=mentor, comment="Ysolde was great")
    reviewer_entries = AuditLogEntry.objects.filter(action_name="review.created").count()
    api_client.force_authenticate(mentor)
    deleted = api_client.post("/api/v1/accounts/me/delete/", {"password": DEFAULT_PASSWORD}, format="json")
    assert deleted.status_code == 204

    for entry in AuditLogEntry.objects.all():
        stored = f"{entry.changes} {entry.object_repr} {entry.actor_email}".lower()
        for trace in ("ysolde", "brannagh", "ysoldean", "brannic"):
            assert trace not in stored, (trace, entry.action_name, stored)
    certificate_entry = AuditLogEntry.objects.get(action_name="certificate.created", object_pk=str(certificate.pk))
    assert certificate_entry.changes["holder_name"] == [None, audit.REDACTED]
    assert certificate_entry.changes["course_title"] == [None, "Mixing 101"]
    assert certificate_entry.object_repr == f"certificate {certificate.pk}"
    assert AuditLogEntry.objects.filter(action_name="review.created").count() == reviewer_entries


# --- Stripe's events are not audited (their payload names the buyer) --------------------------
STRIPE_PAYLOAD = {
    "id": "evt_buyer",
    "type": "charge.succeeded",
    "data": {
        "object": {
            "billing_details": {"email": "buyer.wren@example.com", "name": "Wren Halloway", "address": {"city": "Oslo"}}
        }
    },
}


def test_a_stripe_event_writes_no_audit_entry(api_client, client):
    """Its payload is Stripe's own record of the buyer (e-mail, name, address): admin shows
    it to staff with payments rights, the managers' audit log must not copy it."""
    from learning.models import StripeEvent

    StripeEvent.objects.create(id="evt_buyer", type="charge.succeeded", payload=STRIPE_PAYLOAD)
    event_type = ContentType.objects.get_for_model(StripeEvent)
    assert not AuditLogEntry.objects.filter(content_type=event_type).exists()
    assert "stripeevent.created" not in audit.audit_action_names()
    manager = ManagerFactory()
    api_client.force_authenticate(manager)
    assert "wren" not in json.dumps(api_client.get(API, {"page_size": 200}).json()).lower()
    client.force_login(manager)
    assert "wren" not in client.get(PAGE).content.decode().lower()


def test_migration_scrubs_stripe_event_entries_already_stored():
    from learning.models import StripeEvent

    stripe_scrub = importlib.import_module("accounts.migrations.0009_audit_scrub_stripe_events")
    event_type = ContentType.objects.get_for_model(StripeEvent)
    old = AuditLogEntryFactory(
        actor=None,
        content_type=event_type,
        object_pk="evt_buyer",
        object_repr="charge.succeeded evt_buyer",
        action=AuditLogEntry.Action.CREATE,
        changes={"id": [None, "evt_buyer"], "payload": [None, json.dumps(STRIPE_PAYLOAD)], "livemode": [None, "False"]},
    )
    untouched = AuditLogEntryFactory(changes={"first_name": ["Ada", "Grace"]})

    stripe_scrub.scrub_stripe_events(apps, None)

    stored = AuditLogEntry.objects.get(pk=old.pk)
    assert stored.changes == {
        "id": [None, audit.REDACTED],
        "payload": [None, audit.REDACTED],
        "livemode": [None, audit.REDACTED],
    }
    assert stored.object_repr == "stripe event evt_buyer"
    assert AuditLogEntry.objects.get(pk=untouched.pk).changes == {"first_name": ["Ada", "Grace"]}


# --- erasure matches whole words ---------------------------------------------------------------
def test_erasure_keeps_values_that_contain_a_short_name_inside_another_word(api_client):
    """A first name "Li" is no reason to redact "Linear algebra" on a certificate naming
    the person; "Li Quan" (the holder name) still goes."""
    learner = UserFactory(first_name="Li", last_name="Quan")
    certificate = CertificateFactory(user=learner, holder_name="Li Quan", course_title="Linear algebra")
    api_client.force_authenticate(learner)
    assert (
        api_client.post("/api/v1/accounts/me/delete/", {"password": DEFAULT_PASSWORD}, format="json").status_code == 204
    )
    entry = AuditLogEntry.objects.get(action_name="certificate.created", object_pk=str(certificate.pk))
    assert entry.changes["holder_name"] == [None, audit.REDACTED]
    assert entry.changes["course_title"] == [None, "Linear algebra"]


def test_whole_word_matching_ignores_case_and_short_words():
    words = audit._identifier_pattern({"Li", "Quan", "li.quan@example.com", "Al"})
    assert audit._names_them("course by QUAN", words)
    assert audit._names_them("by li quan.", audit._identifier_pattern({"Li Quan"}))
    assert audit._names_them("mail LI.QUAN@example.com now", words)
    assert not audit._names_them("Linear", words)
    assert not audit._names_them("Quantum", words)
    assert not audit._names_them("Li and Al", words)  # under 3 characters: never matched alone
