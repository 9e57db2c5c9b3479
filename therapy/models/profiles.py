"""Therapist profiles: the therapist role, verified by staff before the directory shows it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


class Specialization(models.TextChoices):
    ANXIETY = "anxiety", _("Anxiety")
    DEPRESSION = "depression", _("Depression")
    TRAUMA = "trauma", _("Trauma")
    RELATIONSHIPS = "relationships", _("Relationships")
    ADDICTION = "addiction", _("Addiction")
    GRIEF = "grief", _("Grief")
    STRESS = "stress", _("Stress")
    FAMILY = "family", _("Family")
    CAREER = "career", _("Career")
    EATING = "eating", _("Eating disorders")
    SLEEP = "sleep", _("Sleep")
    OTHER = "other", _("Other")


class TherapistProfile(BaseModel):
    """A user's application to work as a therapist. Only ``verified`` profiles appear in the
    directory and may accept clients; staff verify or reject through services."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    Specialization = Specialization

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapist_profile")
    specialization = models.CharField(_("specialization"), max_length=32, choices=Specialization.choices)
    bio = models.TextField(_("bio"), max_length=4000, blank=True)
    credentials = models.TextField(_("credentials"), max_length=2000)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    accepting_clients = models.BooleanField(_("accepting new clients"), default=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(_("rejection reason"), max_length=2000, blank=True)

    class Meta:
        ordering = ["user__first_name", "user__last_name", "user__email"]
        indexes = [models.Index(fields=["status", "specialization"], name="therapy_profile_directory")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False),
                name="therapy_profile_verified_has_time",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED
