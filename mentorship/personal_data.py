"""What mentorship exports and erases for "download my data" and "delete my account".

Registered from ``MentorshipConfig.ready()``. Sessions, feedback, reviews and events are
shared with other people: they stay (the erased person shows as "Deleted user", the words
they wrote removed) so the others' history, ratings and events keep working; what belonged
to the erased person alone is deleted.
"""

from typing import Any

from django.db.models import Q
from django.utils import timezone

from core.registry import PersonalDataHandler, personal_data
from learning.services.payments import payment_cancel_unpaid, payment_refund_by_rule
from mentorship.models import (
    Event,
    EventAttendance,
    MenteePreference,
    MentorProfile,
    MentorSessionNote,
    MentorshipSession,
    Review,
    SessionFeedback,
    UserCategory,
)
from mentorship.selectors.feedback import FeedbackView, feedback_list_received, feedback_views
from mentorship.selectors.sessions import PAYMENT_KIND, session_cancel_refund, session_feedback_visible
from mentorship.services.events import events_release_for_erased_user
from mentorship.services.feedback import release_week

ERASED_REASON = "The other person's account was deleted."


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _export_mentor_profile(user: Any) -> dict[str, Any] | None:
    profile = (
        MentorProfile.objects.filter(user=user)
        .prefetch_related("categories", "subcategories", "weekly_hours", "time_off")
        .first()
    )
    if profile is None:
        return None
    return {
        "headline": profile.headline,
        "bio": profile.bio,
        "categories": sorted(category.name for category in profile.categories.all()),
        "subcategories": sorted(category.name for category in profile.subcategories.all()),
        "location": profile.location,
        "race": profile.race,
        "ethnicity": profile.ethnicity,
        "expertise": profile.expertise,
        "years_experience": profile.years_experience,
        "availability_url": profile.availability_url,
        "meeting_link": profile.meeting_link,
        "booking_notice_hours": profile.booking_notice_hours,
        "weekly_hours": [
            {
                "weekday": hours.weekday,
                "start_time": hours.start_time.isoformat(),
                "end_time": hours.end_time.isoformat(),
            }
            for hours in profile.weekly_hours.all()
        ],
        "time_off": [
            {"start_date": off.start_date.isoformat(), "end_date": off.end_date.isoformat(), "note": off.note}
            for off in profile.time_off.all()
        ],
        "base_price_cents": profile.base_price_cents,
        "currency": profile.currency,
        "status": profile.status,
        "verified_at": _iso(profile.verified_at),
        "rating": str(profile.rating),
        "total_sessions": profile.total_sessions,
        "created_at": profile.created_at.isoformat(),
    }


def _erase_mentor_profile(user: Any) -> None:
    """The mentor role ends with the account (sessions keep their mentor as "Deleted user")."""
    for profile in MentorProfile.objects.filter(user=user):
        profile.delete()


def _export_categories(user: Any) -> list[str]:
    return [uc.category.name for uc in UserCategory.objects.filter(user=user).select_related("category")]


def _erase_categories(user: Any) -> None:
    for interest in UserCategory.objects.filter(user=user):
        interest.delete()


def _export_mentee_preference(user: Any) -> dict[str, Any] | None:
    preference = MenteePreference.objects.filter(user=user).first()
    if preference is None:
        return None
    return {"languages": preference.languages, "updated_at": preference.updated_at.isoformat()}


def _erase_mentee_preference(user: Any) -> None:
    """What a mentee looks for is theirs alone: deleted."""
    for preference in MenteePreference.objects.filter(user=user):
        preference.delete()


def _export_sessions(user: Any) -> list[dict[str, Any]]:
    sessions = (
        MentorshipSession.objects.filter(Q(mentor=user) | Q(mentee=user))
        .select_related("venue", "feedback", "feedback__mentee", "feedback__mentor")
        .order_by("start_at")
    )
    return [
        {
            "session_id": str(session.pk),
            "role": "mentor" if session.mentor_id == user.pk else "mentee",
            "type": session.type,
            "venue": session.venue.name if session.venue else None,
            "start_at": session.start_at.isoformat(),
            "duration_minutes": session.duration_minutes,
            "status": session.status,
            "price_cents": session.price_cents,
            "currency": session.currency,
            "topic": session.topic,
            "notes": session.notes,
            "meeting_link": session.meeting_link,
            # As on the pages: the rating of the feedback the user may see tied to the session.
            "rating": feedback.rating if (feedback := session_feedback_visible(session=session, user=user)) else None,
            "review": session.review if session.mentee_id == user.pk else "",
            "cancel_reason": session.cancel_reason,
            "cancelled_at": _iso(session.cancelled_at),
            "completed_at": _iso(session.completed_at),
        }
        for session in sessions
    ]


