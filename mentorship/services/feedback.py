"""Session feedback: the mentee's word on a completed session (DESIGN.md §2, §3).

Rules: the mentee alone writes it (the mentor gets ``PermissionDenied``, anyone else
``Http404``), once per session, while the window is open — from 24 hours to 7 days after
completion (``ApplicationError`` saying when, outside it).

Named feedback is delivered at once, in one transaction: it sets the session's ``rating``
and ``feedback_submitted(_at)``, refreshes the mentor's rating, then notifies the mentor
(naming the mentee and the session).

Anonymous feedback (issue 14 §1): the mentor knows with whom they had each session, so the
feedback must not be tied to its session by anything the mentor can fetch — not by content,
not by time, not by order. Hence:

- writing it changes nothing the mentor can see: it creates the feedback row and nothing
  else — the session is not saved (no rating, no ``feedback_submitted``, no ``updated_at``,
  so its calendar entry and its place in every list stay), no notification, and the
  mentor's rating does not move;
- it waits; :func:`feedback_anonymous_release` (the weekly task) releases a mentor's waiting
  anonymous feedback only when at least 3 are waiting from at least 3 different mentees,
  sets ``released_on`` to the Monday of the release week, refreshes the mentor's rating
  (released anonymous ratings count; they never set a session's rating) and sends ONE
  notification ("3 new anonymous feedbacks") with no related object, linking to the
  feedback-received list. Rows are locked (``select_for_update``) and only still-waiting
  rows are updated, so two runs never release or notify twice;
- the mentor sees it only through ``mentorship.selectors.feedback.feedback_view``: rating,
  words and the release week — no session, no mentee, no day or time; lists order it by
  release week, then by its random id;
- the mentee is told, when submitting, that it waits for a batch.

Staff see everything (who and when) in admin. A mentor with very few mentees may still
guess; the batch of 3 from 3 mentees is what keeps one feedback from standing alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from core.validators import field_max_length
from mentorship.models import MentorshipSession, SessionFeedback
from mentorship.notifications import MentorshipNotification
from mentorship.selectors.feedback import ANONYMOUS_BATCH_MIN, feedback_waiting_mentor_ids
from mentorship.selectors.sessions import session_feedback_window
from mentorship.services.ratings import mentor_stats_refresh
from mentorship.services.sessions import session_local_time, session_url

if TYPE_CHECKING:
    from accounts.models import User

TEXT_FIELDS = ("growth_area", "growth_idea", "what_went_well", "what_to_improve", "additional_comments")
REQUIRED_TEXT_FIELDS = ("growth_area", "growth_idea", "what_went_well", "what_to_improve")


def _max_length(name: str) -> int:
    return field_max_length(SessionFeedback, name, default=4000)


FEEDBACK_MAX_LENGTHS = {name: _max_length(name) for name in TEXT_FIELDS}


def _clean(rating: Any, texts: dict[str, str]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = _("Give a rating from 1 to 5.")
    cleaned: dict[str, Any] = {"rating": rating}
    for name in TEXT_FIELDS:
        value = (texts.get(name) or "").strip()
        if name in REQUIRED_TEXT_FIELDS and not value:
            errors[name] = _("Please fill this in.")
        elif len(value) > FEEDBACK_MAX_LENGTHS[name]:
            errors[name] = _("Keep this under %(max)d characters.") % {"max": FEEDBACK_MAX_LENGTHS[name]}
        cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def session_feedback_submit(
    *,
    session: MentorshipSession,
    user: User,
    rating: int,
    growth_area: str,
    growth_idea: str,
    what_went_well: str,
    what_to_improve: str,
    additional_comments: str = "",
    is_anonymous: bool = False,
) -> SessionFeedback:
    """The mentee's feedback on ``session`` (rules in the module docstring). Required:
    rating 1–5, growth area, growth idea, what went well, what to improve; ``ValidationError``
    by field otherwise, and nothing is saved. Named: the session's rating and flags are set,
    the mentor's rating refreshed and, after commit, the mentor notified. Anonymous: only the
    feedback is saved; it waits for :func:`feedback_anonymous_release`."""
    now = timezone.now()
    locked = (
        MentorshipSession.objects.select_for_update(of=("self",))
        .select_related("mentor", "mentee")
        .filter(Q(mentor_id=user.pk) | Q(mentee_id=user.pk), pk=session.pk)
        .first()
    )
    if locked is None:
        raise Http404(_("There is no such session among yours."))
    if locked.mentee_id != user.pk:
        raise PermissionDenied(_("Only the mentee gives feedback on a session."))
    cleaned = _clean(
        rating,
        {
            "growth_area": growth_area,
            "growth_idea": growth_idea,
            "what_went_well": what_went_well,
            "what_to_improve": what_to_improve,
            "additional_comments": additional_comments,
        },
    )
    window = session_feedback_window(session=locked)
    if window is None:
        raise ApplicationError(_("Feedback opens once the mentor marks the session completed."))
    if locked.feedback_submitted or SessionFeedback.objects.filter(session_id=locked.pk).exists():
        raise ApplicationError(_("You already gave feedback on this session."))
    if now < window.opens_at:
        raise ApplicationError(
            _("Feedback opens 24 hours after the session, on %(when)s.")
            % {"when": session_local_time(when=window.opens_at, user=user)}
        )
    if now > window.closes_at:
        raise ApplicationError(
            _("Feedback closed on %(when)s, 7 days after the session.")
            % {"when": session_local_time(when=window.closes_at, user=user)}
        )
    try:
        with transaction.atomic():
            feedback = SessionFeedback.objects.create(
                session=locked, mentee=user, mentor=locked.mentor, is_anonymous=bool(is_anonymous), **cleaned
            )
    except IntegrityError as exc:
        raise ApplicationError(_("You already gave feedback on this session.")) from exc
    if feedback.is_anonymous:
        # Nothing else moves: the session row, the mentor's rating and notifications would
        # each date the feedback and tie it to its session.
        return feedback
    locked.rating, locked.feedback_submitted, locked.feedback_submitted_at = cleaned["rating"], True, now
    locked.save(update_fields=["rating", "feedback_submitted", "feedback_submitted_at", "updated_at"])
    mentor_stats_refresh(mentor_id=locked.mentor_id)
    transaction.on_commit(lambda: _notify_received(feedback, locked))
    return feedback


def release_week(moment: datetime, *, user: User) -> date:
    """The Monday of ``moment``'s week in ``user``'s time zone (every week rule is the user's,
    DESIGN.md §2): the only date a mentor learns of a release."""
    day = timezone.localtime(moment, ZoneInfo(user.timezone or "UTC")).date()
    return day - timedelta(days=day.weekday())


def feedback_anonymous_release(*, now: datetime | None = None, mentor_ids: Iterable[Any] | None = None) -> int:
    """Release every mentor's waiting anonymous feedback where at least
    :data:`ANONYMOUS_BATCH_MIN` are waiting from at least as many different mentees (the
    weekly task). One transaction per mentor: the waiting rows are locked, only rows still
    waiting are released (so a concurrent or repeated run releases and notifies nothing
    more), the mentor's rating is refreshed and, after commit, one notification counts the
    batch. ``mentor_ids`` limits the run to those mentors (the demo seeder releases its own
    mentor's batch and nobody else's). Returns how many feedbacks were released."""
    now = now or timezone.now()
    waiting = feedback_waiting_mentor_ids(mentor_ids=mentor_ids)
    return sum(_release_for_mentor(mentor_id=mentor_id, now=now) for mentor_id in waiting)


@transaction.atomic
def _release_for_mentor(*, mentor_id: Any, now: datetime) -> int:
    waiting = list(
        SessionFeedback.objects.select_for_update(of=("self",))
        .select_related("mentor")
        .filter(mentor_id=mentor_id, is_anonymous=True, released_on__isnull=True)
    )
    if len(waiting) < ANONYMOUS_BATCH_MIN or len({item.mentee_id for item in waiting}) < ANONYMOUS_BATCH_MIN:
        return 0
    mentor = waiting[0].mentor
    released = SessionFeedback.objects.filter(pk__in=[item.pk for item in waiting], released_on__isnull=True).update(
        released_on=release_week(now, user=mentor)
    )
    if released:
        mentor_stats_refresh(mentor_id=mentor_id)
        transaction.on_commit(lambda: _notify_released(mentor=mentor, count=released))
    return released


def _notify_released(*, mentor: User, count: int) -> None:
    # A count and a link to the list: no name, no related object, no session time.
    notification_send(
        user=mentor,
        type=MentorshipNotification.FEEDBACK_RECEIVED,
        title=ngettext("%(count)d new anonymous feedback", "%(count)d new anonymous feedbacks", count)
        % {"count": count},
        message=_("Your mentees wrote them anonymously; they are dated by this week only."),
        action_url=reverse("mentorship:feedback-received"),
    )


def _notify_received(feedback: SessionFeedback, session: MentorshipSession) -> None:
    mentor = session.mentor
    notification_send(
        user=mentor,
        type=MentorshipNotification.FEEDBACK_RECEIVED,
        title=_("%(mentee)s gave feedback on your session") % {"mentee": session.mentee.display_name},
        message=_("Rated %(rating)d out of 5, for the session of %(when)s.")
        % {"rating": feedback.rating, "when": session_local_time(when=session.start_at, user=mentor)},
        related=session,
        action_url=session_url(session),
    )
