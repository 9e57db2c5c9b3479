"""Mentorship sessions, their feedback, general reviews and the mentor's private notes (seed 002)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel

from .profiles import DEFAULT_CURRENCY

# Names of the PostgreSQL exclusion constraints (migrations 0002 and 0005): no two sessions
# of one mentor, or of one mentee, that hold their time (awaiting payment, pending or
# confirmed) overlap. Services recognise the IntegrityError by these names.
SESSION_NO_MENTOR_OVERLAP = "mentorship_session_no_mentor_overlap"
SESSION_NO_MENTEE_OVERLAP = "mentorship_session_no_mentee_overlap"


class MentorshipSession(BaseModel):
    """One session between a mentor and a mentee, virtual or in person (at a venue).
    ``end_at`` is stored (start + duration) for the overlap constraint; ``sequence`` grows on
    every change for iCalendar; the reminder times record that each reminder went out once.

    A session with a price is booked *awaiting payment*: it holds its time while the mentee
    pays (learning's ``Payment`` of kind ``session`` holds it 30 minutes) and the mentor
    knows nothing of it until it is paid; ``requested_at`` is when the mentor was asked to
    confirm (at booking for a free session, when paid for a paid one), empty for a session
    that never got paid. ``price_cents`` equals the paid ``Payment``'s amount, whose
    ``lines`` keep the breakdown. ``NO_SHOW`` is the mentee's absence (the mentor marks it);
    ``MENTOR_NO_SHOW`` the mentor's (the mentee or staff report it; a paid one is refunded)."""

    class Type(models.TextChoices):
        VIRTUAL = "virtual", _("Virtual")
        IN_PERSON = "in_person", _("In person")

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "AWAITING_PAYMENT", _("Awaiting payment")
        PENDING = "PENDING", _("Pending")
        CONFIRMED = "CONFIRMED", _("Confirmed")
        COMPLETED = "COMPLETED", _("Completed")
        CANCELLED = "CANCELLED", _("Cancelled")
        NO_SHOW = "NO_SHOW", _("No-show")
        MENTOR_NO_SHOW = "MENTOR_NO_SHOW", _("Mentor did not show")

    # A request the mentor has to answer or a session that will take place.
    ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED)
    # Sessions that keep their time from others (the exclusion constraints' status set).
    SLOT_STATUSES = (Status.AWAITING_PAYMENT, Status.PENDING, Status.CONFIRMED)

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions_as_mentor")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions_as_mentee")
    type = models.CharField(_("type"), max_length=16, choices=Type.choices, default=Type.VIRTUAL)
    venue = models.ForeignKey(
        "mentorship.Venue", on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    start_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    end_at = models.DateTimeField(_("ends at"), editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    price_cents = models.PositiveIntegerField(_("price (cents)"), default=0)
    currency = models.CharField(_("currency"), max_length=3, default=DEFAULT_CURRENCY)
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    meeting_link = models.URLField(_("meeting link"), max_length=500, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    review = models.TextField(_("review"), max_length=4000, blank=True)
    feedback_submitted = models.BooleanField(_("feedback submitted"), default=False)
    feedback_submitted_at = models.DateTimeField(_("feedback submitted at"), null=True, blank=True)
    requested_at = models.DateTimeField(
        _("requested at"),
        null=True,
        blank=True,
        default=timezone.now,
        help_text=_("When the mentor was asked to confirm: at booking, or once paid for a paid session."),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(_("cancellation reason"), max_length=2000, blank=True)
    sequence = models.PositiveIntegerField(_("sequence"), default=0, editable=False)
    reminder_24h_sent_at = models.DateTimeField(_("24-hour reminder sent at"), null=True, blank=True, editable=False)
    reminder_1h_sent_at = models.DateTimeField(_("1-hour reminder sent at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["start_at"]
        verbose_name = _("mentorship session")
        indexes = [
            models.Index(fields=["mentor", "start_at"], name="mentorship_session_mentor"),
            models.Index(fields=["mentee", "start_at"], name="mentorship_session_mentee"),
            models.Index(fields=["status", "start_at"], name="mentorship_session_status"),
            models.Index(fields=["venue"], name="mentorship_session_venue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")),
                name="mentorship_session_not_self",
                violation_error_message=_("Nobody can book a session with themselves."),
            ),
            models.CheckConstraint(
                condition=~Q(type="in_person") | Q(venue__isnull=False),
                name="mentorship_session_in_person_venue",
                violation_error_message=_("An in-person session needs a venue."),
            ),
            models.CheckConstraint(
                condition=~Q(type="virtual") | ~Q(meeting_link=""),
                name="mentorship_session_virtual_link",
                violation_error_message=_("A virtual session needs a meeting link."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15) & Q(duration_minutes__lte=240),
                name="mentorship_session_duration_15_240",
                violation_error_message=_("A session lasts from 15 to 240 minutes."),
            ),
            models.CheckConstraint(condition=Q(end_at__gt=F("start_at")), name="mentorship_session_ends_after_start"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)),
                name="mentorship_session_rating_1_5",
                violation_error_message=_("A rating is from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(feedback_submitted=False) | Q(feedback_submitted_at__isnull=False),
                name="mentorship_session_feedback_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="COMPLETED") | Q(completed_at__isnull=False),
                name="mentorship_session_completed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="CANCELLED") | Q(cancelled_at__isnull=False),
                name="mentorship_session_cancelled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="AWAITING_PAYMENT") | (Q(price_cents__gt=0) & Q(requested_at__isnull=True)),
                name="mentorship_session_awaiting_payment_priced",
            ),
            models.CheckConstraint(
                condition=Q(requested_at__isnull=False) | Q(status__in=["AWAITING_PAYMENT", "CANCELLED"]),
                name="mentorship_session_requested_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} session {self.start_at:%Y-%m-%d %H:%M} UTC ({self.get_status_display()})"


class SessionFeedback(BaseModel):
    """The mentee's feedback on a completed session (one per session). ``is_anonymous`` hides
    the mentee from the mentor everywhere; staff still see who wrote it. Anonymous feedback
    waits (``released_on`` empty) until a weekly batch releases it; ``released_on`` is the
    Monday of that week, all the mentor ever learns of when it was written. Named feedback
    is shown at once and has no ``released_on``."""

    session = models.OneToOneField(MentorshipSession, on_delete=models.CASCADE, related_name="feedback")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_given")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_received")
    rating = models.PositiveSmallIntegerField(_("rating"))
    growth_area = models.CharField(_("growth area"), max_length=255)
    growth_idea = models.TextField(_("growth idea"), max_length=2000)
    what_went_well = models.TextField(_("what went well"), max_length=4000)
    what_to_improve = models.TextField(_("what to improve"), max_length=4000)
    additional_comments = models.TextField(_("additional comments"), max_length=4000, blank=True)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    released_on = models.DateField(
        _("released in the week of"),
        null=True,
        blank=True,
        help_text=_("Anonymous feedback only: the Monday of the week its batch reached the mentor."),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("session feedback")
        verbose_name_plural = _("session feedback")
        indexes = [
            models.Index(fields=["mentor", "-created_at"], name="mentorship_feedback_mentor"),
            models.Index(fields=["mentee", "-created_at"], name="mentorship_feedback_mentee"),
            models.Index(
                fields=["mentor"],
                condition=Q(is_anonymous=True, released_on__isnull=True),
                name="mentorship_feedback_waiting",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=True) | Q(released_on__isnull=True),
                name="mentorship_feedback_released_only_anonymous",
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5),
                name="mentorship_feedback_rating_1_5",
                violation_error_message=_("A rating is from 1 to 5."),
            ),
            models.CheckConstraint(condition=~Q(mentor=F("mentee")), name="mentorship_feedback_not_self"),
        ]

    def __str__(self) -> str:
        return f"Feedback {self.rating}/5 on {self.session_id}"


class Review(BaseModel):
    """A review of a user (mentor or mentee) by another: one per author and target, never of
    oneself, written only after a completed session together (seed 002's Reviews). Its
    ``type`` says whether it is about one of those sessions (``session``, whose ``review``
    text it also is) or about the person in general."""

    class Type(models.TextChoices):
        SESSION_FEEDBACK = "SESSION_FEEDBACK", _("About a session")
        GENERAL = "GENERAL", _("General")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews_written")
    target = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews_received")
    type = models.CharField(_("type"), max_length=16, choices=Type.choices, default=Type.GENERAL)
    session = models.ForeignKey(
        MentorshipSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("session"),
        help_text=_("The completed session a session review is about."),
    )
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), max_length=4000, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["target", "-created_at"], name="mentorship_review_target"),
            models.Index(fields=["author", "-created_at"], name="mentorship_review_author"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "target"],
                name="mentorship_review_one_per_author_target",
                violation_error_message=_("You have already reviewed this person; edit your review instead."),
            ),
            models.CheckConstraint(
                condition=~Q(author=F("target")),
                name="mentorship_review_not_self",
                violation_error_message=_("You cannot review yourself."),
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5),
                name="mentorship_review_rating_1_5",
                violation_error_message=_("A rating is from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(type="GENERAL", session__isnull=True) | Q(type="SESSION_FEEDBACK"),
                name="mentorship_review_general_no_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} → {self.target}: {self.rating}/5"


class MentorSessionNote(BaseModel):
    """The mentor's notes on one session; the mentor alone can ever read them."""

    session = models.OneToOneField(MentorshipSession, on_delete=models.CASCADE, related_name="mentor_note")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_notes")
    summary = models.TextField(_("summary"), max_length=10000, blank=True)
    follow_ups = models.TextField(_("follow-ups"), max_length=10000, blank=True)
    growth_focus = models.TextField(_("growth focus"), max_length=4000, blank=True)
    private_notes = models.TextField(_("private notes"), max_length=20000, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mentor session note")
        indexes = [models.Index(fields=["mentor", "-created_at"], name="mentorship_note_mentor")]

    def __str__(self) -> str:
        return f"Note on {self.session_id}"
