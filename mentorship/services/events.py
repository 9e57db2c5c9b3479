"""Community events: hosting (verified mentors and staff), registration with a waitlist,
cancellations and attendance (DESIGN.md §2 "Event and attendance").

Decisions:

- Registration never exceeds ``max_attendees``, also under concurrent requests: every
  change of an event's attendances first locks the event's row, then counts. When the event
  is full (or people are already waiting) the newcomer joins the waitlist, ordered by
  ``waitlisted_at``. Registering again is idempotent; registering after cancelling reuses
  the attendance (there is one per event and user) and goes to the back of the queue.
- An attendee cancels a seat until 24 h before the start; leaving the waitlist is allowed
  until the start (it costs nobody a seat). A freed seat goes to the first person waiting,
  who is notified; raising ``max_attendees`` promotes the same way.
- The host (or staff) cancels the event until 24 h before the start, with a reason; everyone
  registered or waiting is notified. The attendances keep their status: the event's status
  says it is cancelled, and calendars keep showing it as cancelled for a while.
- The host (or staff) marks registered attendees attended or no-show once the event started.
- Every change of an event bumps its ``sequence`` (iCalendar SEQUENCE). When its time or
  place changes, everyone registered or waiting is told; when its time changes, the day-before
  reminder goes out again for the new time.

Paid events (``price_cents`` > 0) sell their seats through learning's payments (purchase
kind ``event_seat``, the attendance being the item):

- Registering while a seat is free holds it for 30 minutes (status ``awaiting_payment``
  until ``payment_due_at``; it counts against ``max_attendees`` like a registered seat) and
  the person pays through Stripe Checkout (:func:`event_seat_checkout_start`, one line: the
  event's title and price in the site's currency). Stripe's confirmation registers them
  (:func:`event_seat_fulfil`); a payment that arrives once the hold is gone is refunded in
  full by learning. Without Stripe keys paid events take no registrations (the message
  says payments are not configured); free events work as before.
- A seat that opens up goes to the first person waiting as before; at a paid event it is
  held for them for 24 hours (never past the start), they are notified and e-mailed (also
  when e-mail copies of the type are off: they asked to be told by joining the waitlist)
  and pay from the event's page. A hold not paid in time is let go by
  :func:`event_seat_holds_expire` (a periodic task) or by learning when the hold of its
  payment runs out (:func:`event_seat_release`), and the seat goes to the next in line.
  Someone who already paid for their place (given up later than the refund deadline, then
  back) gets a seat without paying again.
- Refunds by rule, each once (learning's ``payment_refund_by_rule``): the host cancelling
  the event refunds every seat bought (``event_cancelled``); an attendee giving up a paid
  seat until ``EVENT_CANCEL_FULL_REFUND_HOURS`` (default 24) before the start gets it back
  in full (``seat_given_up``), later nothing; giving up a held seat cancels its unfinished
  payment.
- The price is fixed once anyone holds, has bought or waits for a seat: everyone pays the
  price they were shown.

Who may act is checked here too (``mentorship.rules``): someone who may not manage an event
gets ``Http404``, someone who may not host gets ``PermissionDenied``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from core.money import money_display, site_currency
from core.reminders import ReminderKind, ReminderSource, reminder_window, reminders_send
from core.validators import normalize_tag_list, validate_tag_list
from learning.registry import PaymentFacts
from learning.selectors.payments import payments_for_items
from learning.services.payments import (
    PriceLine,
    payment_cancel_unpaid,
    payment_checkout_start,
    payment_refund_by_rule,
    payment_refundable_cents,
    payments_configured,
)
from mentorship.models import SEATED, SEATS_TAKEN, Event, EventAttendance, Venue
from mentorship.notifications import MentorshipNotification
from mentorship.rules import can_host_events, can_manage_event
from mentorship.services.sessions import session_local_time

if TYPE_CHECKING:
    from accounts.models import User

TITLE_MAX_LENGTH = Event._meta.get_field("title").max_length or 200
DESCRIPTION_MAX_LENGTH = 10000
MEETING_LINK_MAX_LENGTH = Event._meta.get_field("meeting_link").max_length or 500
REASON_MAX_LENGTH = 500
DURATION_MIN, DURATION_MAX = 15, 720
MAX_ATTENDEES_LIMIT = 10000
PRICE_MAX_CENTS = 1_000_000
CHANGE_NOTICE = timedelta(hours=24)
EVENT_FIELDS = (
    "title",
    "description",
    "type",
    "start_at",
    "duration_minutes",
    "max_attendees",
    "is_virtual",
    "meeting_link",
    "venue",
    "price_cents",
    "tags",
)
# Places that are not over: a seat, a seat held awaiting payment, a place in line.
ACTIVE = (
    EventAttendance.Status.REGISTERED,
    EventAttendance.Status.AWAITING_PAYMENT,
    EventAttendance.Status.WAITLISTED,
)
PURCHASE_KIND = EventAttendance.PURCHASE_KIND
SEAT_HOLD = timedelta(minutes=30)  # registering for a paid event: time to pay
OFFER_HOLD = timedelta(hours=24)  # a seat offered from the waitlist: time to pay
RULE_EVENT_CANCELLED = "event_cancelled"
RULE_SEAT_GIVEN_UP = "seat_given_up"
# learning's Payment statuses of a payment that took the money (learning.models.Payment.Status).
PAID_STATUSES = ("succeeded", "partially_refunded")
NOT_CONFIGURED_MESSAGE = gettext_lazy(
    "Payments are not configured on this site yet, so seats at paid events cannot be booked. Free events are open."
)


class Registration(NamedTuple):
    """The outcome of :func:`event_register`: the attendance and whether it changed."""

    attendance: EventAttendance
    created: bool


class Withdrawal(NamedTuple):
    """The outcome of :func:`event_unregister`: the cancelled attendance and whether the
    seat's payment is being refunded."""

    attendance: EventAttendance
    refunded: bool


