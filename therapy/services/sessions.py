"""Writes of therapy sessions: the client requests; the therapist approves or rejects, opens
and closes, and writes the notes.

    pending ──approve──▶ approved ──open──▶ open ──close──▶ closed
       └──────reject──▶ rejected

Any other move is an ``ApplicationError`` (409) saying why. Each move notifies the other
party (``THERAPY_SESSION``) with the time only — never the notes, the title or the reason,
which the e-mail copy would carry out of the site. ``private_notes`` are written by the
therapist alone and never leave their views. A therapist whose verification is withdrawn
moves no session and writes no notes until verified again (409).
"""

from __future__ import annotations

import contextlib
import zoneinfo
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from therapy.models import TherapyRelationship, TherapySession
from therapy.notifications import TherapyNotification
from therapy.rules import is_verified_therapist, relationships_in_force
from therapy.selectors.sessions import NOTES_MAX_LENGTH, REASON_MAX_LENGTH, TITLE_MAX_LENGTH

if TYPE_CHECKING:
    from accounts.models import User

DURATION_MIN, DURATION_MAX = 15, 240
_PAST = {"approve": _lazy("approved"), "reject": _lazy("rejected"), "open": _lazy("opened"), "close": _lazy("closed")}
NO_RELATIONSHIP_MESSAGE = _lazy("You can ask for sessions only with a therapist you are working with.")
NOT_VERIFIED_MESSAGE = _lazy("Your sessions are paused until staff verify your therapist profile again.")
NOTES_STATUSES = (TherapySession.Status.APPROVED, TherapySession.Status.OPEN, TherapySession.Status.CLOSED)


def _when(session: TherapySession, user: User) -> str:
    """The session's time in ``user``'s own zone, for their notification."""
    zone = timezone.get_current_timezone()
    with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(user.timezone) if user.timezone else zone
    return formats.date_format(timezone.localtime(session.scheduled_at, zone), "DATETIME_FORMAT")


def _notify(session: TherapySession, recipient: User, title: str) -> None:
    notification_send(
        user=recipient,
        type=TherapyNotification.THERAPY_SESSION,
        title=title,
        message=_("Session on %(when)s.") % {"when": _when(session, recipient)},
        related=session,
        action_url=reverse("therapy:session-detail", kwargs={"pk": session.pk}),
    )


@transaction.atomic
def therapy_session_request(
    *, client: User, therapist: User, title: str, scheduled_at: datetime, duration_minutes: int = 50
) -> TherapySession:
    """``client`` asks ``therapist`` for a session (pending). Needs an ACTIVE relationship
    between them that is not suspended (the therapist verified now); a title (≤ 200
    characters), a future time and 15–240 minutes. Bad input raises ``ValidationError`` by
    field and stores nothing. Notifies the therapist."""
    relationship = relationships_in_force().filter(client_id=client.pk, therapist_id=therapist.pk).first()
    errors: dict[str, str] = {}
    if relationship is None:
        errors["therapist"] = str(NO_RELATIONSHIP_MESSAGE)
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = _("Give the session a title.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("The title is too long: at most %(max)d characters.") % {"max": TITLE_MAX_LENGTH}
    if scheduled_at <= timezone.now():
        errors["scheduled_at"] = _("Propose a time in the future.")
    if not DURATION_MIN <= duration_minutes <= DURATION_MAX:
        errors["duration_minutes"] = _("A session lasts from %(min)d to %(max)d minutes.") % {
            "min": DURATION_MIN,
            "max": DURATION_MAX,
        }
    if errors:
        raise ValidationError(errors)
    session = TherapySession.objects.create(
        client=client,
        therapist=therapist,
        relationship=relationship,
        title=title,
        scheduled_at=scheduled_at,
        duration_minutes=duration_minutes,
        status=TherapySession.Status.PENDING,
        requested_at=timezone.now(),
    )
    _notify(session, therapist, _("%(client)s asked for a therapy session") % {"client": client.display_name})
    return session


def _transition(
    *,
    session: TherapySession,
    therapist: User,
    verb: str,
    allowed_from: TherapySession.Status,
    to: TherapySession.Status,
    needs_active: bool,
    apply: Callable[[TherapySession], None],
) -> TherapySession:
    locked = TherapySession.objects.select_for_update().select_related("relationship").get(pk=session.pk)
    if locked.therapist_id != therapist.pk:
        raise ApplicationError(_("Only the session's therapist can %(verb)s it.") % {"verb": verb})
    if not is_verified_therapist(therapist):
        raise ApplicationError(str(NOT_VERIFIED_MESSAGE))
    if locked.status != allowed_from:
        raise ApplicationError(
            _("This session is %(status)s: only a %(allowed)s session can be %(verb)s.")
            % {
                "status": locked.get_status_display().lower(),
                "allowed": TherapySession.Status(allowed_from).label.lower(),
                "verb": _PAST[verb],
            }
        )
    if needs_active and locked.relationship.status != TherapyRelationship.Status.ACTIVE:
        raise ApplicationError(_("The relationship with this client is no longer active."))
    locked.status = to
    apply(locked)
    locked.save()
    return locked


@transaction.atomic
def therapy_session_approve(*, session: TherapySession, therapist: User) -> TherapySession:
    """The therapist approves a pending session (the relationship must still be active).
    Notifies the client."""
    now = timezone.now()
    approved = _transition(
        session=session,
        therapist=therapist,
        verb="approve",
        allowed_from=TherapySession.Status.PENDING,
        to=TherapySession.Status.APPROVED,
        needs_active=True,
        apply=lambda s: setattr(s, "decided_at", now),
    )
    _notify(approved, approved.client, _("Your therapy session is approved"))
    return approved


@transaction.atomic
def therapy_session_reject(*, session: TherapySession, therapist: User, reason: str) -> TherapySession:
    """The therapist declines a pending session with a reason (required, ≤ 2000
    characters; the client reads it on the session's page, not in the notification)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell the client why you decline.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("At most %(max)d characters.") % {"max": REASON_MAX_LENGTH}})
    now = timezone.now()

    def apply(s: TherapySession) -> None:
        s.decided_at = now
        s.reject_reason = reason

    rejected = _transition(
        session=session,
        therapist=therapist,
        verb="reject",
        allowed_from=TherapySession.Status.PENDING,
        to=TherapySession.Status.REJECTED,
        needs_active=False,
        apply=apply,
    )
    _notify(rejected, rejected.client, _("Your therapy session request was declined"))
    return rejected


@transaction.atomic
def therapy_session_open(*, session: TherapySession, therapist: User) -> TherapySession:
    """The therapist opens an approved session (the relationship must still be active).
    Notifies the client."""
    now = timezone.now()
    opened = _transition(
        session=session,
        therapist=therapist,
        verb="open",
        allowed_from=TherapySession.Status.APPROVED,
        to=TherapySession.Status.OPEN,
        needs_active=True,
        apply=lambda s: setattr(s, "opened_at", now),
    )
    _notify(opened, opened.client, _("Your therapy session has started"))
    return opened


@transaction.atomic
def therapy_session_close(*, session: TherapySession, therapist: User) -> TherapySession:
    """The therapist closes an open session. Notifies the client."""
    now = timezone.now()
    closed = _transition(
        session=session,
        therapist=therapist,
        verb="close",
        allowed_from=TherapySession.Status.OPEN,
        to=TherapySession.Status.CLOSED,
        needs_active=False,
        apply=lambda s: setattr(s, "closed_at", now),
    )
    _notify(closed, closed.client, _("Your therapy session is closed"))
    return closed


@transaction.atomic
def therapy_session_notes_update(
    *, session: TherapySession, therapist: User, shared_notes: str | None = None, private_notes: str | None = None
) -> TherapySession:
    """The session's therapist writes the shared notes (the client reads them) and the
    private notes (nobody else ever does) of an approved, open or closed session; ``None``
    leaves a field as it is. No notification (notes never travel). Over-long notes raise
    ``ValidationError`` and change nothing; anyone else or another status: 409."""
    errors = {
        name: _("At most %(max)d characters.") % {"max": NOTES_MAX_LENGTH}
        for name, value in (("shared_notes", shared_notes), ("private_notes", private_notes))
        if value is not None and len(value) > NOTES_MAX_LENGTH
    }
    if errors:
        raise ValidationError(errors)
    locked = TherapySession.objects.select_for_update().get(pk=session.pk)
    if locked.therapist_id != therapist.pk:
        raise ApplicationError(_("Only the session's therapist writes its notes."))
    if not is_verified_therapist(therapist):
        raise ApplicationError(str(NOT_VERIFIED_MESSAGE))
    if locked.status not in NOTES_STATUSES:
        raise ApplicationError(_("Notes are written once a session is approved."))
    if shared_notes is not None:
        locked.shared_notes = shared_notes
    if private_notes is not None:
        locked.private_notes = private_notes
    locked.save()
    return locked
