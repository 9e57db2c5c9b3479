"""``manage.py seed_scale`` builds a consistent data set (at a small factor here; ``make
bench`` builds the full one): every part present in the right proportions, the services'
invariants hold, and a second run is refused."""

import itertools

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.scale import HEAVY_EMAIL, NEWCOMER_EMAIL
from learning.models import Course, Enrollment, Lesson
from mentorship.models import MentorProfile, MentorshipSession

pytestmark = pytest.mark.django_db

FACTOR = 0.05


def test_a_small_scale_data_set_is_built_in_proportion_and_only_once() -> None:
    call_command("seed_scale", factor=FACTOR, verbosity=0)
    assert User.objects.filter(email__in=[HEAVY_EMAIL, NEWCOMER_EMAIL]).count() == 2
    assert User.objects.count() >= 500
    assert Course.objects.filter(published=True).count() == 10
    assert Lesson.objects.count() == 10 * 12
    assert Enrollment.objects.count() == 2_500
    assert MentorProfile.objects.filter(status=MentorProfile.Status.VERIFIED).count() == 50
    assert MentorshipSession.objects.count() == 1_000
    # Booked hour after hour: no two pending or confirmed sessions overlap.
    active = list(MentorshipSession.objects.filter(status__in=["PENDING", "CONFIRMED"]).order_by("start_at"))
    assert all(a.end_at <= b.start_at for a, b in itertools.pairwise(active))
    with pytest.raises(CommandError):
        call_command("seed_scale", factor=FACTOR, verbosity=0)
