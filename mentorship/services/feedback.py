"""Session feedback: the mentee's word on a completed session (DESIGN.md §2, §3).

Rules: the mentee alone writes it (the mentor gets ``PermissionDenied``, anyone else
``Http404``), once per session, while the window is open — from 24 hours to 7 days after
completion (``ApplicationError`` saying when, outside it). Submitting sets the session's
``rating`` and ``feedback_submitted(_at)`` and refreshes the mentor's rating, all in one
transaction, then notifies the mentor.

Anonymity, decided: the mentor necessarily knows with whom they had each session, so what
must not identify the mentee is the *feedback*, and anything that ties it to its session.
For anonymous feedback, on the mentor's side:

- the feedback is shown only in the "feedback received" list (page and API), detached from
  sessions: no session id, no session time, no mentee (id, name or e-mail) — only the
  rating, the texts and the date it was written;
- the session itself (lists, detail page, API) shows no rating, no ``feedback_submitted``
  and no feedback, and ``sessions/{id}/feedback`` is a 404 for the mentor;
- the notification (and its e-mail) names nobody and links to the list, not the session.

Non-anonymous feedback is shown with the session and the mentee's name. Staff see
everything in admin. A mentor with very few sessions may still guess by elimination; the
product says so on the feedback form.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError
from accounts.models import NotificationType, User
from accounts.services import notification_send
from mentorship.models import MentorshipSession, SessionFeedback
from mentorship.selectors.sessions import session_feedback_window
from mentorship.services.ratings import mentor_stats_refresh
from mentorship.services.sessions import session_local_time, session_url

TEXT_FIELDS = ("growth_area", "growth_idea", "what_went_well", "what_to_improve", "additional_comments")
REQUIRED_TEXT_FIELDS = ("growth_area", "growth_idea", "what_went_well", "what_to_improve")


def _max_length(name: str) -> int:
    return SessionFeedback._meta.get_field(name).max_length or 4000


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
    by field otherwise, and nothing is saved. Side effect after commit: a
    ``feedback_received`` notification to the mentor, naming nobody when anonymous."""
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
    locked.rating, locked.feedback_submitted, locked.feedback_submitted_at = cleaned["rating"], True, now
    locked.save(update_fields=["rating", "feedback_submitted", "feedback_submitted_at", "updated_at"])
    mentor_stats_refresh(mentor_id=locked.mentor_id)
    transaction.on_commit(lambda: _notify_received(feedback, locked))
    return feedback


def _notify_received(feedback: SessionFeedback, session: MentorshipSession) -> None:
    mentor = session.mentor
    if feedback.is_anonymous:
        # Nothing that identifies the mentee or the session: no name, no related object,
        # no session time, a link to the detached list.
        notification_send(
            user=mentor,
            type=NotificationType.FEEDBACK_RECEIVED,
            title=_("You received anonymous feedback"),
            message=_("Rated %(rating)d out of 5.") % {"rating": feedback.rating},
            action_url=reverse("mentorship:feedback-received"),
        )
        return
    notification_send(
        user=mentor,
        type=NotificationType.FEEDBACK_RECEIVED,
        title=_("%(mentee)s gave feedback on your session") % {"mentee": session.mentee.display_name},
        message=_("Rated %(rating)d out of 5, for the session of %(when)s.")
        % {"rating": feedback.rating, "when": session_local_time(when=session.start_at, user=mentor)},
        related=session,
        action_url=session_url(session),
    )
