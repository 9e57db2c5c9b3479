"""Community events and attendance with a waitlist (seed 002's Events and EventAttendances)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel
from core.storage import public_storage
from core.validators import validate_tag_list


class Event(BaseModel):
    """A hangout, workshop, networking or casual meetup hosted by a mentor or staff, at a venue
    or virtual. ``sequence`` grows on every change for iCalendar."""

    # Annotated by mentorship.selectors.events.event_queryset_annotated: not fields.
    registered_count: int
    waitlist_count: int

    class Type(models.TextChoices):
        HANGOUT = "hangout", _("Hangout")
        WORKSHOP = "workshop", _("Workshop")
        NETWORKING = "networking", _("Networking")
        CASUAL_MEETUP = "casual_meetup", _("Casual meetup")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000)
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    venue = models.ForeignKey(
        "mentorship.Venue", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="events_hosted")
    start_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    max_attendees = models.PositiveIntegerField(_("maximum attendees"), default=10)
    is_virtual = models.BooleanField(_("virtual"), default=False)
    meeting_link = models.URLField(_("meeting link"), max_length=500, blank=True)
    price_cents = models.PositiveIntegerField(_("price (cents)"), default=0)
    tags = models.JSONField(_("tags"), default=list, blank=True, validators=[validate_tag_list])
    image = models.ImageField(_("image"), upload_to="events/", storage=public_storage, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("cancellation reason"), max_length=2000, blank=True)
    sequence = models.PositiveIntegerField(_("sequence"), default=0, editable=False)

    class Meta:
        ordering = ["start_at"]
        indexes = [
            models.Index(fields=["start_at"], name="mentorship_event_start"),
            models.Index(fields=["host", "start_at"], name="mentorship_event_host"),
            models.Index(fields=["type", "start_at"], name="mentorship_event_type"),
            models.Index(fields=["venue"], name="mentorship_event_venue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15) & Q(duration_minutes__lte=720),
                name="mentorship_event_duration_15_720",
                violation_error_message=_("An event lasts from 15 minutes to 12 hours."),
            ),
            models.CheckConstraint(
                condition=Q(max_attendees__gte=1),
                name="mentorship_event_max_attendees_min_1",
                violation_error_message=_("An event takes at least one attendee."),
            ),
            models.CheckConstraint(
                condition=Q(is_virtual=False) | ~Q(meeting_link=""),
                name="mentorship_event_virtual_link",
                violation_error_message=_("A virtual event needs a meeting link."),
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="mentorship_event_cancelled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EventAttendance(BaseModel):
    """One user's place at an event (one per event and user): registered, on the waitlist
    (ordered by ``waitlisted_at``), attended, cancelled or no-show — or, at a paid event,
    awaiting payment: a seat held for the person until ``payment_due_at`` (30 minutes after
    registering, 24 hours after a promotion from the waitlist), then given to the next."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("Waitlisted")
        ATTENDED = "attended", _("Attended")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")

    # A seat at a paid event is sold through learning's payments as this kind, the
    # attendance being the item (learning.registry.purchase_kinds).
    PURCHASE_KIND = "event_seat"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_attendances")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    waitlisted_at = models.DateTimeField(_("waitlisted at"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    payment_due_at = models.DateTimeField(
        _("pay by"),
        null=True,
        blank=True,
        help_text=_(
            "A seat awaiting payment is held until this time; unpaid, it goes to the next person waiting. "
            "Kept when the hold ends unpaid, cleared once paid."
        ),
    )
    reminder_sent_at = models.DateTimeField(
        _("reminder sent at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the reminder before the event went out; set once, so it is never sent twice."),
    )

    class Meta:
        ordering = ["registered_at", "waitlisted_at", "created_at"]
        verbose_name = _("event attendance")
        indexes = [
            models.Index(fields=["event", "status", "waitlisted_at"], name="mentorship_attend_event"),
            models.Index(fields=["user", "status"], name="mentorship_attend_user"),
            models.Index(
                fields=["payment_due_at"],
                condition=Q(status="awaiting_payment"),
                name="mentorship_attend_payment_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="mentorship_attendance_one_per_event_user"),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="mentorship_attendance_waitlisted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="mentorship_attendance_cancelled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="awaiting_payment") | Q(payment_due_at__isnull=False),
                name="mentorship_attendance_awaiting_payment_has_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.event} ({self.get_status_display()})"


#: Attendances holding a seat (attended / no-show exist only once the event started).
SEATED = (EventAttendance.Status.REGISTERED, EventAttendance.Status.ATTENDED, EventAttendance.Status.NO_SHOW)
#: Attendances that take one of ``max_attendees``: the seated and the seats held awaiting payment.
SEATS_TAKEN = (EventAttendance.Status.AWAITING_PAYMENT, *SEATED)