@dataclass(frozen=True)
class SeatCheckout:
    """A Checkout opened for a held seat: where its holder pays."""

    attendance: EventAttendance
    checkout_url: str


def event_url(event: Event) -> str:
    """The event's page."""
    return reverse("mentorship:event-detail", kwargs={"pk": event.pk})


def _when(event: Event) -> str:
    local = timezone.localtime(event.start_at)
    return f"{formats.date_format(local, 'DAY_DATETIME_FORMAT')} {local.tzname()}"


def _clean_tags(value: Any, errors: dict[str, str]) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, (list, tuple)) or not all(isinstance(tag, str) for tag in value):
        errors["tags"] = _("Tags are a list of words.")
        return []
    tags = normalize_tag_list(list(value))
    try:
        validate_tag_list(tags)
    except ValidationError as exc:
        errors["tags"] = exc.messages[0]
    return tags


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _clean_text(data: dict[str, Any], cleaned: dict[str, Any], errors: dict[str, str]) -> None:
    if "title" in data:
        cleaned["title"] = " ".join((data["title"] or "").split())
        if not cleaned["title"]:
            errors["title"] = _("Give the event a title.")
        elif len(cleaned["title"]) > TITLE_MAX_LENGTH:
            errors["title"] = _("Keep the title under %(max)d characters.") % {"max": TITLE_MAX_LENGTH}
    if "description" in data:
        cleaned["description"] = (data["description"] or "").strip()
        if not cleaned["description"]:
            errors["description"] = _("Describe the event: what happens, who it is for.")
        elif len(cleaned["description"]) > DESCRIPTION_MAX_LENGTH:
            errors["description"] = _("Keep the description under %(max)d characters.") % {
                "max": DESCRIPTION_MAX_LENGTH
            }
    if "type" in data and data["type"] not in Event.Type.values:
        errors["type"] = _("Choose one of: %(types)s.") % {"types": ", ".join(Event.Type.values)}
    if "tags" in data:
        cleaned["tags"] = _clean_tags(data["tags"], errors)


# Whole-number fields: (lowest, highest, message).
RANGES: dict[str, tuple[int, int, str]] = {
    "duration_minutes": (DURATION_MIN, DURATION_MAX, "The duration is from %(min)d to %(max)d minutes."),
    "max_attendees": (1, MAX_ATTENDEES_LIMIT, "Allow from %(min)d to %(max)d attendees."),
    "price_cents": (0, PRICE_MAX_CENTS, "The price is from %(min)d to %(max)d cents."),
}


def _clean_numbers(data: dict[str, Any], errors: dict[str, str], *, now: datetime) -> None:
    if "start_at" in data:
        start_at = data["start_at"]
        if not isinstance(start_at, datetime) or timezone.is_naive(start_at):
            errors["start_at"] = _("Enter a valid start date and time.")
        elif start_at <= now:
            errors["start_at"] = _("The start must be in the future.")
    for name, (lowest, highest, message) in RANGES.items():
        if name in data and not (_whole(data[name]) and lowest <= data[name] <= highest):
            errors[name] = _(message) % {"min": lowest, "max": highest}


def _clean_place(
    data: dict[str, Any], cleaned: dict[str, Any], errors: dict[str, str], *, current: Event | None
) -> None:
    if "venue" in data and data["venue"] is not None and not isinstance(data["venue"], Venue):
        errors["venue"] = _("Choose a venue from the list.")
    if "is_virtual" in data:
        cleaned["is_virtual"] = bool(data["is_virtual"])
    if "meeting_link" in data:
        cleaned["meeting_link"] = link = (data["meeting_link"] or "").strip()
        if len(link) > MEETING_LINK_MAX_LENGTH:
            errors["meeting_link"] = _("Keep the meeting link under %(max)d characters.") % {
                "max": MEETING_LINK_MAX_LENGTH
            }
        elif link:
            try:
                URLValidator(schemes=["https", "http"])(link)
            except ValidationError:
                errors["meeting_link"] = _("Enter the meeting link as a full web address (https://…).")
    is_virtual = cleaned.get("is_virtual", bool(current and current.is_virtual))
    link = cleaned.get("meeting_link", current.meeting_link if current else "")
    if is_virtual and not link and "meeting_link" not in errors:
        errors["meeting_link"] = _("A virtual event needs a meeting link.")