def _settle_payment(session: MentorshipSession, user: Any, now: Any) -> None:
    """The money of a session cancelled because ``user`` (a party) is erased, as if they
    had cancelled it (mentorship.selectors.sessions.session_cancel_refund)."""
    if session.status == MentorshipSession.Status.AWAITING_PAYMENT:
        payment_cancel_unpaid(kind=PAYMENT_KIND, item_id=session.pk)
        return
    refund = session_cancel_refund(session=session, user=user, now=now)
    if refund.rule:
        payment_refund_by_rule(
            kind=PAYMENT_KIND, item_id=session.pk, rule=refund.rule, reason="Cancelled: the account was deleted."
        )


def _erase_sessions(user: Any) -> None:
    """Upcoming sessions awaiting payment, pending or confirmed are cancelled (the other
    person is no longer expected) by the refund rule of the erased person cancelling — a
    paid session of an erased mentor is refunded to the mentee, an unpaid Checkout is given
    up; the words the erased person wrote (topic and notes as mentee, review, cancellation
    reason) are removed. Sessions stay for the other person's history."""
    now = timezone.now()
    sessions = MentorshipSession.objects.filter(Q(mentor=user) | Q(mentee=user))
    for session in sessions:
        changed: list[str] = []
        if session.status in MentorshipSession.SLOT_STATUSES and session.start_at > now:
            _settle_payment(session, user, now)
            session.status = MentorshipSession.Status.CANCELLED
            session.cancelled_at = now
            session.cancelled_by = user
            session.cancel_reason = ERASED_REASON
            session.sequence += 1
            changed += ["status", "cancelled_at", "cancelled_by", "cancel_reason", "sequence"]
        elif session.cancelled_by_id == user.pk and session.cancel_reason:
            session.cancel_reason = ""
            changed.append("cancel_reason")
        if session.mentee_id == user.pk and (session.topic or session.notes or session.review):
            session.topic, session.notes, session.review = "", "", ""
            changed += ["topic", "notes", "review"]
        if changed:
            session.save(update_fields=[*changed, "updated_at"])


def _feedback_row(view: FeedbackView) -> dict[str, Any]:
    return {
        "id": str(view.id),
        "session_id": str(view.session_id) if view.session_id else None,
        "mentee": view.mentee.display_name if view.mentee else None,
        "mentor": view.mentor.display_name,
        "rating": view.rating,
        "growth_area": view.growth_area,
        "growth_idea": view.growth_idea,
        "what_went_well": view.what_went_well,
        "what_to_improve": view.what_to_improve,
        "additional_comments": view.additional_comments,
        "is_anonymous": view.is_anonymous,
        "written_on": _iso(view.written_on),
        "release_week": _iso(view.release_week),
        "delivery": view.delivery,
    }


def _export_feedback(user: Any) -> dict[str, list[dict[str, Any]]]:
    """Feedback the user gave, and feedback they may see as mentor, each as ``feedback_view``
    shows it on the pages and in the API (anonymous feedback received: once released, by
    release week, without session, mentee or date)."""
    given = SessionFeedback.objects.filter(mentee=user).select_related("mentee", "mentor").order_by("created_at")
    return {
        "given": [_feedback_row(view) for view in feedback_views(feedback=given, user=user)],
        "received": [
            _feedback_row(view) for view in feedback_views(feedback=feedback_list_received(user=user), user=user)
        ],
    }


def _erase_feedback(user: Any) -> None:
    """Feedback given stays (it counts in the mentor's rating) but becomes anonymous and loses
    its words; feedback received stays with its author. Named feedback was already shown: it
    counts as released in the week it was written; anonymous feedback still waiting keeps
    waiting."""
    for feedback in SessionFeedback.objects.filter(mentee=user).select_related("mentor"):
        if not feedback.is_anonymous:
            feedback.released_on = release_week(feedback.created_at, user=feedback.mentor)
        feedback.is_anonymous = True
        feedback.growth_area = feedback.growth_idea = feedback.what_went_well = ""
        feedback.what_to_improve = feedback.additional_comments = ""
        feedback.save()


