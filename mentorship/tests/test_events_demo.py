"""Demo events: a paid one, a full event with a waitlist, a cancelled one, a virtual one, a
past one with attendance; seeding twice changes nothing."""

import pytest

from accounts.tests.factories import UserFactory
from mentorship.demo.events import EVENTS, HOST, PAST_EVENT, seed_events
from mentorship.models import Event, EventAttendance
from mentorship.tests.factories import VenueFactory

pytestmark = pytest.mark.django_db


def test_seed_events_is_idempotent_with_a_waitlist_and_a_cancellation():
    UserFactory(email=HOST)
    UserFactory(email="learner@ascend.example")
    UserFactory(email="client@ascend.example")
    VenueFactory()
    seed_events()
    seed_events()
    assert Event.objects.count() == len(EVENTS) + 1
    full = Event.objects.get(title="Producers' networking night")
    assert full.attendances.filter(status=EventAttendance.Status.REGISTERED).count() == full.max_attendees
    waiting = full.attendances.filter(status=EventAttendance.Status.WAITLISTED).order_by("waitlisted_at")
    assert [a.user.email for a in waiting] == ["learner@ascend.example", "leo.berg@ascend.example"]
    assert Event.objects.get(title="Casual coffee meetup").status == Event.Status.CANCELLED
    online = Event.objects.get(title="Online songwriting hangout")
    assert online.is_virtual
    assert online.meeting_link
    # One paid event (seats are bought, so nobody is seated without Stripe), the rest free.
    paid = Event.objects.filter(price_cents__gt=0)
    assert [event.title for event in paid] == ["Beat-making workshop: from loop to song"]
    assert not paid[0].attendances.exists()
    assert Event.objects.filter(price_cents=0).count() == len(EVENTS)
    past = Event.objects.get(title=PAST_EVENT.title)
    assert set(past.attendances.values_list("status", flat=True)) == {"attended", "no_show"}
