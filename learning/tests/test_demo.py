"""The learning demo data: a living catalog and enrolments at every stage."""

import pytest
from django.core.management import call_command

from learning.models import Certificate, Course, Enrollment, Lesson, Payment

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_catalog_once_with_a_certified_learner(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    published = Course.objects.filter(published=True)
    assert published.count() >= 6
    assert published.values("category").distinct().count() >= 3
    assert Lesson.objects.count() >= 20
    statuses = set(Enrollment.objects.values_list("status", flat=True))
    assert statuses == {Enrollment.Status.IN_PROGRESS, Enrollment.Status.PAUSED, Enrollment.Status.COMPLETED}
    completed = Enrollment.objects.get(status=Enrollment.Status.COMPLETED)
    certificate = Certificate.objects.get(user=completed.user, course=completed.course)
    assert certificate.pdf is not None
    assert Certificate.objects.count() == 1
    paid = Enrollment.objects.get(course__price_cents__gt=0)
    assert paid.source == Enrollment.Source.PAYMENT
    assert Payment.objects.get(user=paid.user, course=paid.course).status == Payment.Status.SUCCEEDED
