"""Reads of community events: the public list with its filters, one event, a user's own
attendance, the host's attendee list and a user's upcoming events.

Events are public (anyone may list and read them); their meeting link is not: only the
host, staff and registered attendees see it (:func:`event_shows_meeting_link`). The
attendee list is for the host and staff alone — anyone else gets ``None`` (a 404). A
seat's payment (paid events) is its holder's: :func:`event_seat_payment`.
"""

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import CharField, Count, DateTimeField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from learning.selectors.payments import payment_for_item
from mentorship.models import SEATED, SEATS_TAKEN, Event, EventAttendance, Venue
from mentorship.rules import can_manage_event

UPCOMING_PANEL_SIZE = 5


def _count(status: tuple[str, ...] | str) -> Coalesce:
    statuses = (status,) if isinstance(status, str) else status
    return Coalesce(
        Subquery(
            EventAttendance.objects.filter(event_id=OuterRef("pk"), status__in=statuses)
            .order_by()
            .values("event_id")
            .annotate(value=Count("pk"))
            .values("value")
        ),
        Value(0),
    )


def event_queryset_annotated(*, user: Any = None) -> QuerySet[Event]:
    """Every event with its host and venue loaded, ``registered_count`` (seats taken, held
    ones awaiting payment included), ``waitlist_count``, ``my_status`` (``user``'s
    attendance status; ``None`` when they have none or are signed out) and
    ``my_payment_due_at`` (until when a seat is held for ``user``, or ``None``) annotated,
    by start. One query."""
    mine: Subquery | Value
    due: Subquery | Value
    if user is not None and user.is_authenticated:
        own = EventAttendance.objects.filter(event_id=OuterRef("pk"), user_id=user.pk)
        mine = Subquery(own.values("status")[:1])
        due = Subquery(own.filter(status=EventAttendance.Status.AWAITING_PAYMENT).values("payment_due_at")[:1])
    else:
        mine = Value(None, output_field=CharField())
        due = Value(None, output_field=DateTimeField())
    return (
        # The model declares these annotations for its readers; Django allows it (no field clashes).
        Event.objects.select_related("host", "venue")  # type: ignore[no-redef]
        .annotate(
            registered_count=_count(SEATS_TAKEN),
            waitlist_count=_count(EventAttendance.Status.WAITLISTED),
            my_status=mine,
            my_payment_due_at=due,
        )
        .order_by("start_at", "id")
    )


# Days outside these years are no bound at all (and never overflow a datetime in any zone).
FIRST_YEAR, LAST_YEAR = 1900, 9000


