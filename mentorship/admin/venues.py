"""Admin of venues: staff manage them; the tier sets the partner flag and the discount."""

from django.contrib import admin

from mentorship.models import Venue


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "city", "state", "capacity", "partnership_tier", "discount_percentage")
    list_filter = ("type", "is_partner", "partnership_tier", "city")
    search_fields = ("name", "address", "city", "state", "zip_code")
    readonly_fields = ("is_partner", "discount_percentage", "created_at", "updated_at")