def _export_reviews(user: Any) -> dict[str, list[dict[str, Any]]]:
    def shape(review: Review, other: Any) -> dict[str, Any]:
        return {
            "with": other.get_full_name() or other.email,
            "rating": review.rating,
            "comment": review.comment,
            "created_at": review.created_at.isoformat(),
            "updated_at": review.updated_at.isoformat(),
        }

    written = Review.objects.filter(author=user).select_related("target").order_by("created_at")
    received = Review.objects.filter(target=user).select_related("author").order_by("created_at")
    return {
        "written": [shape(review, review.target) for review in written],
        "received": [shape(review, review.author) for review in received],
    }


def _export_notes(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "session_id": str(note.session_id),
            "summary": note.summary,
            "follow_ups": note.follow_ups,
            "growth_focus": note.growth_focus,
            "private_notes": note.private_notes,
            "updated_at": note.updated_at.isoformat(),
        }
        for note in MentorSessionNote.objects.filter(mentor=user).order_by("created_at")
    ]


def _erase_notes(user: Any) -> None:
    """A mentor's notes are theirs alone: deleted."""
    for note in MentorSessionNote.objects.filter(mentor=user):
        note.delete()


def _export_events(user: Any) -> dict[str, list[dict[str, Any]]]:
    hosted = Event.objects.filter(host=user).order_by("start_at")
    attended = EventAttendance.objects.filter(user=user).select_related("event").order_by("created_at")
    return {
        "hosted": [
            {
                "event_id": str(event.pk),
                "title": event.title,
                "start_at": event.start_at.isoformat(),
                "status": event.status,
                "cancel_reason": event.cancel_reason,
            }
            for event in hosted
        ],
        "attendance": [
            {
                "event_id": str(attendance.event_id),
                "event": attendance.event.title,
                "start_at": attendance.event.start_at.isoformat(),
                "status": attendance.status,
                "registered_at": _iso(attendance.registered_at),
                "waitlisted_at": _iso(attendance.waitlisted_at),
                "cancelled_at": _iso(attendance.cancelled_at),
                "payment_due_at": _iso(attendance.payment_due_at),
            }
            for attendance in attended
        ],
    }


def _erase_events(user: Any) -> None:
    """Upcoming events the user hosts are cancelled (attendees told) and their places at
    upcoming events given up (the first waiting promoted); past events and attendance stay
    for the others (host shown as "Deleted user")."""
    events_release_for_erased_user(user=user, reason="The host's account was deleted.")


def register() -> None:
    personal_data.register(
        PersonalDataHandler(
            "mentor_profile",
            ("mentorship.MentorProfile", "mentorship.WeeklyHours", "mentorship.TimeOff"),
            export=_export_mentor_profile,
            erase=_erase_mentor_profile,
        )
    )
    personal_data.register(
        PersonalDataHandler(
            "mentorship_categories", ("mentorship.UserCategory",), export=_export_categories, erase=_erase_categories
        )
    )
    personal_data.register(
        PersonalDataHandler(
            "mentee_preference",
            ("mentorship.MenteePreference",),
            export=_export_mentee_preference,
            erase=_erase_mentee_preference,
        )
    )
    personal_data.register(
        PersonalDataHandler(
            "mentorship_sessions", ("mentorship.MentorshipSession",), export=_export_sessions, erase=_erase_sessions
        )
    )
    personal_data.register(
        PersonalDataHandler(
            "session_feedback", ("mentorship.SessionFeedback",), export=_export_feedback, erase=_erase_feedback
        )
    )
    # Reviews are shared records: kept after the account is deleted, shown as "Deleted user".
    personal_data.register(PersonalDataHandler("mentorship_reviews", ("mentorship.Review",), export=_export_reviews))
    personal_data.register(
        PersonalDataHandler(
            "mentor_session_notes", ("mentorship.MentorSessionNote",), export=_export_notes, erase=_erase_notes
        )
    )
    personal_data.register(
        PersonalDataHandler(
            "events", ("mentorship.Event", "mentorship.EventAttendance"), export=_export_events, erase=_erase_events
        )
    )