def _day_start(day: date) -> datetime | None:
    """Midnight of ``day`` in the current time zone (the user's, activated by the
    middleware); ``None`` for a day outside :data:`FIRST_YEAR`–:data:`LAST_YEAR`."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


class EventFilter(filters.FilterSet):
    """Filters of the event list (page and API). Days are the user's own (their time zone)."""

    date_from = filters.DateFilter(
        method="filter_date_from", label=_("From"), help_text="Events starting on or after this day (YYYY-MM-DD)."
    )
    date_to = filters.DateFilter(
        method="filter_date_to", label=_("To"), help_text="Events starting on or before this day (YYYY-MM-DD)."
    )
    type = filters.ChoiceFilter(choices=Event.Type.choices, label=_("Type"), help_text="Only this type.")
    venue = filters.ModelChoiceFilter(
        queryset=Venue.objects.order_by("city", "name"), label=_("Venue"), help_text="Only at this venue (its id)."
    )
    host = filters.UUIDFilter(field_name="host_id", label=_("Host"), help_text="Only hosted by this user (their id).")
    virtual = filters.ChoiceFilter(
        choices=[("true", _("Virtual")), ("false", _("In person"))],
        method="filter_virtual",
        label=_("Where"),
        help_text="true: virtual events only; false: in-person events only.",
    )
    status = filters.ChoiceFilter(
        choices=Event.Status.choices, label=_("Status"), help_text="scheduled or cancelled (default: both)."
    )
    ordering = filters.ChoiceFilter(
        choices=[("start_at", _("Soonest first")), ("-start_at", _("Latest first"))],
        method="filter_ordering",
        empty_label=None,
        label=_("Order"),
        help_text="start_at (default: soonest first) or -start_at (latest first).",
    )

    class Meta:
        model = Event
        fields = ["date_from", "date_to", "type", "venue", "host", "virtual", "status", "ordering"]

    def filter_date_from(self, queryset: QuerySet[Event], name: str, value: date) -> QuerySet[Event]:
        start = _day_start(value)
        return queryset.filter(start_at__gte=start) if start is not None else queryset

    def filter_date_to(self, queryset: QuerySet[Event], name: str, value: date) -> QuerySet[Event]:
        end = _day_start(value + timedelta(days=1)) if value.year <= LAST_YEAR else None
        return queryset.filter(start_at__lt=end) if end is not None else queryset

    def filter_ordering(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        return queryset.order_by("-start_at", "-id") if value == "-start_at" else queryset.order_by("start_at", "id")

    def filter_virtual(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        return queryset.filter(is_virtual=value == "true")


def event_list(*, user: Any = None, filters: Mapping[str, Any] | None = None) -> QuerySet[Event]:
    """Events as :func:`event_queryset_annotated` gives them for ``user``, filtered by
    :class:`EventFilter` when the filters are valid (pages and the API validate them
    themselves). One query."""
    queryset = event_queryset_annotated(user=user)
    if filters:
        filterset = EventFilter(filters, queryset=queryset)
        if filterset.is_valid():
            queryset = filterset.qs
    return queryset


def event_get(*, event_id: Any, user: Any = None) -> Event | None:
    """One event, annotated as in the list for ``user``; ``None`` when there is none. One query."""
    return event_queryset_annotated(user=user).filter(pk=event_id).first()


def event_attendance_for_user(*, user: Any, event: Event) -> EventAttendance | None:
    """``user``'s attendance of ``event`` (any status), or ``None``."""
    if not user.is_authenticated:
        return None
    return EventAttendance.objects.filter(event=event, user_id=user.pk).first()


def event_shows_meeting_link(*, user: Any, event: Event) -> bool:
    """The meeting link is for the host, staff and attendees holding a seat. ``event`` comes
    from :func:`event_queryset_annotated` for ``user`` (``my_status``); no query."""
    return bool(can_manage_event(user, event) or getattr(event, "my_status", None) in SEATED)


def event_seat_payment(*, attendance: EventAttendance) -> Any:
    """The latest payment (learning's ``Payment``) of ``attendance``'s seat — pending,
    paid, refunded… — or ``None`` (a free event, nothing bought yet). For the attendance's
    own holder (and staff). One query."""
    return payment_for_item(kind=EventAttendance.PURCHASE_KIND, item_id=attendance.pk)


def event_waitlist_position(*, attendance: EventAttendance) -> int | None:
    """1 for the first person waiting, and so on; ``None`` when not waiting."""
    if attendance.status != EventAttendance.Status.WAITLISTED:
        return None
    earlier = Q(waitlisted_at__lt=attendance.waitlisted_at) | Q(
        waitlisted_at=attendance.waitlisted_at, created_at__lt=attendance.created_at
    )
    return (
        EventAttendance.objects.filter(event_id=attendance.event_id, status=EventAttendance.Status.WAITLISTED)
        .filter(earlier)
        .count()
        + 1
    )


def event_attendee_list(*, user: Any, event: Event) -> QuerySet[EventAttendance] | None:
    """The event's attendances for its host or staff — seats first (by registration), then
    the waitlist in order, then cancellations — with each person loaded (one query);
    ``None`` for anyone else."""
    if not can_manage_event(user, event):
        return None
    return (
        EventAttendance.objects.filter(event=event)
        .select_related("user")
        .annotate(
            waiting=Q(status=EventAttendance.Status.WAITLISTED),
            gone=Q(status=EventAttendance.Status.CANCELLED),
        )
        .order_by("gone", "waiting", "registered_at", "waitlisted_at", "created_at", "id")
    )


def event_list_upcoming_for_user(*, user: Any, now: datetime | None = None) -> QuerySet[Event]:
    """Scheduled events still to start which ``user`` hosts, holds a seat at (paid or
    awaiting payment) or waits for,
    soonest first, annotated as in the list (``my_status`` is ``None`` for their own
    events). One query."""
    now = now or timezone.now()
    active = EventAttendance.objects.filter(
        event_id=OuterRef("pk"),
        user_id=user.pk,
        status__in=(
            EventAttendance.Status.REGISTERED,
            EventAttendance.Status.AWAITING_PAYMENT,
            EventAttendance.Status.WAITLISTED,
        ),
    )
    return event_queryset_annotated(user=user).filter(
        Q(host_id=user.pk) | Exists(active), status=Event.Status.SCHEDULED, start_at__gte=now
    )
