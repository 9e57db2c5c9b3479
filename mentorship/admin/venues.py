"""Admin of venues: staff manage them; the tier sets the partner flag and the discount
(through the venue service, so the database check always holds)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mentorship.models import Venue
from mentorship.services.venues import venue_save, venue_terms_apply


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "city", "state", "capacity", "partnership_tier", "discount_percentage")
    list_filter = ("type", "is_partner", "partnership_tier", "city")
    search_fields = ("name", "address", "city", "state", "zip_code")
    readonly_fields = ("is_partner", "discount_percentage", "created_at", "updated_at")

    def get_form(self, request: HttpRequest, obj: Venue | None = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)

        class TierForm(form):  # type: ignore[misc, valid-type]
            def _post_clean(self) -> None:
                # The tier's terms first, so the model's checks see the final row.
                tier = self.cleaned_data.get("partnership_tier")
                if tier is not None:
                    self.instance.partnership_tier = tier
                venue_terms_apply(venue=self.instance)
                super()._post_clean()

        return TierForm

    def save_model(self, request: HttpRequest, obj: Venue, form: Any, change: bool) -> None:
        venue_save(venue=obj)