def event_clean(data: dict[str, Any], *, current: Event | None, now: datetime) -> dict[str, Any]:
    """The given fields of :data:`EVENT_FIELDS` checked and normalised (all of them when
    creating: ``current`` is then None); rules that involve two fields use ``current`` for
    the one not given. ``ValidationError`` with every problem by field. Used by
    :func:`event_create` and :func:`event_update`, and by forms that want the same messages
    before saving (admin)."""
    errors: dict[str, str] = {}
    cleaned = dict(data)
    _clean_text(data, cleaned, errors)
    _clean_numbers(data, errors, now=now)
    _clean_place(data, cleaned, errors, current=current)
    if errors:
        raise ValidationError(errors)
    return cleaned


def event_create(
    *,
    user: User,
    title: str,
    description: str,
    type: str,
    start_at: datetime,
    duration_minutes: int,
    max_attendees: int,
    is_virtual: bool = False,
    meeting_link: str = "",
    venue: Venue | None = None,
    price_cents: int = 0,
    tags: Iterable[str] = (),
) -> Event:
    """Create an event hosted by ``user``, who must be a verified mentor or staff
    (``PermissionDenied`` otherwise). ``ValidationError`` for a start that is not in the
    future, a virtual event without a meeting link, an out-of-range duration (15–720 min),
    capacity (≥ 1) or price, or empty title or description; nothing is saved then."""
    if not can_host_events(user):
        raise PermissionDenied(_("Only verified mentors and staff host events."))
    data = event_clean(
        {
            "title": title,
            "description": description,
            "type": type,
            "start_at": start_at,
            "duration_minutes": duration_minutes,
            "max_attendees": max_attendees,
            "is_virtual": is_virtual,
            "meeting_link": meeting_link,
            "venue": venue,
            "price_cents": price_cents,
            "tags": list(tags),
        },
        current=None,
        now=timezone.now(),
    )
    return Event.objects.create(host=user, **data)


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update(of=("self",)).select_related("venue", "host").get(pk=event.pk)


def _require_manager(user: User, event: Event) -> None:
    if not can_manage_event(user, event):
        raise Http404(_("There is no such event among the ones you host."))


def _require_scheduled(event: Event) -> None:
    if event.status == Event.Status.CANCELLED:
        raise ApplicationError(_("This event was cancelled."))


def _seats_taken(event: Event) -> int:
    """Seats taken at ``event``: registered (or marked) and held awaiting payment."""
    return EventAttendance.objects.filter(event=event, status__in=SEATS_TAKEN).count()


def event_refund_deadline(event: Event) -> datetime:
    """Until when a paid seat given up is refunded in full: ``EVENT_CANCEL_FULL_REFUND_HOURS``
    before the start (later, nothing is refunded)."""
    return event.start_at - timedelta(hours=settings.EVENT_CANCEL_FULL_REFUND_HOURS)


def _pay_by(event: Event, *, now: datetime, hold: timedelta) -> datetime:
    """The end of a seat's hold starting ``now``: ``hold`` later, never past the start."""
    return min(now + hold, event.start_at)


def _seats_paid(attendance_ids: Iterable[Any]) -> set[Any]:
    """The attendances (of ``attendance_ids``) whose seat was bought and not refunded — by
    someone who gave up a paid seat without a refund and came back. One query, plus one per
    such payment."""
    payments = payments_for_items(kind=PURCHASE_KIND, item_ids=attendance_ids)
    return {
        item_id
        for item_id, payment in payments.items()
        if payment.status in PAID_STATUSES and payment_refundable_cents(payment) > 0
    }


