"""Demo sessions for ``manage.py seed_demo`` (order 75): the demo mentor (paid: $80 an hour)
and the demo learner in every status but the passing "awaiting payment" — ahead, a pending
request, a confirmed session in person at a partner venue and a confirmed one the mentor
moved to the next day (paid as Stripe's webhook would have it, then confirmed and moved
through the services); in the past, completed with named feedback, completed with anonymous
feedback, completed with feedback still open, cancelled in time (refunded), no-show, and
one the mentor missed (refunded), with the mentor's notes. Every paid session has its
payment (and refund) with the price breakdown, so the mentor's earnings and the learner's
payments show them. The learner also has a request with a free mentor, booked through the
service as anyone would. Two more demo people
(the client and the instructor) each had a session with anonymous feedback, so the mentor
has a released anonymous batch of three (released two weeks ago by the weekly rule). Past
sessions cannot be booked (the start must be in the future), so they are written as they
would stand today. Idempotent: each session is found by its topic; a released batch is not
released again.
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.selectors.users import user_get_by_email
from learning.services.payments import payment_facts
from learning.services.payments_demo import payment_demo_record
from mentorship.models import MentorSessionNote, MentorshipSession, SessionFeedback, Venue
from mentorship.selectors.sessions import (
    PAYMENT_KIND,
    REFUND_MENTEE_CANCELLED_IN_TIME,
    REFUND_MENTOR_NO_SHOW,
)
from mentorship.services.feedback import feedback_anonymous_release
from mentorship.services.pricing import session_price
from mentorship.services.ratings import mentor_stats_refresh
from mentorship.services.sessions import (
    session_book,
    session_confirm,
    session_payment_fulfil,
    session_quote,
    session_reschedule,
)

MENTOR = "mentor@ascend.example"
MENTEE = "learner@ascend.example"
# Demo people who also wrote the mentor anonymous feedback (with the learner: a batch of 3).
ANONYMOUS_MENTEES = ("client@ascend.example", "instructor@ascend.example")
# A volunteer mentor (no price, mentorship.demo.seed) the learner asked for a free session.
FREE_MENTOR = "tom.becker@ascend.example"
FREE_TOPIC = "Demo: a desk mobility routine"
Status = MentorshipSession.Status

# (topic, days from today, hour UTC, type, status, feedback: None / "named" / "anonymous")
PAST: tuple[tuple[str, int, int, str, str, str | None], ...] = (
    ("Demo: first mix review", -6, 17, "virtual", Status.COMPLETED, "named"),
    ("Demo: building a release plan", -20, 18, "in_person", Status.COMPLETED, "anonymous"),
    ("Demo: sound design basics", -2, 16, "virtual", Status.COMPLETED, None),
    ("Demo: studio etiquette", -12, 19, "virtual", Status.CANCELLED, None),
    ("Demo: arrangement workshop", -30, 17, "virtual", Status.NO_SHOW, None),
    ("Demo: beat-making basics", -25, 18, "virtual", Status.MENTOR_NO_SHOW, None),
)
# The refund rule of a past session in this status (the others were paid and kept).
PAST_REFUNDS = {Status.CANCELLED: REFUND_MENTEE_CANCELLED_IN_TIME, Status.MENTOR_NO_SHOW: REFUND_MENTOR_NO_SHOW}
# For the other anonymous mentees, in the order of ANONYMOUS_MENTEES.
PAST_ANONYMOUS: tuple[tuple[str, int, int, str, str, str | None], ...] = (
    ("Demo: press kit review", -19, 16, "virtual", Status.COMPLETED, "anonymous-press"),
    ("Demo: live set check", -18, 15, "virtual", Status.COMPLETED, "anonymous-live"),
)
FEEDBACK: dict[str, dict[str, Any]] = {
    "named": {
        "rating": 5,
        "growth_area": "Mixing",
        "growth_idea": "Compare every mix with two reference tracks.",
        "what_went_well": "Concrete fixes for my low end.",
        "what_to_improve": "Send the notes in writing afterwards.",
    },
    "anonymous": {
        "rating": 4,
        "growth_area": "Release planning",
        "growth_idea": "Plan singles six weeks apart.",
        "what_went_well": "A clear calendar to follow.",
        "what_to_improve": "More examples from independent artists.",
    },
    "anonymous-press": {
        "rating": 5,
        "growth_area": "Pitching",
        "growth_idea": "One-page press kit with three links.",
        "what_went_well": "Honest notes on my bio.",
        "what_to_improve": "A template would help.",
    },
    "anonymous-live": {
        "rating": 4,
        "growth_area": "Performance",
        "growth_idea": "Rehearse transitions, not just songs.",
        "what_went_well": "Practical stagecraft tips.",
        "what_to_improve": "Less time on gear talk.",
    },
}
# The demo batch was released this long ago (the weekly task, run then).
ANONYMOUS_RELEASED_AGO = timedelta(days=14)


def _past_session(mentor: Any, mentee: Any, venue: Venue | None, spec: tuple) -> None:
    topic, days, hour, kind, status, feedback = spec
    if MentorshipSession.objects.filter(mentor=mentor, mentee=mentee, topic=topic).exists():
        return
    start = (timezone.now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    profile = mentor.mentor_profile
    in_person = kind == "in_person" and venue is not None
    price = session_price(
        base_price_cents=profile.base_price_cents,
        type="in_person" if in_person else "virtual",
        duration_minutes=60,
        venue=venue if in_person else None,
    )
    session = MentorshipSession.objects.create(
        mentor=mentor,
        mentee=mentee,
        type="in_person" if in_person else "virtual",
        venue=venue if in_person else None,
        meeting_link="" if in_person else profile.meeting_link or "https://meet.jit.si/ascend-demo",
        start_at=start,
        duration_minutes=60,
        end_at=start + timedelta(minutes=60),
        status=status,
        requested_at=start - timedelta(days=4),
        price_cents=price.total_cents,
        currency=price.currency,
        topic=topic,
        confirmed_at=start - timedelta(days=2) if status != Status.CANCELLED else None,
        completed_at=start + timedelta(hours=1) if status == Status.COMPLETED else None,
        cancelled_at=start - timedelta(days=1) if status == Status.CANCELLED else None,
        cancelled_by=mentee if status == Status.CANCELLED else None,
        cancel_reason="Caught a cold — can we find another week?" if status == Status.CANCELLED else "",
        sequence=2,
    )
    if not price.is_free:
        refund_rule = PAST_REFUNDS.get(status, "")
        refunded_at = session.cancelled_at if status == Status.CANCELLED else start + timedelta(days=1)
        payment_demo_record(
            user=mentee,
            kind=PAYMENT_KIND,
            item_id=session.pk,
            description=f"Mentorship session with {mentor.display_name}",
            lines=price.lines,
            currency=price.currency,
            succeeded_at=start - timedelta(days=4),
            refund_rule=refund_rule,
            refunded_at=refunded_at if refund_rule else None,
        )
    if status == Status.COMPLETED:
        MentorSessionNote.objects.create(
            session=session,
            mentor=mentor,
            summary=f"{topic.removeprefix('Demo: ').capitalize()}: good energy, clear questions.",
            follow_ups="Send two reference tracks; check in next week.",
            growth_focus="Finishing and sharing work.",
            private_notes="Lena is close to a first release; keep the pressure low.",
        )
    if feedback is not None:
        anonymous = feedback.startswith("anonymous")
        SessionFeedback.objects.create(
            session=session,
            mentee=mentee,
            mentor=mentor,
            is_anonymous=anonymous,
            created_at=start + timedelta(days=2),
            **FEEDBACK[feedback],
        )
        if not anonymous:
            # As the service does: only named feedback ever touches its session.
            session.rating, session.feedback_submitted = FEEDBACK[feedback]["rating"], True
            session.feedback_submitted_at = start + timedelta(days=2)
            session.save(update_fields=["rating", "feedback_submitted", "feedback_submitted_at", "updated_at"])


def _upcoming(mentor: Any, mentee: Any, venue: Venue | None) -> None:
    # (topic, days from today, hour UTC, type, confirmed, moved by the mentor a day later)
    plans = (
        ("Demo: finishing my first EP", 5, 17, "virtual", False, False),
        ("Demo: mix review at the studio", 2, 18, "in_person", True, False),
        ("Demo: vocal chain check-in", 8, 16, "virtual", True, True),
    )
    for topic, days, hour, kind, confirm, move in plans:
        if MentorshipSession.objects.filter(mentor=mentor, mentee=mentee, topic=topic).exists():
            continue
        session_type = "virtual" if venue is None else kind
        start = (timezone.now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
        session = _book_paid(
            mentee=mentee,
            mentor_id=mentor.pk,
            type=session_type,
            venue=venue if session_type == "in_person" else None,
            start_at=start,
            duration_minutes=60,
            topic=topic,
            notes="I will bring stems on a USB stick." if session_type == "in_person" else "",
        )
        if confirm:
            session_confirm(session=session, user=mentor)
        if move:
            session_reschedule(session=session, user=mentor, start_at=start + timedelta(days=1))


def _book_paid(**booking: Any) -> MentorshipSession:
    """Book a session as the service does and pay it as Stripe's webhook would: held
    awaiting payment, its demo payment recorded, then handed to the mentor by the session
    kind's own ``fulfil``. A free mentor's session is simply booked."""
    quote = session_quote(**booking)
    if quote.price_cents == 0:
        return session_book(**booking).session
    session = MentorshipSession.objects.create(
        mentor=quote.mentor,
        mentee=quote.mentee,
        type=quote.type,
        venue=quote.venue,
        meeting_link=quote.meeting_link,
        start_at=quote.start_at,
        end_at=quote.end_at,
        duration_minutes=quote.duration_minutes,
        status=Status.AWAITING_PAYMENT,
        requested_at=None,
        price_cents=quote.price_cents,
        currency=quote.currency,
        topic=quote.topic,
        notes=quote.notes,
    )
    payment = payment_demo_record(
        user=quote.mentee,
        kind=PAYMENT_KIND,
        item_id=session.pk,
        description=f"Mentorship session with {quote.mentor.display_name}",
        lines=quote.lines,
        currency=quote.currency,
        succeeded_at=timezone.now(),
    )
    session_payment_fulfil(payment_facts(payment))
    session.refresh_from_db()
    return session


def _free_request(mentee: Any) -> None:
    free_mentor = user_get_by_email(email=FREE_MENTOR)
    if free_mentor is None or MentorshipSession.objects.filter(mentee=mentee, topic=FREE_TOPIC).exists():
        return
    start = (timezone.now() + timedelta(days=6)).replace(hour=15, minute=0, second=0, microsecond=0)
    session_book(
        mentee=mentee, mentor_id=free_mentor.pk, type="virtual", start_at=start, duration_minutes=45, topic=FREE_TOPIC
    )


def seed_sessions() -> None:
    """Sessions of the demo mentor with the demo learner in every status (see the module)."""
    mentor, mentee = user_get_by_email(email=MENTOR), user_get_by_email(email=MENTEE)
    if mentor is None or mentee is None or not hasattr(mentor, "mentor_profile"):
        return
    venue = Venue.objects.filter(is_partner=True).order_by("-discount_percentage", "name").first()
    for spec in PAST:
        _past_session(mentor, mentee, venue, spec)
    for email, spec in zip(ANONYMOUS_MENTEES, PAST_ANONYMOUS, strict=True):
        other = user_get_by_email(email=email)
        if other is not None:
            _past_session(mentor, other, venue, spec)
    feedback_anonymous_release(now=timezone.now() - ANONYMOUS_RELEASED_AGO, mentor_ids=[mentor.pk])
    _upcoming(mentor, mentee, venue)
    _free_request(mentee)
    mentor_stats_refresh(mentor_id=mentor.pk)
