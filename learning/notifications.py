"""The notification types of learning: enrolments, certificates, assignments, payments and
pathways.

``LearningConfig.ready()`` registers them into :data:`core.registry.notification_types`;
learning's services name them. The values are stored in ``Notification.type``: never change
one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.registry import NotificationArea, notification_types_register


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


def register() -> None:
    """Register the "Learning" area of the e-mail preferences and its types."""
    notification_types_register(area=NotificationArea("learning", _("Learning"), order=20), types=LearningNotification)
