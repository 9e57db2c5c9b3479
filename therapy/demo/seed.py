"""Demo data of therapy (seeder order 90): verified therapists, a pending applicant, clients
with relationships in every status, and the demo client's conversation with the demo
therapist — all through the real services. Safe to run again: what exists is left alone.
(Journal and sessions demo data come from the seeder at order 95.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.demo.seed import DEMO_PASSWORD
from accounts.selectors.users import user_get_by_email
from accounts.services.users import user_create_verified
from therapy.models import Message, Specialization, TherapistProfile, TherapyRelationship
from therapy.services.messages import message_send, messages_mark_read
from therapy.services.profiles import therapist_profile_save, therapist_verify
from therapy.services.relationships import (
    relationship_accept,
    relationship_block,
    relationship_end,
    relationship_request,
)

if TYPE_CHECKING:
    from accounts.models import User

Status = TherapyRelationship.Status

# email, first name, last name, specialization, credentials, bio, languages, verified
THERAPISTS = (
    (
        "therapist@ascend.example",
        "Thea",
        "Therapist",
        Specialization.ANXIETY,
        "Licensed professional counsellor (LPC), 9 years in practice",
        "I help creative people with anxiety, performance nerves and burnout, using CBT and "
        "acceptance-based approaches.",
        ["English", "German"],
        True,
    ),
    (
        "omar.therapist@ascend.example",
        "Omar",
        "Okafor",
        Specialization.TRAUMA,
        "Clinical psychologist, EMDR certified",
        "Trauma-informed therapy for adults; a calm, paced approach.",
        ["English", "French"],
        True,
    ),
    (
        "priya.therapist@ascend.example",
        "Priya",
        "Patel",
        Specialization.GRIEF,
        "Marriage and family therapist (LMFT)",
        "Grief, loss and family transitions.",
        ["English", "Hindi"],
        True,
    ),
    (
        "paul.applicant@ascend.example",
        "Paul",
        "Pending",
        Specialization.STRESS,
        "Counselling diploma, registration in progress",
        "Stress and work–life balance.",
        ["English"],
        False,
    ),
)

CLIENTS = (
    ("nina.client@ascend.example", "Nina", "Novak", "Europe/Prague"),
    ("eli.client@ascend.example", "Eli", "Evans", "America/New_York"),
    ("bo.client@ascend.example", "Bo", "Berg", "Europe/Stockholm"),
)

# client, therapist, status to reach
RELATIONSHIPS = (
    ("client@ascend.example", "therapist@ascend.example", Status.ACTIVE),
    ("client@ascend.example", "priya.therapist@ascend.example", Status.ENDED),
    ("nina.client@ascend.example", "therapist@ascend.example", Status.PENDING),
    ("eli.client@ascend.example", "therapist@ascend.example", Status.ENDED),
    ("bo.client@ascend.example", "therapist@ascend.example", Status.BLOCKED),
    ("nina.client@ascend.example", "omar.therapist@ascend.example", Status.ACTIVE),
)

# (from the client?, text) in order
CONVERSATION = (
    (True, "Hi Thea, thanks for accepting. The last weeks before my release have been rough."),
    (False, "Hi Cal, I'm glad you reached out. What has been hardest?"),
    (True, "Mostly the nights before gigs — I can't switch off."),
    (False, "That's very common. Let's try a short wind-down routine this week and talk on Thursday."),
)


def _user(email: str, first_name: str, last_name: str, timezone: str = "UTC") -> User:
    user = user_get_by_email(email=email)
    if user is None:
        user = user_create_verified(
            email=email,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            timezone=timezone,
            is_new_user=False,
        )
    return user


def _relationship_reach(client: User, therapist: User, status: str) -> None:
    """Create the relationship through the services and walk it to ``status`` if new."""
    if TherapyRelationship.objects.filter(client=client, therapist=therapist).exists():
        return
    relationship = relationship_request(client=client, therapist_profile=therapist.therapist_profile)
    if status == Status.PENDING:
        return
    if status in (Status.ACTIVE, Status.ENDED, Status.BLOCKED):
        relationship = relationship_accept(relationship=relationship, by=therapist)
    if status == Status.ENDED:
        relationship_end(relationship=relationship, by=client)
    elif status == Status.BLOCKED:
        relationship_block(relationship=relationship, by=therapist)


def seed_therapy() -> None:
    """Therapists (three verified, one pending applicant), clients, relationships in every
    status and the demo client's conversation. Needs the demo users of accounts."""
    staff = user_get_by_email(email="admin@ascend.example")
    for email, first, last, specialization, credentials, bio, languages, verified in THERAPISTS:
        user = _user(email, first, last)
        if TherapistProfile.objects.filter(user=user).exists():
            continue
        profile = therapist_profile_save(
            user=user, specialization=specialization, credentials=credentials, bio=bio, languages=languages
        )
        if verified:
            therapist_verify(profile=profile, by=staff)
    for email, first, last, timezone in CLIENTS:
        _user(email, first, last, timezone)
    for client_email, therapist_email, status in RELATIONSHIPS:
        client = user_get_by_email(email=client_email)
        therapist = user_get_by_email(email=therapist_email)
        if client is None or therapist is None:
            continue
        _relationship_reach(client, therapist, status)
    client = user_get_by_email(email="client@ascend.example")
    therapist = user_get_by_email(email="therapist@ascend.example")
    if client is None or therapist is None:
        return
    relationship = TherapyRelationship.objects.filter(client=client, therapist=therapist, status=Status.ACTIVE).first()
    if relationship is None or Message.objects.filter(relationship=relationship).exists():
        return
    for index, (from_client, text) in enumerate(CONVERSATION):
        sender, reader = (client, therapist) if from_client else (therapist, client)
        message_send(relationship=relationship, sender=sender, content=text)
        if index < len(CONVERSATION) - 1:
            messages_mark_read(relationship=relationship, reader=reader)