def _promote(event: Event, *, now: datetime) -> list[EventAttendance]:
    """Give the free seats of ``event`` (locked by the caller) to the people waiting, first
    come first served, and notify each. At a paid event the seat is held for them for
    :data:`OFFER_HOLD` (never past the start) until they pay, unless they already paid for
    their place; the offer is also e-mailed whatever their preference (they asked to be
    told by joining the waitlist)."""
    free = event.max_attendees - _seats_taken(event)
    if free <= 0:
        return []
    waiting = list(
        EventAttendance.objects.filter(event=event, status=EventAttendance.Status.WAITLISTED)
        .select_related("user")
        .order_by("waitlisted_at", "created_at", "id")[:free]
    )
    paid = _seats_paid(attendance.pk for attendance in waiting) if event.price_cents else set()
    for attendance in waiting:
        if event.price_cents and attendance.pk not in paid:
            attendance.status = EventAttendance.Status.AWAITING_PAYMENT
            attendance.payment_due_at = _pay_by(event, now=now, hold=OFFER_HOLD)
            attendance.save(update_fields=["status", "payment_due_at", "updated_at"])
            notification_send(
                user=attendance.user,
                type=MentorshipNotification.EVENT_WAITLIST_PROMOTED,
                title=_("A seat is yours if you pay: %(title)s") % {"title": event.title},
                message=_(
                    "A seat opened up at %(title)s on %(when)s. It is held for you until %(due)s: pay %(price)s "
                    "on the event's page to take it. Unpaid by then, it goes to the next person waiting."
                )
                % {
                    "title": event.title,
                    "when": session_local_time(when=event.start_at, user=attendance.user),
                    "due": session_local_time(when=attendance.payment_due_at, user=attendance.user),
                    "price": money_display(event.price_cents),
                },
                related=event,
                action_url=event_url(event),
                email=True,
            )
            continue
        attendance.status = EventAttendance.Status.REGISTERED
        attendance.registered_at = now
        attendance.save(update_fields=["status", "registered_at", "updated_at"])
        notification_send(
            user=attendance.user,
            type=MentorshipNotification.EVENT_WAITLIST_PROMOTED,
            title=_("A seat is yours: %(title)s") % {"title": event.title},
            message=_("A seat opened up and you are now registered for %(title)s on %(when)s.")
            % {"title": event.title, "when": _when(event)},
            related=event,
            action_url=event_url(event),
        )
    return waiting


def event_changes_clean(*, event: Event, data: dict[str, Any], now: datetime) -> dict[str, Any]:
    """``data`` (some of :data:`EVENT_FIELDS`) checked as a change of ``event``: a cancelled
    event or one that has started cannot change (``ApplicationError``); the fields follow
    :func:`event_clean`, and ``max_attendees`` cannot go below the seats already taken
    (``ValidationError``). Used by :func:`event_update` under the event's lock, and by forms
    that want the messages before saving (admin)."""
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    _require_scheduled(event)
    if event.start_at <= now:
        raise ApplicationError(_("This event has started: it can no longer be changed."))
    data = event_clean(data, current=event, now=now)
    if (
        "price_cents" in data
        and data["price_cents"] != event.price_cents
        and EventAttendance.objects.filter(event=event, status__in=ACTIVE).exists()
    ):
        raise ValidationError(
            {"price_cents": _("The price cannot change once people have registered or are waiting for a seat.")}
        )
    if "max_attendees" in data:
        taken = _seats_taken(event)
        if data["max_attendees"] < taken:
            raise ValidationError(
                {"max_attendees": _("%(count)d people are registered: allow at least that many.") % {"count": taken}}
            )
    return data


@transaction.atomic
def event_update(*, user: User, event: Event, data: dict[str, Any]) -> Event:
    """Change some of :data:`EVENT_FIELDS` of an event ``user`` hosts (or any, for staff;
    others get ``Http404``) under the rules of :func:`event_changes_clean`; raising
    ``max_attendees`` promotes people waiting. Bumps ``sequence`` when something changed. A
    new time or place is told to everyone registered or waiting (``event_changed``); a new
    time also resets the day-before reminders, which then go out for the new time."""
    _require_manager(user, event)
    now = timezone.now()
    event = _locked(event)
    data = event_changes_clean(event=event, data=data, now=now)
    changed = [name for name, value in data.items() if getattr(event, name) != value]
    if not changed:
        return event
    old_start = event.start_at
    for name in changed:
        setattr(event, name, data[name])
    event.sequence += 1
    event.save(update_fields=[*changed, "sequence", "updated_at"])
    if "start_at" in changed:
        # The reminder of the old time no longer counts: one goes out for the new time.
        EventAttendance.objects.filter(event=event).update(reminder_sent_at=None)
    if "max_attendees" in changed:
        _promote(event, now=now)
    if MOVING_FIELDS.intersection(changed):
        _notify_changed(event, old_start=old_start, moved="start_at" in changed)
    return event


# Changes that people registered or waiting must hear of: when and where it happens.
MOVING_FIELDS = frozenset({"start_at", "duration_minutes", "is_virtual", "meeting_link", "venue"})


def _notify_changed(event: Event, *, old_start: datetime, moved: bool) -> None:
    """Tell everyone registered or waiting when and where ``event`` now happens, each in
    their own time zone (and when it was, if it moved)."""
    if event.is_virtual:
        place = _("Online; the meeting link is on the event's page.")
    elif event.venue is not None:
        place = _("At %(venue)s, %(city)s.") % {"venue": event.venue.name, "city": event.venue.city}
    else:
        place = ""
    for attendance in EventAttendance.objects.filter(event=event, status__in=ACTIVE).select_related("user"):
        when = session_local_time(when=event.start_at, user=attendance.user)
        was = (
            _(" (it was on %(old)s)") % {"old": session_local_time(when=old_start, user=attendance.user)}
            if moved
            else ""
        )
        notification_send(
            user=attendance.user,
            type=MentorshipNotification.EVENT_CHANGED,
            title=(_("Event moved: %(title)s") if moved else _("Event changed: %(title)s")) % {"title": event.title},
            message=_("%(title)s is now on %(when)s, %(minutes)d minutes%(was)s. %(place)s")
            % {
                "title": event.title,
                "when": when,
                "minutes": event.duration_minutes,
                "was": was,
                "place": place,
            },
            related=event,
            action_url=event_url(event),
        )


