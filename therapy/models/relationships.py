"""Client–therapist relationships (the seed's ClientTherapistMapping): one per pair."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


class TherapyRelationship(BaseModel):
    """The client asks (pending), the therapist accepts (active), either ends it (ended), the
    therapist may block (blocked: the client can neither message nor ask again) and unblock
    (ended: the client may ask again)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        BLOCKED = "blocked", _("Blocked")

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapy_relationships_as_client"
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapy_relationships_as_therapist"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("requested at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    blocked_at = models.DateTimeField(_("blocked at"), null=True, blank=True)
    # Safety flags the therapist's client list shows until they act (never any content):
    # the client shared an entry that may need attention (the support rule), not read yet;
    # the client asked for an urgent session, not answered yet.
    distress_shared_at = models.DateTimeField(_("distressing entry shared at"), null=True, blank=True)
    urgent_requested_at = models.DateTimeField(_("urgent session asked at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["client", "therapist"], name="therapy_relationship_one_per_pair"),
            models.CheckConstraint(condition=~Q(client=F("therapist")), name="therapy_relationship_not_self"),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(accepted_at__isnull=False),
                name="therapy_relationship_active_accepted",
            ),
            models.CheckConstraint(
                condition=~Q(status="blocked") | Q(blocked_at__isnull=False),
                name="therapy_relationship_blocked_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["therapist", "status"], name="therapy_rel_therapist_status"),
            models.Index(fields=["client", "status"], name="therapy_rel_client_status"),
        ]

    def __str__(self) -> str:
        return f"{self.client} ↔ {self.therapist}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def other_party(self, user_id: object) -> object:
        """The id of the participant who is not ``user_id``."""
        return self.therapist_id if user_id == self.client_id else self.client_id
