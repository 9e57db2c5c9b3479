"""Reflections (DESIGN.md §2 "Reflection"): one per user and local date — daily (mood, score,
text) or weekly on a Sunday (what went well, what felt hard, insights, gratitude); shared with
one mentor the user works with, who may leave one feedback; weekly reminders on Sunday
evenings.

After every save, tasks write the reflection's insights and look for new badges.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from core.validators import field_max_length
from growth.localtime import local_today
from growth.models import Goal, Reflection, ReminderSent
from growth.notifications import GrowthNotification
from growth.selectors.reflections import SUNDAY, reflection_mentor_ids, reflection_reminder_due_users
from growth.services.reminders import reminder_claim_and_notify

if TYPE_CHECKING:
    from accounts.models import User

# A reflection may be written for today or, late, for one of the days before.
BACKFILL_DAYS = 7
GRATITUDE_MAX_ITEMS = 10
GRATITUDE_ITEM_MAX = 200
CONTENT_FIELDS = (
    "kind",
    "mood",
    "mood_score",
    "text",
    "what_went_well",
    "what_felt_hard",
    "insights",
    "gratitude",
    "goal",
)
WEEKLY_FIELDS = ("what_went_well", "what_felt_hard", "insights", "gratitude")


def _clean_gratitude(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise ValidationError({"gratitude": _("Give the things you are grateful for as a list of short texts.")})
    items = [item.strip() for item in value if item.strip()]
    if len(items) > GRATITUDE_MAX_ITEMS:
        raise ValidationError(
            {"gratitude": _("Up to %(count)d things you are grateful for, please.") % {"count": GRATITUDE_MAX_ITEMS}}
        )
    if any(len(item) > GRATITUDE_ITEM_MAX for item in items):
        raise ValidationError(
            {"gratitude": _("Keep each one under %(count)d characters.") % {"count": GRATITUDE_ITEM_MAX}}
        )
    return items


def _clean(*, user: User, day: date, fields: dict[str, Any]) -> dict[str, Any]:
    """The complete content of a reflection of ``user`` on ``day``, validated; raises
    ``ValidationError`` by field."""
    errors: dict[str, str] = {}
    kind = fields.get("kind")
    if kind not in Reflection.Kind.values:
        errors["kind"] = _("Choose a daily or a weekly reflection.")
    elif kind == Reflection.Kind.WEEKLY and day.weekday() != SUNDAY:
        errors["kind"] = _("A weekly reflection is written on a Sunday; %(date)s is a %(weekday)s.") % {
            "date": date_format(day, "DATE_FORMAT"),
            "weekday": date_format(day, "WEEKDAY_FORMAT"),
        }
    if fields.get("mood") not in Reflection.Mood.values:
        errors["mood"] = _("Choose how you feel: great, good, neutral, bad or awful.")
    score = fields.get("mood_score")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 10:
        errors["mood_score"] = _("Give your mood a score from 1 to 10.")
    for name in ("text", "what_went_well", "what_felt_hard", "insights"):
        fields[name] = (fields.get(name) or "").strip()
        limit = field_max_length(Reflection, name)
        if len(fields[name]) > limit:
            errors[name] = _("Keep it under %(count)d characters.") % {"count": limit}
    try:
        fields["gratitude"] = _clean_gratitude(fields.get("gratitude"))
    except ValidationError as exc:
        errors.update({name: messages[0] for name, messages in exc.message_dict.items()})
    if kind == Reflection.Kind.WEEKLY and "kind" not in errors and not any(fields.get(name) for name in WEEKLY_FIELDS):
        errors["what_went_well"] = _(
            "A weekly reflection needs at least one answer: what went well, what felt hard, an insight or "
            "something you are grateful for."
        )
    goal = fields.get("goal")
    if goal is not None and (not isinstance(goal, Goal) or goal.user_id != user.pk):
        errors["goal"] = _("Choose one of your own goals.")
    if errors:
        raise ValidationError(errors)
    return {name: fields.get(name) for name in CONTENT_FIELDS}


def _after_save(reflection: Reflection) -> None:
    from growth.tasks import badges_evaluate_task, reflection_insights_task

    reflection_insights_task.delay_on_commit(str(reflection.pk))
    badges_evaluate_task.delay_on_commit(str(reflection.user_id))


def reflection_day_check(*, user: User, day: date, now: datetime | None = None) -> None:
    """Refuse (``ValidationError`` on ``date``) a day in the user's future or more than
    :data:`BACKFILL_DAYS` days back."""
    today = local_today(user, now)
    if day > today:
        raise ValidationError({"date": _("A reflection cannot be written for a day still to come.")})
    if day < today - timedelta(days=BACKFILL_DAYS):
        raise ValidationError(
            {"date": _("A reflection can be written up to %(days)d days late.") % {"days": BACKFILL_DAYS}}
        )


@transaction.atomic
def reflection_save(
    *, user: User, day: date | None = None, now: datetime | None = None, **content: Any
) -> tuple[Reflection, bool]:
    """Write the user's reflection of ``day`` (default: their local today): create it, or —
    there is one per user and date — replace the content of the one already written.

    ``content`` takes :data:`CONTENT_FIELDS` (``kind``, ``mood``, ``mood_score`` required).
    Weekly reflections only on a Sunday; ``goal`` must be the user's own. Raises
    ``ValidationError`` (nothing saved) for bad input. Returns ``(reflection, created)``.
    Side effects after commit: the insights and badge tasks.
    """
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown reflection fields: {sorted(unknown)}")
    day = day or local_today(user, now)
    reflection_day_check(user=user, day=day, now=now)
    cleaned = _clean(user=user, day=day, fields=dict(content))
    existing = Reflection.objects.select_for_update().filter(user_id=user.pk, date=day).first()
    created = existing is None
    if existing is not None:
        reflection = existing
    else:
        try:
            with transaction.atomic():
                reflection = Reflection.objects.create(user=user, date=day, **cleaned)
        except IntegrityError:
            # Written at the same moment from another tab: edit that one.
            reflection = Reflection.objects.select_for_update().get(user_id=user.pk, date=day)
            created = False
    if not created:
        for name, value in cleaned.items():
            setattr(reflection, name, value)
        reflection.save()
    _after_save(reflection)
    return reflection, created


@transaction.atomic
def reflection_update(*, reflection: Reflection, **changes: Any) -> Reflection:
    """Change some of :data:`CONTENT_FIELDS` of a reflection (the rest is kept), validated as
    a whole like :func:`reflection_save`. Side effects after commit: the insights and badge
    tasks."""
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown reflection fields: {sorted(unknown)}")
    locked = Reflection.objects.select_for_update().select_related("user").get(pk=reflection.pk)
    current = {name: getattr(locked, name) for name in CONTENT_FIELDS}
    cleaned = _clean(user=locked.user, day=locked.date, fields={**current, **changes})
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save()
    _after_save(locked)
    return locked


@transaction.atomic
def reflection_share(*, reflection: Reflection, mentor: User | None) -> Reflection:
    """Share the reflection with ``mentor``, who must be a mentor the owner works with (the
    mentor of one of their goals, or a mentor with a confirmed or completed session) —
    otherwise ``ValidationError``. One mentor at a time: sharing with another one moves it.
    A reflection that already has feedback stays with the mentor who gave it (409).
    Side effect: the mentor is notified (not again when it is already shared with them)."""
    locked = Reflection.objects.select_for_update().select_related("user").get(pk=reflection.pk)
    if mentor is None or mentor.pk not in reflection_mentor_ids(user=locked.user) or not mentor.is_active:
        raise ValidationError(
            {
                "mentor": _(
                    "You can share a reflection only with a mentor you work with: the mentor of one of your goals, "
                    "or a mentor you have had a confirmed session with."
                )
            }
        )
    if locked.shared_with_id == mentor.pk:
        return locked
    if locked.mentor_feedback_at is not None:
        raise ApplicationError(
            _("This reflection already has a mentor's feedback, so it cannot be shared with someone else.")
        )
    locked.shared_with = mentor
    locked.shared_at = timezone.now()
    locked.save(update_fields=["shared_with", "shared_at", "updated_at"])
    owner = locked.user.get_full_name() or locked.user.email
    notification_send(
        user=mentor,
        type=GrowthNotification.REFLECTION_SHARED,
        title=_("%(name)s shared a reflection with you") % {"name": owner},
        message=_("Their reflection of %(date)s is in your inbox; you can leave one feedback.")
        % {"date": date_format(locked.date, "DATE_FORMAT")},
        related=locked,
        action_url=reverse("growth:reflection-shared-detail", kwargs={"pk": locked.pk}),
    )
    return locked


@transaction.atomic
def reflection_unshare(*, reflection: Reflection) -> Reflection:
    """Stop sharing: the mentor no longer sees the reflection (a 404 for them). Any feedback
    already given stays with the owner. Idempotent."""
    locked = Reflection.objects.select_for_update().get(pk=reflection.pk)
    if locked.shared_with_id is None:
        return locked
    locked.shared_with = None
    locked.shared_at = None
    locked.save(update_fields=["shared_with", "shared_at", "updated_at"])
    return locked


@transaction.atomic
def reflection_feedback_give(*, reflection: Reflection, mentor: User, feedback: str) -> Reflection:
    """The mentor the reflection is shared with leaves their one feedback.

    Preconditions: the caller found the reflection through
    ``reflection_get_for_mentor(mentor=…)``; it is checked again under the row lock (a
    reflection unshared meanwhile is a 409). ``ValidationError`` for an empty or over-long
    text; ``ApplicationError`` (409) when feedback was already given. Side effect: the owner
    is notified.
    """
    text = (feedback or "").strip()
    limit = field_max_length(Reflection, "mentor_feedback")
    if not text:
        raise ValidationError({"feedback": _("Write your feedback first.")})
    if len(text) > limit:
        raise ValidationError({"feedback": _("Keep it under %(count)d characters.") % {"count": limit}})
    locked = Reflection.objects.select_for_update().select_related("user").get(pk=reflection.pk)
    if locked.shared_with_id != mentor.pk:
        raise ApplicationError(_("This reflection is no longer shared with you."))
    if locked.mentor_feedback_at is not None:
        raise ApplicationError(_("You have already given your feedback on this reflection."))
    locked.mentor_feedback = text
    locked.mentor_feedback_at = timezone.now()
    locked.save(update_fields=["mentor_feedback", "mentor_feedback_at", "updated_at"])
    notification_send(
        user=locked.user,
        type=GrowthNotification.REFLECTION_FEEDBACK,
        title=_("%(name)s left feedback on your reflection") % {"name": mentor.get_full_name() or _("Your mentor")},
        message=_("Your reflection of %(date)s has feedback from your mentor.")
        % {"date": date_format(locked.date, "DATE_FORMAT")},
        related=locked,
        action_url=reverse("growth:reflection-detail", kwargs={"pk": locked.pk}),
    )
    return locked


def reflection_reminders_send(*, now: datetime | None = None) -> int:
    """Remind every user for whom it is Sunday 18:00 or later in their own zone and whose
    weekly reflection of that Sunday is missing — once per Sunday: each reminder is claimed
    by inserting ``ReminderSent(kind=reflection, local_date=<Sunday>)`` (unique) in the same
    transaction as the notification, so two runs never send it twice. Returns how many were
    sent."""
    sent = 0
    for user in reflection_reminder_due_users(now=now or timezone.now()):
        sent += reminder_claim_and_notify(
            user=user,
            kind=ReminderSent.Kind.REFLECTION,
            local_date=user.sunday,
            type=GrowthNotification.REFLECTION_REMINDER,
            title=_("Time for your weekly reflection"),
            message=_("What went well this week, what felt hard, what did you learn? Two minutes is enough."),
            action_url=reverse("growth:reflection-write") + "?kind=weekly",
        )
    return sent