@transaction.atomic
def event_register(*, user: User, event: Event) -> Registration:
    """Register ``user`` for ``event``: a seat while there is one and nobody is waiting,
    else a place on the waitlist (``status`` says which). At a paid event the seat is held
    for :data:`SEAT_HOLD` (status ``awaiting_payment``, never past the start) until they pay
    (:func:`event_seat_checkout_start`), unless they already paid for their place.
    Idempotent: registering again returns the same attendance (``created`` False).
    ``ApplicationError`` when the event is cancelled or has started, for its host, or for a
    paid event while payments are not configured. Locks the event's row, so concurrent
    registrations (held seats included) never exceed ``max_attendees``. Notifies ``user``
    (EVENT_REGISTERED) when registered or waiting; a held seat is told of once paid."""
    now = timezone.now()
    event = _locked(event)
    _require_scheduled(event)
    if event.start_at <= now:
        raise ApplicationError(_("This event has already started."))
    if event.host_id == user.pk:
        raise ApplicationError(_("You host this event: hosts do not register."))
    attendance = EventAttendance.objects.filter(event=event, user=user).first()
    if attendance is not None and attendance.status != EventAttendance.Status.CANCELLED:
        return Registration(attendance, created=False)
    if event.price_cents and not payments_configured():
        raise ApplicationError(str(NOT_CONFIGURED_MESSAGE))
    waiting = EventAttendance.objects.filter(event=event, status=EventAttendance.Status.WAITLISTED).exists()
    seated = not waiting and _seats_taken(event) < event.max_attendees
    held = (
        seated and bool(event.price_cents) and (attendance is None or attendance.pk not in _seats_paid([attendance.pk]))
    )
    if attendance is None:
        attendance = EventAttendance(event=event, user=user)
    if held:
        attendance.status = EventAttendance.Status.AWAITING_PAYMENT
    else:
        attendance.status = EventAttendance.Status.REGISTERED if seated else EventAttendance.Status.WAITLISTED
    attendance.registered_at = now if seated and not held else None
    attendance.waitlisted_at = None if seated else now
    attendance.payment_due_at = _pay_by(event, now=now, hold=SEAT_HOLD) if held else None
    attendance.cancelled_at = None
    attendance.save()
    if held:
        return Registration(attendance, created=True)
    if seated:
        title = _("You are registered: %(title)s") % {"title": event.title}
        message = _("See you on %(when)s.") % {"when": _when(event)}
    else:
        title = _("You are on the waitlist: %(title)s") % {"title": event.title}
        message = _("The event is full. If a seat opens up it goes to the first person waiting, and we tell you.")
    notification_send(
        user=user,
        type=MentorshipNotification.EVENT_REGISTERED,
        title=title,
        message=message,
        related=event,
        action_url=event_url(event),
    )
    return Registration(attendance, created=True)


@transaction.atomic
def event_unregister(*, user: User, event: Event) -> Withdrawal:
    """Cancel ``user``'s seat (until 24 h before the start), or give up a seat held for them
    or leave the waitlist (until the start); ``ApplicationError`` otherwise, or when they
    have no place, or the event was cancelled. A paid seat given up until
    :func:`event_refund_deadline` is refunded in full, later not at all; a held seat's
    unfinished payment is cancelled. A freed seat goes to the first person waiting."""
    now = timezone.now()
    event = _locked(event)
    _require_scheduled(event)
    attendance = EventAttendance.objects.filter(event=event, user=user, status__in=ACTIVE).first()
    if attendance is None:
        raise ApplicationError(_("You are not registered for this event."))
    if attendance.status == EventAttendance.Status.REGISTERED and now > event.start_at - CHANGE_NOTICE:
        raise ApplicationError(_("Registrations can be cancelled until 24 hours before the start."))
    if now >= event.start_at:
        raise ApplicationError(_("This event has already started."))
    refunded = _give_up(event, attendance, now=now)
    return Withdrawal(attendance, refunded=refunded)


