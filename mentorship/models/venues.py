"""Venues for in-person sessions and events (seed 002's Venues)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel
from core.storage import public_storage
from core.validators import validate_tag_list


class Venue(BaseModel):
    """A library, co-working space, café or community centre. Partner venues have a tier that
    sets the discount (DESIGN.md §2: gold 30 %, silver 20 %, bronze 10 %, no tier 0 %); the
    database refuses any other combination."""

    class Type(models.TextChoices):
        LIBRARY = "library", _("Library")
        CO_WORKING = "co_working", _("Co-working space")
        CAFE = "cafe", _("Café")
        COMMUNITY_CENTER = "community_center", _("Community center")

    class Tier(models.TextChoices):
        NONE = "", _("Not a partner")
        BRONZE = "bronze", _("Bronze")
        SILVER = "silver", _("Silver")
        GOLD = "gold", _("Gold")

    # The discount each partnership tier gives (DESIGN.md §2), mirrored by the check below.
    TIER_DISCOUNTS: dict[str, int] = {"": 0, "bronze": 10, "silver": 20, "gold": 30}

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    address = models.CharField(_("street address"), max_length=255)
    city = models.CharField(_("city"), max_length=120)
    state = models.CharField(_("state or province"), max_length=120, blank=True)
    zip_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=80, default="USA")
    capacity = models.PositiveIntegerField(_("capacity"), default=1)
    amenities = models.JSONField(_("amenities"), default=list, blank=True, validators=[validate_tag_list])
    image = models.ImageField(_("image"), upload_to="venues/", storage=public_storage, blank=True)
    is_partner = models.BooleanField(_("partner"), default=False)
    partnership_tier = models.CharField(_("partnership tier"), max_length=10, choices=Tier.choices, blank=True)
    discount_percentage = models.PositiveSmallIntegerField(_("discount (%)"), default=0)

    class Meta:
        ordering = ["city", "name"]
        indexes = [
            models.Index(fields=["city"], name="mentorship_venue_city"),
            models.Index(fields=["type"], name="mentorship_venue_type"),
            models.Index(fields=["is_partner"], name="mentorship_venue_partner"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(discount_percentage__gte=0) & Q(discount_percentage__lte=30),
                name="mentorship_venue_discount_0_30",
                violation_error_message=_("A discount is from 0 to 30 %."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(partnership_tier="", is_partner=False, discount_percentage=0)
                    | Q(partnership_tier="bronze", is_partner=True, discount_percentage=10)
                    | Q(partnership_tier="silver", is_partner=True, discount_percentage=20)
                    | Q(partnership_tier="gold", is_partner=True, discount_percentage=30)
                ),
                name="mentorship_venue_tier_discount",
                violation_error_message=_(
                    "Partners have a tier and its discount (bronze 10 %, silver 20 %, gold 30 %); "
                    "other venues have neither."
                ),
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="mentorship_venue_capacity_min_1"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"
