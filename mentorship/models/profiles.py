"""Mentor profiles (seed 000's Mentors) and users' mentorship categories (seed 002's UserCategory)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel
from core.storage import public_storage
from core.validators import validate_tag_list

DEFAULT_CURRENCY = "USD"


class MentorProfile(BaseModel):
    """The mentor role of a user: an application that staff verify before the mentor appears
    in the directory and can be booked. ``rating``, ``review_count``, ``rated_sessions`` (the completed sessions
    whose mentee rated the mentor), ``total_sessions`` and
    ``in_person_sessions`` are derived; services refresh them in the same transaction as the
    change that moves them (``mentorship.services.ratings.mentor_stats_refresh``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile")
    categories = models.ManyToManyField(
        "learning.Category",
        related_name="mentor_profiles",
        blank=True,
        limit_choices_to={"parent": None},
        verbose_name=_("categories"),
    )
    subcategories = models.ManyToManyField(
        "learning.Category",
        related_name="subcategory_mentor_profiles",
        blank=True,
        limit_choices_to=~Q(parent=None),
        verbose_name=_("subcategories"),
    )
    headline = models.CharField(_("headline"), max_length=160)
    bio = models.TextField(_("bio"), max_length=4000)
    image = models.ImageField(_("image"), upload_to="mentors/", storage=public_storage, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    race = models.CharField(_("race"), max_length=80, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=80, blank=True)
    expertise = models.JSONField(_("expertise"), default=list, blank=True, validators=[validate_tag_list])
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        validators=[validate_tag_list],
        help_text=_("The languages you mentor in."),
    )
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    availability_url = models.URLField(_("availability link"), max_length=500, blank=True)
    meeting_link = models.URLField(
        _("default meeting link"), max_length=500, blank=True, help_text=_("Used for virtual sessions.")
    )
    booking_notice_hours = models.PositiveSmallIntegerField(
        _("minimum notice (hours)"),
        default=0,
        help_text=_("How long before its start a session can be booked at the latest."),
    )
    base_price_cents = models.PositiveIntegerField(_("base price per session (cents)"), default=0)
    currency = models.CharField(_("currency"), max_length=3, default=DEFAULT_CURRENCY)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("review note"), max_length=2000, blank=True)
    rating = models.DecimalField(_("rating"), max_digits=2, decimal_places=1, default=0, editable=False)
    review_count = models.PositiveIntegerField(_("ratings"), default=0, editable=False)
    rated_sessions = models.PositiveIntegerField(_("sessions behind the ratings"), default=0, editable=False)
    total_sessions = models.PositiveIntegerField(_("sessions completed"), default=0, editable=False)
    in_person_sessions = models.PositiveIntegerField(_("in-person sessions completed"), default=0, editable=False)

    class Meta:
        ordering = ["-rating", "user__first_name", "user__last_name"]
        indexes = [
            models.Index(fields=["status", "rating"], name="mentorship_mentor_status_rate"),
            models.Index(fields=["location"], name="mentorship_mentor_location"),
            models.Index(fields=["ethnicity"], name="mentorship_mentor_ethnicity"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=0) & Q(rating__lte=5),
                name="mentorship_mentor_rating_0_5",
                violation_error_message=_("A rating is from 0 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(in_person_sessions__lte=models.F("total_sessions")),
                name="mentorship_mentor_in_person_within_total",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False),
                name="mentorship_mentor_verified_has_time",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED


class UserCategory(BaseModel):
    """A user's mentorship interest in a category of the shared taxonomy."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorship_categories")
    category = models.ForeignKey("learning.Category", on_delete=models.CASCADE, related_name="interested_users")

    class Meta:
        ordering = ["category__order", "category__name"]
        verbose_name = _("user category")
        verbose_name_plural = _("user categories")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="mentorship_usercategory_unique"),
        ]
        indexes = [models.Index(fields=["category"], name="mentorship_usercat_category")]

    def __str__(self) -> str:
        return f"{self.user} — {self.category}"


class MenteePreference(BaseModel):
    """What a mentee looks for in a mentor besides categories: the languages they speak
    (suggested mentors rank by them)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentee_preference")
    languages = models.JSONField(_("languages"), default=list, blank=True, validators=[validate_tag_list])

    class Meta:
        verbose_name = _("mentee preference")

    def __str__(self) -> str:
        return str(self.user)
