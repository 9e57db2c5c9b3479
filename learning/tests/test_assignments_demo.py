"""The teaching demo data: the demo instructor holds the role and has assignments with a
graded, an ungraded and a late submission; seeding twice changes nothing."""

import pytest

from learning.models import Assignment, InstructorProfile, Submission

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_instructor_assignments_and_submissions(seeded_demo):
    profile = InstructorProfile.objects.get(user__email="instructor@ascend.example")
    assert profile.is_active
    assert Assignment.objects.filter(course__instructor=profile.user).count() == 3
    submissions = Submission.objects.filter(user__email="learner@ascend.example")
    assert submissions.count() == 3
    graded = submissions.get(graded_at__isnull=False)
    assert graded.feedback
    assert graded.graded_by == profile.user
    assert submissions.filter(graded_at__isnull=True).count() == 2
    assert submissions.filter(is_late=True).count() == 1
