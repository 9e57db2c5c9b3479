"""The instructor role: staff grant and revoke it (admin); the change is audited like any
other write."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from learning.models import InstructorProfile

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def instructor_grant(*, user: User, granted_by: User | None) -> InstructorProfile:
    """Give ``user`` the instructor role: creates their profile or reactivates a revoked one
    (granting an active role again changes nothing). ``ApplicationError`` for a deactivated
    account."""
    if not user.is_active:
        raise ApplicationError(_("A deactivated account cannot be an instructor."))
    profile = InstructorProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        return InstructorProfile.objects.create(user=user, granted_by=granted_by, is_active=True)
    if not profile.is_active:
        profile.is_active = True
        profile.granted_by = granted_by
        profile.save(update_fields=["is_active", "granted_by", "updated_at"])
    return profile


@transaction.atomic
def instructor_revoke(*, profile: InstructorProfile) -> InstructorProfile:
    """Take the instructor role away: the profile stays, inactive; the courses keep their
    instructor, who can no longer manage assignments or grade (staff still can). Revoking a
    revoked role changes nothing."""
    profile = InstructorProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.is_active:
        profile.is_active = False
        profile.save(update_fields=["is_active", "updated_at"])
    return profile