def _give_up(event: Event, attendance: EventAttendance, *, now: datetime) -> bool:
    """Cancel ``attendance`` at ``event`` (locked by the caller): a held seat's unfinished
    payment is cancelled, a paid seat is refunded in full until :func:`event_refund_deadline`,
    and a freed seat goes to the first person waiting. Returns whether a refund was asked."""
    previous = attendance.status
    attendance.status = EventAttendance.Status.CANCELLED
    attendance.cancelled_at = now
    attendance.save(update_fields=["status", "cancelled_at", "updated_at"])
    refunded = False
    if previous == EventAttendance.Status.AWAITING_PAYMENT:
        payment_cancel_unpaid(kind=PURCHASE_KIND, item_id=attendance.pk)
    elif previous == EventAttendance.Status.REGISTERED and now <= event_refund_deadline(event):
        refund = payment_refund_by_rule(
            kind=PURCHASE_KIND,
            item_id=attendance.pk,
            rule=RULE_SEAT_GIVEN_UP,
            reason=_("Seat at %(title)s given up at least %(hours)d hours before the start.")
            % {"title": event.title, "hours": settings.EVENT_CANCEL_FULL_REFUND_HOURS},
        )
        refunded = refund is not None
    if previous != EventAttendance.Status.WAITLISTED and event.status == Event.Status.SCHEDULED:
        _promote(event, now=now)
    return refunded


@transaction.atomic
def event_cancel(*, user: User, event: Event, reason: str) -> Event:
    """Cancel an event ``user`` hosts (staff: any; others ``Http404``) until 24 h before its
    start, with a reason (``ValidationError`` when empty); ``ApplicationError`` when it is
    too late or already cancelled. Bumps ``sequence``; everyone registered or waiting is
    notified (EVENT_CANCELLED)."""
    _require_manager(user, event)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell attendees why the event is cancelled.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("Keep the reason under %(max)d characters.") % {"max": REASON_MAX_LENGTH}})
    now = timezone.now()
    event = _locked(event)
    if event.status == Event.Status.CANCELLED:
        raise ApplicationError(_("This event is already cancelled."))
    if now > event.start_at - CHANGE_NOTICE:
        raise ApplicationError(_("Events can be cancelled until 24 hours before the start."))
    _call_off(event, reason=reason, now=now)
    return event


def _call_off(event: Event, *, reason: str, now: datetime) -> None:
    """Cancel the (locked) event, bump its sequence, refund every seat bought (rule
    ``event_cancelled``, once each), end the holds of seats awaiting payment (their
    unfinished payments cancelled) and notify everyone registered, holding a seat or
    waiting. The other attendances keep their status."""
    event.status = Event.Status.CANCELLED
    event.cancelled_at = now
    event.cancel_reason = reason
    event.sequence += 1
    event.save(update_fields=["status", "cancelled_at", "cancel_reason", "sequence", "updated_at"])
    attendances = list(EventAttendance.objects.filter(event=event).select_related("user"))
    # Everyone who ever paid for a place, also those who gave it up without a refund.
    bought = payments_for_items(kind=PURCHASE_KIND, item_ids=[attendance.pk for attendance in attendances])
    for attendance in attendances:
        refund = None
        if attendance.pk in bought:
            refund = payment_refund_by_rule(
                kind=PURCHASE_KIND,
                item_id=attendance.pk,
                rule=RULE_EVENT_CANCELLED,
                reason=_("The host cancelled %(title)s: %(reason)s") % {"title": event.title, "reason": reason},
            )
        if attendance.status == EventAttendance.Status.AWAITING_PAYMENT:
            payment_cancel_unpaid(kind=PURCHASE_KIND, item_id=attendance.pk)
            attendance.status = EventAttendance.Status.CANCELLED
            attendance.cancelled_at = now
            attendance.save(update_fields=["status", "cancelled_at", "updated_at"])
        elif attendance.status not in ACTIVE:
            continue
        message = _("%(title)s on %(when)s is cancelled. The host says: %(reason)s") % {
            "title": event.title,
            "when": _when(event),
            "reason": reason,
        }
        if refund is not None:
            message += " " + _("What you paid is refunded in full.")
        notification_send(
            user=attendance.user,
            type=MentorshipNotification.EVENT_CANCELLED,
            title=_("Event cancelled: %(title)s") % {"title": event.title},
            message=message,
            related=event,
            action_url=event_url(event),
        )


@transaction.atomic
def events_release_for_erased_user(*, user: User, reason: str) -> None:
    """Account deletion: the upcoming events ``user`` hosts are cancelled with ``reason``
    (attendees notified and refunded, whatever the notice left) and their places at upcoming
    events are given up as in :func:`event_unregister` (a held seat's payment cancelled, a
    paid seat refunded until the refund deadline; a freed seat goes to the first person
    waiting, notified)."""
    now = timezone.now()
    for event in Event.objects.filter(host=user, status=Event.Status.SCHEDULED, start_at__gt=now):
        _call_off(_locked(event), reason=reason, now=now)
    places = EventAttendance.objects.filter(user=user, event__start_at__gt=now, status__in=ACTIVE)
    for attendance in places.select_related("event"):
        _give_up(_locked(attendance.event), attendance, now=now)


MARKABLE = (EventAttendance.Status.ATTENDED, EventAttendance.Status.NO_SHOW)


