"""The notification types of learning: enrolments, certificates, assignments, payments and
pathways; and the announcement audiences learning knows (``core.registry.audience_kinds``):
learners and instructors by role, people by the category of interest of their career profile.

``LearningConfig.ready()`` registers them into :data:`core.registry.notification_types`;
learning's services name them. The values are stored in ``Notification.type``: never change
one.
"""

from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from core.registry import AudienceKind, NotificationArea, audience_kinds, notification_types_register
from learning.models import CareerProfile, Category, Enrollment, InstructorProfile


class LearningNotification(models.TextChoices):
    """Every kind of notification learning sends, in the order the e-mail preferences list them."""

    ENROLLMENT_CONFIRMED = "enrollment_confirmed", _("Enrolment confirmed")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked or reinstated")
    ASSIGNMENT_GRADED = "assignment_graded", _("Assignment graded")
    SUBMISSION_RECEIVED = "submission_received", _("Submission to grade")
    PAYMENT_UPDATE = "payment_update", _("Payment update")
    RECEIPT_ISSUED = "receipt_issued", _("Receipt for a payment or a refund")
    PATHWAY_UPDATED = "pathway_updated", _("Career pathway updated by an advisor")


ROLE_LEARNERS = "learner"
ROLE_INSTRUCTORS = "instructor"


def _role_choices() -> list[tuple[str, StrOrPromise]]:
    return [(ROLE_LEARNERS, _("Learners (enrolled in a course)")), (ROLE_INSTRUCTORS, _("Instructors"))]


def _role_members(value: str) -> QuerySet[Any]:
    if value == ROLE_LEARNERS:
        return Enrollment.objects.values("user_id")
    if value == ROLE_INSTRUCTORS:
        return InstructorProfile.objects.filter(is_active=True).values("user_id")
    return Enrollment.objects.none().values("user_id")


def _category_choices() -> list[tuple[str, StrOrPromise]]:
    return [
        (slug, gettext("%(category)s — chose it as their career") % {"category": name})
        for slug, name in Category.objects.filter(parent=None).order_by("order", "name").values_list("slug", "name")
    ]


def _category_members(value: str) -> QuerySet[Any]:
    """People whose career profile is in the category (chosen after the assessment)."""
    return CareerProfile.objects.filter(category__slug=value).values("user_id")


def register() -> None:
    """Register the "Learning" area of the e-mail preferences and its types, and the
    announcement audiences "Role" (learners, instructors) and "Category of interest"."""
    notification_types_register(area=NotificationArea("learning", _("Learning"), order=20), types=LearningNotification)
    audience_kinds.register(AudienceKind("learning-role", _("Role"), _role_choices, _role_members, order=20))
    audience_kinds.register(
        AudienceKind("category", _("Category of interest"), _category_choices, _category_members, order=40)
    )
