"""The instructor role: granting (again) and revoking, and the is_instructor predicate."""

import pytest

from accounts.tests.factories import UserFactory
from core.errors import ApplicationError
from learning.models import InstructorProfile
from learning.rules import can_teach_course, is_instructor
from learning.services.instructors import instructor_grant, instructor_revoke
from learning.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_grant_revoke_and_grant_again():
    staff, user = UserFactory(is_staff=True), UserFactory()
    assert not is_instructor(user)
    profile = instructor_grant(user=user, granted_by=staff)
    assert is_instructor(user)
    assert instructor_grant(user=user, granted_by=None).pk == profile.pk
    instructor_revoke(profile=profile)
    assert not is_instructor(user)
    assert instructor_grant(user=user, granted_by=staff).is_active
    assert InstructorProfile.objects.count() == 1


def test_a_deactivated_account_cannot_be_granted():
    with pytest.raises(ApplicationError):
        instructor_grant(user=UserFactory(is_active=False), granted_by=None)
    assert not InstructorProfile.objects.exists()


def test_only_the_course_instructor_with_the_role_or_staff_teach_it():
    instructor = UserFactory()
    course = CourseFactory(instructor=instructor)
    assert not can_teach_course(instructor, course)
    profile = instructor_grant(user=instructor, granted_by=None)
    assert can_teach_course(instructor, course)
    other = instructor_grant(user=UserFactory(), granted_by=None).user
    assert not can_teach_course(other, course)
    assert can_teach_course(UserFactory(is_staff=True), course)
    instructor_revoke(profile=profile)
    assert not can_teach_course(instructor, course)