@transaction.atomic
def event_attendance_mark(*, user: User, event: Event, attendance_id: Any, status: str) -> EventAttendance:
    """Mark a registered attendee of an event ``user`` hosts (staff: any; others and unknown
    attendances ``Http404``) as ``attended`` or ``no_show`` (``ValidationError`` for another
    status), once the event has started (``ApplicationError`` before, for a cancelled event,
    or for someone who is waiting or cancelled). Marking again corrects the mark."""
    _require_manager(user, event)
    if status not in MARKABLE:
        raise ValidationError({"status": _("Mark attendees as attended or no_show.")})
    event = _locked(event)
    _require_scheduled(event)
    attendance = EventAttendance.objects.filter(event=event, pk=attendance_id).select_related("user").first()
    if attendance is None:
        raise Http404(_("There is no such attendee."))
    if timezone.now() < event.start_at:
        raise ApplicationError(_("Attendance can be marked once the event has started."))
    if attendance.status not in SEATED:
        raise ApplicationError(_("Only registered attendees can be marked (this person was not registered)."))
    if attendance.status != status:
        attendance.status = status
        attendance.save(update_fields=["status", "updated_at"])
    return attendance


REMINDER_LEAD = timedelta(hours=24)
REMINDER_KIND = ReminderKind("24h", REMINDER_LEAD, "reminder_sent_at")


def _due_for_reminder(kind: ReminderKind, now: datetime) -> QuerySet[EventAttendance]:
    """Seats whose reminder is due and was not sent (:func:`core.reminders.reminder_window`):
    a scheduled event starting within :data:`REMINDER_LEAD` that has not started, for people
    registered before that window opened (those who registered later just got the time in
    their registration notice)."""
    window = reminder_window(source_kinds=(kind,), kind=kind, start_field="event__start_at", now=now)
    return EventAttendance.objects.filter(
        window,
        status=EventAttendance.Status.REGISTERED,
        event__status=Event.Status.SCHEDULED,
        registered_at__lt=F("event__start_at") - kind.lead,
    )


def _remind(attendance_id: Any, kind: ReminderKind) -> None:
    attendance = EventAttendance.objects.select_related("event", "user").get(pk=attendance_id)
    event = attendance.event
    notification_send(
        user=attendance.user,
        type=MentorshipNotification.EVENT_REMINDER,
        title=_("Coming up: %(title)s") % {"title": event.title},
        message=_("It starts on %(when)s.") % {"when": session_local_time(when=event.start_at, user=attendance.user)},
        related=event,
        action_url=event_url(event),
    )


EVENT_REMINDERS = ReminderSource(
    key="mentorship-events", kinds=(REMINDER_KIND,), due=_due_for_reminder, send=_remind, order=20
)


def event_reminders_send(*, now: datetime | None = None) -> int:
    """Remind each registered attendee once, 24 hours before the event, with the start in
    their own time zone (EVENT_REMINDER), by the one engine of :mod:`core.reminders` (source
    :data:`EVENT_REMINDERS`). Each attendance is claimed by a conditional UPDATE in the
    transaction that stores the notification (a failure rolls the claim back), so running
    twice, or two workers at once, never reminds anyone twice. Cancelled events, given-up
    seats and started events are never reminded. Returns how many went out."""
    return reminders_send(source=EVENT_REMINDERS, now=now)


# --- Paid seats (learning's purchase kind ``event_seat``) ---------------------------------


def event_seat_checkout_start(*, user: User, event: Event, success_url: str, cancel_url: str) -> SeatCheckout:
    """Open a Stripe Checkout for the seat held for ``user`` at ``event`` (after registering,
    or offered from the waitlist): one line, the event's title and price in the site's
    currency, held until the seat's ``payment_due_at``. An unfinished checkout of the seat
    is cancelled first, so coming back to pay again always works. ``ApplicationError`` when
    payments are not configured, no seat is held for ``user`` or its time to pay is over,
    and the checkout's own refusals (Stripe unreachable: nothing changes). The attendance's
    row stays locked while Stripe answers, so two clicks cannot open two checkouts."""
    if not payments_configured():
        raise ApplicationError(str(NOT_CONFIGURED_MESSAGE))
    with transaction.atomic():
        attendance = (
            EventAttendance.objects.select_for_update(of=("self",)).filter(event_id=event.pk, user_id=user.pk).first()
        )
        if attendance is None or attendance.status != EventAttendance.Status.AWAITING_PAYMENT:
            raise ApplicationError(_("No seat is held for you at this event: register first."))
        due = attendance.payment_due_at
        if due is None or due <= timezone.now():
            raise ApplicationError(_("The time to pay for this seat is over: it goes to the next person waiting."))
        payment_cancel_unpaid(kind=PURCHASE_KIND, item_id=attendance.pk)
        started = payment_checkout_start(
            user=user,
            kind=PURCHASE_KIND,
            item_id=attendance.pk,
            description=event.title,
            lines=[PriceLine(label=event.title, amount_cents=event.price_cents)],
            currency=site_currency(),
            hold_until=due,
            success_url=success_url,
            cancel_url=cancel_url,
        )
    return SeatCheckout(attendance=attendance, checkout_url=started.checkout_url)


