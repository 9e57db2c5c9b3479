"""Demo community events for ``manage.py seed_demo`` (order 78, after the mentors and venues):
a paid workshop at a partner venue (seats are bought through Stripe Checkout; without Stripe
keys its page says payments are not configured), free ones — a networking night that is
full with a waitlist, a virtual hangout, a cancelled meetup — and a past workshop with
attendance marked. Registrations go
through the services (seats, waitlist, notifications). Idempotent: an event is matched by
its host and title, and an existing one is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.demo.seed import DEMO_PASSWORD
from accounts.selectors.users import user_get_by_email
from accounts.services.users import user_create_verified
from mentorship.models import Event, EventAttendance, Venue
from mentorship.services.events import event_cancel, event_register

if TYPE_CHECKING:
    from accounts.models import User

HOST = "mentor@ascend.example"
# Extra demo people who fill the networking night (password DEMO_PASSWORD).
GUESTS = (
    ("jo.rivera@ascend.example", "Jo", "Rivera", "America/New_York"),
    ("sam.okafor@ascend.example", "Sam", "Okafor", "Europe/London"),
    ("mia.chen@ascend.example", "Mia", "Chen", "America/Los_Angeles"),
    ("leo.berg@ascend.example", "Leo", "Berg", "Europe/Berlin"),
)


@dataclass(frozen=True)
class DemoEvent:
    title: str
    type: str
    days_ahead: int
    hour: int
    description: str
    max_attendees: int = 20
    duration_minutes: int = 90
    is_virtual: bool = False
    venue_type: str | None = Venue.Type.CO_WORKING  # the partner venue of this type, if any; None: no venue
    price_cents: int = 0
    tags: tuple[str, ...] = ()
    attendees: tuple[str, ...] = field(default_factory=tuple)
    cancel_reason: str = ""


EVENTS = (
    DemoEvent(
        "Beat-making workshop: from loop to song",
        Event.Type.WORKSHOP,
        days_ahead=6,
        hour=18,
        description="Bring a laptop and headphones. We build a full arrangement from one eight-bar loop, "
        "then trade feedback in small groups.",
        max_attendees=12,
        duration_minutes=120,
        price_cents=1500,
        tags=("music", "production"),
        # Nobody yet: seats of a paid event are bought, and the demo has no Stripe account.
    ),
    DemoEvent(
        "Producers' networking night",
        Event.Type.NETWORKING,
        days_ahead=10,
        hour=19,
        description="Meet producers, engineers and artists from the community. Short introductions, then "
        "open conversation. Small room: seats are limited.",
        max_attendees=3,
        tags=("networking", "music"),
        attendees=(
            "jo.rivera@ascend.example",
            "sam.okafor@ascend.example",
            "mia.chen@ascend.example",
            "learner@ascend.example",
            "leo.berg@ascend.example",
        ),
    ),
    DemoEvent(
        "Online songwriting hangout",
        Event.Type.HANGOUT,
        days_ahead=3,
        hour=17,
        description="Share a verse you are stuck on and get two ideas back. Cameras optional.",
        max_attendees=25,
        duration_minutes=60,
        is_virtual=True,
        venue_type=None,
        tags=("songwriting",),
        attendees=("learner@ascend.example", "jo.rivera@ascend.example", "client@ascend.example"),
    ),
    DemoEvent(
        "Casual coffee meetup",
        Event.Type.CASUAL_MEETUP,
        days_ahead=14,
        hour=10,
        description="No agenda: coffee and conversation about creative careers.",
        max_attendees=10,
        duration_minutes=60,
        attendees=("client@ascend.example",),
        venue_type=Venue.Type.CAFE,
        cancel_reason="The café is closed for renovation that week; we will pick a new date soon.",
    ),
)

PAST_EVENT = DemoEvent(
    "Mixing clinic: bring your track",
    Event.Type.WORKSHOP,
    days_ahead=-12,
    hour=18,
    description="Each participant played two minutes of a mix and got live feedback.",
    max_attendees=8,
    venue_type=Venue.Type.LIBRARY,
    tags=("mixing",),
    attendees=("learner@ascend.example", "sam.okafor@ascend.example"),
)


def _guest(email: str, first_name: str, last_name: str, zone: str) -> User:
    user = user_get_by_email(email=email)
    if user is None:
        user = user_create_verified(
            email=email,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            timezone=zone,
            is_new_user=False,
        )
    return user


def _start(spec: DemoEvent, host: User) -> datetime:
    """``spec.hour`` o'clock in the host's own time zone, ``spec.days_ahead`` days from today."""
    zone = ZoneInfo(host.timezone or "UTC")
    day = timezone.localdate(timezone=zone) + timedelta(days=spec.days_ahead)
    return datetime(day.year, day.month, day.day, spec.hour, tzinfo=zone)


def _venue(spec: DemoEvent) -> Venue | None:
    """A venue of the event's type (partners first), else any venue; None for online events."""
    if spec.venue_type is None:
        return None
    venues = Venue.objects.order_by("-is_partner", "name")
    return venues.filter(type=spec.venue_type).first() or venues.first()


def _create(spec: DemoEvent, host: User) -> Event:
    # Made directly rather than through event_create: the past event could not be, and the
    # demo should not depend on the host's verification having been seeded first.
    return Event.objects.create(
        host=host,
        title=spec.title,
        description=spec.description,
        type=spec.type,
        start_at=_start(spec, host),
        duration_minutes=spec.duration_minutes,
        max_attendees=spec.max_attendees,
        is_virtual=spec.is_virtual,
        meeting_link="https://meet.example/ascend-hangout" if spec.is_virtual else "",
        venue=_venue(spec),
        price_cents=spec.price_cents,
        tags=list(spec.tags),
    )


def seed_events() -> None:
    """Create the demo events that are missing, with their registrations."""
    host = user_get_by_email(email=HOST)
    if host is None:
        return
    people = {email: _guest(email, first, last, zone) for email, first, last, zone in GUESTS}
    for spec in EVENTS:
        if Event.objects.filter(host=host, title=spec.title).exists():
            continue
        event = _create(spec, host)
        for email in spec.attendees:
            attendee = people.get(email) or user_get_by_email(email=email)
            if attendee is not None:
                event_register(user=attendee, event=event)
        if spec.cancel_reason:
            event_cancel(user=host, event=event, reason=spec.cancel_reason)
    if not Event.objects.filter(host=host, title=PAST_EVENT.title).exists():
        event = _create(PAST_EVENT, host)
        for index, email in enumerate(PAST_EVENT.attendees):
            attendee = people.get(email) or user_get_by_email(email=email)
            if attendee is not None:
                EventAttendance.objects.create(
                    event=event,
                    user=attendee,
                    status=EventAttendance.Status.ATTENDED if index == 0 else EventAttendance.Status.NO_SHOW,
                    registered_at=event.start_at - timedelta(days=7),
                )
