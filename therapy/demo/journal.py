"""Demo data of the therapy journal and sessions (seeder order 95, after the therapists,
clients and relationships of order 90): three weeks of the demo client's feelings (some
shared, one intense and distressing, which shows crisis resources), sessions with the demo
therapist in every status with shared and private notes, and the therapist's reads in the
client's access log. The shared distressing entries flagged the client to the therapist,
who has read them since; then the client asked for an urgent session, which waits on the
therapist's client list. Through the real services; safe to run again (what exists is
kept)."""

from datetime import timedelta

from django.utils import timezone

from accounts.selectors.users import user_get_by_email
from therapy.models import JournalEntry, TherapyRelationship, TherapySession
from therapy.selectors.journal import journal_entry_list_shared_for_therapist
from therapy.services.access import NOTES_ACCESSED, access_record
from therapy.services.journal import journal_entry_create
from therapy.services.messages import urgent_session_request
from therapy.services.relationships import relationship_distress_seen
from therapy.services.sessions import (
    therapy_session_approve,
    therapy_session_cancel,
    therapy_session_close,
    therapy_session_notes_update,
    therapy_session_open,
    therapy_session_reject,
    therapy_session_request,
    therapy_session_where_update,
)

# days ago, hour (UTC), feeling, intensity, note, shared
JOURNAL = (
    (20, 9, "anxious", 6, "Studio booked for the single. Worried the mix won't be ready.", False),
    (19, 21, "calm", 4, "Long walk by the river, phone off.", False),
    (17, 8, "overwhelmed", 7, "Three deadlines this week and the label keeps emailing.", True),
    (15, 19, "happy", 7, "Rehearsal went great, the bridge finally works.", False),
    (13, 23, "anxious", 8, "Couldn't sleep before the gig. Heart racing.", True),
    (12, 22, "proud", 8, "Played the new song live for the first time.", True),
    (10, 10, "lonely", 5, "Everyone is on tour; the flat is very quiet.", False),
    (8, 20, "grateful", 6, "Mum called after hearing the single on the radio.", False),
    (6, 2, "hopeless", 9, "Bad reviews. Feels like none of this is worth it tonight.", True),
    (4, 18, "hopeful", 6, "Talked it through with Thea. One small step at a time.", True),
    (2, 9, "tired but ok", 4, "Slept seven hours. Tried the wind-down routine.", False),
    (0, 7, "calm", 3, "Morning pages, coffee, no rush.", False),
)

URGENT_NOTE = "The reviews got to me again tonight. Could we talk before the tour?"
MEETING_LINK = "https://meet.example.com/ascend-thea"
LATE_CANCEL_REASON = "A rehearsal moved; sorry for the short notice."

# title, days from now (negative: past), final status, shared notes, private notes, reject reason
SESSIONS = (
    ("Getting to know each other", -14, TherapySession.Status.CLOSED,
     "Goals: sleep before gigs, fewer all-nighters. Homework: wind-down routine.",
     "Performance anxiety; no risk indicators at intake. Consider CBT-I elements.", ""),
    ("After the reviews", -1, TherapySession.Status.OPEN,
     "We named three things that went well this month.",
     "Low mood after criticism; monitor the hopeless entries; safety plan discussed.", ""),
    ("Before the tour", 6, TherapySession.Status.APPROVED, "", "Prepare a relapse-prevention sheet.", ""),
    ("Extra session on Sunday", 9, TherapySession.Status.REJECTED, "", "",
     "I don't work on Sundays; could we meet on Monday instead?"),
    ("Check-in after the tour", 20, TherapySession.Status.PENDING, "", "", ""),
)  # fmt: skip


def seed_therapy_journal_sessions() -> None:
    """The demo client's journal and sessions with the demo therapist (one in each status: the
    approved one with a meeting link, a late cancellation by the client). Needs seeder 90."""
    client = user_get_by_email(email="client@ascend.example")
    therapist = user_get_by_email(email="therapist@ascend.example")
    if client is None or therapist is None:
        return
    now = timezone.now()
    if not JournalEntry.objects.filter(client=client).exists():
        for days, hour, feeling, intensity, note, shared in JOURNAL:
            moment = (now - timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
            journal_entry_create(
                client=client,
                time_of_emotion=min(moment, now),
                feeling=feeling,
                intensity=intensity,
                note=note,
                is_shared=shared,
            )
    active = TherapyRelationship.objects.filter(
        client=client, therapist=therapist, status=TherapyRelationship.Status.ACTIVE
    ).exists()
    if not active or TherapySession.objects.filter(client=client, therapist=therapist).exists():
        return
    for title, days, status, shared_notes, private_notes, reason in SESSIONS:
        session = therapy_session_request(
            client=client,
            therapist=therapist,
            title=title,
            scheduled_at=(now + timedelta(days=abs(days) + 1)).replace(hour=9, minute=0, second=0, microsecond=0),
        )
        if status == TherapySession.Status.REJECTED:
            therapy_session_reject(session=session, therapist=therapist, reason=reason)
            continue
        if status == TherapySession.Status.PENDING:
            continue
        session = therapy_session_approve(session=session, therapist=therapist)
        if status in (TherapySession.Status.OPEN, TherapySession.Status.CLOSED):
            session = therapy_session_open(session=session, therapist=therapist)
        if status == TherapySession.Status.CLOSED:
            session = therapy_session_close(session=session, therapist=therapist)
        session = therapy_session_notes_update(
            session=session, therapist=therapist, shared_notes=shared_notes, private_notes=private_notes
        )
        if days < 0:  # a session that took place: requested weeks ago, held in the past
            session.scheduled_at = (now + timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)
            session.save()
        if status == TherapySession.Status.APPROVED:
            session = therapy_session_where_update(session=session, therapist=therapist, meeting_link=MEETING_LINK)
        access_record(actor=therapist, instances=[session], what=NOTES_ACCESSED)
    # A session the client cancelled late (less than 24 hours ahead): recorded as such.
    late = therapy_session_request(
        client=client, therapist=therapist, title="Quick check-in", scheduled_at=now + timedelta(hours=20)
    )
    late = therapy_session_approve(session=late, therapist=therapist)
    therapy_session_cancel(session=late, user=client, reason=LATE_CANCEL_REASON)
    access_record(actor=therapist, instances=list(journal_entry_list_shared_for_therapist(therapist=therapist)))
    relationship_distress_seen(therapist=therapist, client_ids=[client.pk])
    relationship = TherapyRelationship.objects.get(client=client, therapist=therapist)
    urgent_session_request(relationship=relationship, client=client, note=URGENT_NOTE)