@transaction.atomic
def event_seat_fulfil(facts: PaymentFacts) -> bool:
    """Learning's ``fulfil`` for a seat whose payment succeeded (in the webhook's
    transaction): the held seat becomes a registration and its holder is notified. ``False``
    — learning then refunds the payment in full — when the seat is no longer held for the
    payer (its hold ended and it moved on, it was given up, it is already paid) or the event
    was cancelled or has started. A hold past its time that was not let go yet still counts:
    nobody else had the seat."""
    found = EventAttendance.objects.filter(pk=facts.item_id, user_id=facts.user_id).select_related("event").first()
    if found is None:
        return False
    event = _locked(found.event)
    attendance = EventAttendance.objects.select_related("user").get(pk=found.pk)
    now = timezone.now()
    if (
        attendance.status != EventAttendance.Status.AWAITING_PAYMENT
        or event.status != Event.Status.SCHEDULED
        or event.start_at <= now
    ):
        return False
    attendance.status = EventAttendance.Status.REGISTERED
    attendance.registered_at = now
    attendance.payment_due_at = None
    attendance.save(update_fields=["status", "registered_at", "payment_due_at", "updated_at"])
    notification_send(
        user=attendance.user,
        type=MentorshipNotification.EVENT_REGISTERED,
        title=_("You are registered: %(title)s") % {"title": event.title},
        message=_("Your payment is received. See you on %(when)s.")
        % {"when": session_local_time(when=event.start_at, user=attendance.user)},
        related=event,
        action_url=event_url(event),
    )
    return True


def _hold_end(event: Event, attendance_id: Any, *, now: datetime) -> bool:
    """Let go the seat held by ``attendance_id`` at ``event`` (locked by the caller) if it is
    still held and its time to pay is over: the attendance is cancelled (``payment_due_at``
    kept, so its page says why), an unfinished payment is cancelled, its holder notified and
    the seat goes to the next person waiting. Returns whether it did."""
    attendance = (
        EventAttendance.objects.select_related("user")
        .filter(pk=attendance_id, status=EventAttendance.Status.AWAITING_PAYMENT, payment_due_at__lte=now)
        .first()
    )
    if attendance is None:
        return False
    attendance.status = EventAttendance.Status.CANCELLED
    attendance.cancelled_at = now
    attendance.save(update_fields=["status", "cancelled_at", "updated_at"])
    payment_cancel_unpaid(kind=PURCHASE_KIND, item_id=attendance.pk)
    notification_send(
        user=attendance.user,
        type=MentorshipNotification.EVENT_SEAT_RELEASED,
        title=_("Seat not paid in time: %(title)s") % {"title": event.title},
        message=_(
            "Your seat at %(title)s was held for you until %(due)s and was not paid, so it went to the next person "
            "waiting. You were not charged."
        )
        % {
            "title": event.title,
            "due": session_local_time(when=attendance.payment_due_at or now, user=attendance.user),
        },
        related=event,
        action_url=event_url(event),
    )
    if event.status == Event.Status.SCHEDULED:
        _promote(event, now=now)
    return True


@transaction.atomic
def event_seat_release(facts: PaymentFacts) -> None:
    """Learning's ``release`` for a seat whose payment ended unpaid (failed, its checkout or
    its hold expired): once the seat's time to pay is over it goes to the next person
    waiting, as :func:`event_seat_holds_expire` does; before, the seat stays held and its
    holder may pay again from the event's page. Idempotent."""
    found = EventAttendance.objects.filter(pk=facts.item_id).select_related("event").first()
    if found is not None:
        _hold_end(_locked(found.event), found.pk, now=timezone.now())


def event_seat_holds_expire(*, now: datetime | None = None) -> int:
    """Let go every held seat whose time to pay ended before ``now`` (default: now) — a
    30-minute hold after registering or a 24-hour offer from the waitlist — and give each
    to the next person waiting (:func:`_hold_end`). Each in its own transaction under its
    event's lock: running twice, or beside learning's expiry of the same payment, lets a
    seat go once. Returns how many were let go."""
    now = now or timezone.now()
    due = EventAttendance.objects.filter(status=EventAttendance.Status.AWAITING_PAYMENT, payment_due_at__lte=now)
    released = 0
    for attendance_id, event_id in list(due.values_list("pk", "event_id")[:500]):
        # Its unfinished payment first, on its own: learning locks a payment before the
        # event (webhook, its own expiry), so taking them the other way round could deadlock.
        payment_cancel_unpaid(kind=PURCHASE_KIND, item_id=attendance_id)
        with transaction.atomic():
            event = _locked(Event(pk=event_id))
            released += _hold_end(event, attendance_id, now=now)
    return released


def event_seat_item_url(facts: PaymentFacts) -> str:
    """Learning's ``item_url`` for a seat: its event's page."""
    event_id = EventAttendance.objects.filter(pk=facts.item_id).values_list("event_id", flat=True).first()
    return reverse("mentorship:event-detail", kwargs={"pk": event_id}) if event_id else reverse("mentorship:event-list")
